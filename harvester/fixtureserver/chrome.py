"""Page chrome shared by every fixture portal page: header, navigation and footer.

The footer carries two markers the server fills in at serve time (a visit counter that
changes on every request and today's date), so two fetches of an unchanged report differ
in their chrome but never in their body, as on real portals. The markers and what replaces
them are ASCII, so injection works on the bytes of pages in any ASCII-compatible encoding.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from harvester.fixtureserver.site import Portal

VISITS_MARKER = "<!--fx:visits-->"
TODAY_MARKER = "<!--fx:today-->"


@dataclass(frozen=True)
class SiteChrome:
    """What a portal's pages print around their content."""

    site_name: str
    column_name: str
    column_url: str
    charset: str  # as the <meta> tag names it, e.g. "UTF-8", "gb2312"
    offsite_url: str  # the footer's link to another host, which crawlers must not follow


def portal_chrome(portal: Portal) -> SiteChrome:
    return SiteChrome(portal.site_name, portal.column_name, portal.list_path, portal.meta_charset, portal.offsite_url)


def page_html(chrome: SiteChrome, *, title: str, body: str, head: str = "") -> str:
    """A whole page: ``body`` between the portal's header and footer."""
    site = html.escape(chrome.site_name)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={chrome.charset}">
<title>{html.escape(title)}_{site}</title>
<meta name="SiteName" content="{site}">
{head}</head>
<body>
<div class="header"><div class="logo">{site}</div>
<ul class="nav">
<li><a href="/index.html">首页</a></li>
<li><a href="{chrome.column_url}">{html.escape(chrome.column_name)}</a></li>
</ul>
</div>
<div class="main">
{body}
</div>
<div class="footer">
<p>主办：{site}　<a href="{chrome.offsite_url}" target="_blank">山东省人民政府</a></p>
<p>您是本站第<span class="visits">{VISITS_MARKER}</span>位访问者　今天是<span class="today">{TODAY_MARKER}</span></p>
</div>
</body>
</html>
"""


def inject(page: bytes, visits: int, today: dt.date) -> bytes:
    return page.replace(VISITS_MARKER.encode(), str(visits).encode()).replace(
        TODAY_MARKER.encode(), today.isoformat().encode()
    )
