"""Pages a portal answers with HTTP 200 where a report stood: "您访问的页面不存在或已被删除",
"系统维护中", a sign-on form, a redirect to the home page, an empty body, a gzip body sent
without Content-Encoding.

Stored, each was a new version of its report (template unknown, no cells, "numbers" changed,
then "reverted" when the report came back) or a report of its own named from the list's
title, and the feed announced the change. Such a page is a failed capture instead, as an
HTTP error is: the report's versions stay what the report printed.

A page is one of these only when it holds no word of a report's text and links no
document: a report page says 总体情况 or 本年新收, or points at the file that holds them.
"""

from __future__ import annotations

import codecs
import re

from scrapy.http import HtmlResponse, Response, TextResponse

from harvester.spiders.reportpage import requested_url
from parsers.extract.encoding import decode_html
from storage.gone import GONE_PAGE

# Words every report's text prints and no portal's error page or navigation does.
_REPORT_WORDS = re.compile(r"总体情况|本年新收|收到和处理|主动公开政府信息|依申请公开政府信息|存在的主要问题|需要报告的|"
                           r"行政复议|详见附件|请见附件|附件[：:]")
# The page is no more (a report taken down) ...
_GONE_WORDS = re.compile(r"页面不存在|页面已(?:被)?删除|已被删除|不存在或已|找不到(?:该|您|相关)?页面|无法找到|信息已(?:撤销|撤回|下线)|"
                         r"\b(?:404|410)\b|Not Found", re.IGNORECASE)
# ... or the portal cannot show it now (a report that is still there).
_DOWN_WORDS = re.compile(
    r"访问的页面|页面(?:无法|不能)(?:访问|显示)|系统(?:正在)?维护|维护中|升级维护|暂停(?:服务|访问)|请稍后(?:再试|访问)|"
    r"服务器(?:错误|繁忙)|访问出错|出错了|\b(?:403|500|502|503)\b|Internal Server Error|Service Unavailable", re.IGNORECASE)
_PASSWORD_FIELD = re.compile(r"<input\b[^>]*\btype\s*=\s*[\"']?password", re.IGNORECASE)
_VISIBLE_TEXT = "//body//text()[not(ancestor::script) and not(ancestor::style)]"
_QUOTED_CHARS = 40
_GZIP_MAGIC = b"\x1f\x8b"
_SAYS_GONE = "a not-found page"
_GZIPPED = "HTTP {status} with a gzip-compressed body sent without Content-Encoding"


def error_page_reason(response: TextResponse, links_documents: bool) -> str | None:
    """Why the report page ``response`` holds no report (None when it may hold one).
    ``links_documents``: the page links attachments or pictures, which may hold the report."""
    if response.body[:2] == _GZIP_MAGIC:  # a browser shows this as garbage too
        return _GZIPPED.format(status=response.status)
    if links_documents or _REPORT_WORDS.search(response.text):
        return None
    said = _portal_error(response)
    if said is not None:
        gone = f": {GONE_PAGE}" if said.startswith(_SAYS_GONE) else ""
        return f"HTTP {response.status} with {said} where a report stood{gone}"
    if response.url != requested_url(response):  # as portals send a deleted article's address home
        return f"redirected to {response.url}, a page without a report: {GONE_PAGE}"
    return None


def error_list_page_reason(response: TextResponse) -> str | None:
    """Why a list page that listed no report is the portal's error page (None when it may be
    an empty column): its unread entries must not be taken for reports taken down."""
    if response.body[:2] == _GZIP_MAGIC:
        return _GZIPPED.format(status=response.status)
    said = _portal_error(response)
    return f"HTTP {response.status} with {said} for a list page" if said is not None else None


def _portal_error(response: TextResponse) -> str | None:
    """What of a portal's error page ``response`` shows: an empty page, an error, a sign-on form
    (nothing for a list's JSON or XML, which shows no page)."""
    if not isinstance(response, HtmlResponse):
        return None
    visible = " ".join(" ".join(response.xpath(_VISIBLE_TEXT).getall()).split())
    if not visible:
        return "an empty page"
    for words, kind in ((_GONE_WORDS, _SAYS_GONE), (_DOWN_WORDS, "an error page")):
        said = words.search(visible)
        if said is not None:
            start = max(0, said.start() - _QUOTED_CHARS // 2)
            return f"{kind} ({visible[start:start + _QUOTED_CHARS]!r})"
    if _PASSWORD_FIELD.search(response.text):
        return f"a sign-on form ({response.url})"
    return None


def as_decoded(response: Response) -> Response:
    """``response`` read in the charset its bytes are in, where the portal labels them wrongly
    (GBK sent as utf-8): Scrapy trusts the label, and the list's titles and its 下一页 came out
    as mojibake, so its reports and its next pages were not found."""
    if not isinstance(response, TextResponse) or response.body[:2] == _GZIP_MAGIC:
        return response
    _, charset = decode_html(response.body, response.headers.get(b"Content-Type", b"").decode("latin-1"))
    if _family(charset) == _family(response.encoding):
        return response
    return response.replace(encoding=charset)


def _family(charset: str) -> str:
    name = codecs.lookup(charset).name
    return "gb18030" if name in ("gbk", "gb2312", "gb18030") else name
