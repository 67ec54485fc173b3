"""Answers that imitate the anti-bot front ends Chinese portals sit behind, and the pages a
portal answers where a report stood (a "soft 404", maintenance, a sign-on redirect).

The harvester must recognise them and record "blocked by challenge", never solve them,
so these only need to look like the real thing from the outside: status code, cookie
names and the shape of the body.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Challenge:
    status: int
    headers: dict[str, str]
    body: bytes


def _ruishu() -> Challenge:
    """瑞数 (Riversecurity): 412 with obfuscated bootstrap script and its odd cookie names."""
    token = secrets.token_hex(24)
    body = (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f'<meta id="9DhefwqGPrzGxEp9hPaoag" content="{token}" r="m">'
        '<script type="text/javascript" r="m">$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};$_ts.nsd=48210;'
        f"$_ts.cd=\"{token}\";</script>"
        '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r="m"></script>'
        "</head><body></body></html>"
    ).encode()
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Set-Cookie": f"FSSBBIl1UgzbN7N80S={token[:32]}; Path=/; expires=Fri, 31 Dec 2055 00:00:00 GMT; HttpOnly",
    }
    return Challenge(412, headers, body)


def _jiasule() -> Challenge:
    """加速乐 (Knownsec): 521 whose script sets __jsl_clearance and reloads; __jsluid cookie."""
    clearance = secrets.token_hex(8)
    body = (
        "<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e')"
        f"+('=')+('{clearance}')+(';max-age=3600;path=/');location.href=location.pathname+location.search</script>"
    ).encode()
    headers = {
        "Content-Type": "text/html",
        "Set-Cookie": f"__jsluid_h={secrets.token_hex(16)}; max-age=31536000; path=/; HttpOnly",
    }
    return Challenge(521, headers, body)


def _wzws() -> Challenge:
    """WZWS (网站卫士): 307 to a /WZWSREL… check URL, with its wzws_cid cookie."""
    token = secrets.token_hex(16)
    headers = {
        "Content-Type": "text/html",
        "Location": f"/WZWSREL{token}?wzwschallenge=V1pXU19DT05GSVJNX1BSRUZJWF9MQUJFTA==",
        "Set-Cookie": f"wzws_cid={secrets.token_hex(32)}; path=/; expires=Wed, 31 Dec 2055 00:00:00 GMT; HttpOnly",
    }
    return Challenge(307, headers, b"")


def _unavailable() -> Challenge:
    body = b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>503 Service Temporarily Unavailable</body></html>"
    return Challenge(503, {"Content-Type": "text/html", "Retry-After": "1"}, body)


# A portal's own pages where a report stood, all answered 200 but the sign-on redirect: the
# navigation around them names the columns a report page's would.
_PORTAL_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
    '<div class="nav"><a href="/">首页</a> | <a href="/xxgk/">政府信息公开</a> | <a href="/xxgk/nb/">政府信息公开年报</a></div>'
    '<div class="main">{main}</div><div class="footer">主办：某某市人民政府办公室 网站标识码：3703000001</div></body></html>'
)
SIGN_ON_PATH = "/sso/login"


def _portal_page(title: str, main: str) -> Challenge:
    return Challenge(200, {"Content-Type": "text/html; charset=utf-8"}, _PORTAL_PAGE.format(title=title, main=main).encode())


def _not_found() -> Challenge:
    """A "soft 404": the portal's error page, answered 200."""
    return _portal_page("提示信息", "<p>对不起，您访问的页面不存在或已被删除！</p><p><a href='/'>返回首页</a></p>")


def _maintenance() -> Challenge:
    return _portal_page("系统维护", "<p>系统维护中，请稍后再访问。给您带来的不便敬请谅解。</p>")


def _sign_on() -> Challenge:
    """A redirect to the unified sign-on page (``sign_on_page``), as portals do when a session lapses."""
    return Challenge(302, {"Location": f"{SIGN_ON_PATH}?service=%2F", "Content-Type": "text/html"}, b"")


def sign_on_page() -> Challenge:
    return _portal_page("统一身份认证平台", "<form method='post' action='/sso/login'>用户名：<input name='username'>"
                        "密码：<input type='password' name='password'><button>登录</button></form>")


CHALLENGES = {"ruishu": _ruishu, "jiasule": _jiasule, "wzws": _wzws, "unavailable": _unavailable,
              "notfound": _not_found, "maintenance": _maintenance, "signon": _sign_on}


def challenge(kind: str) -> Challenge:
    return CHALLENGES[kind]()
