"""TRS WCM columns: ``index.html``, ``index_1.html``, … with the page count printed in the
page's script as ``createPageHTML(total, current, "index", "html")``. ``current`` is 0 on the
first page of 0-based sites and 1 on 1-based ones; both name page n (counting from 0)
``index_n.html``, so the first page lists every other page."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from scrapy.http import Request, Response

from harvester.siteconfig import SiteConfig
from harvester.spiders.walkers.listing import ListPage, links_in

_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]"
)


def page_urls(text: str, url: str) -> list[str]:
    """URLs of the column's other pages, read from the first page's createPageHTML call."""
    match = _CREATE_PAGE.search(text)
    if match is None:
        return []
    total, stem, ext = int(match.group(1)), match.group(3), match.group(4)
    return [urljoin(url, f"{stem}_{n}.{ext}") for n in range(1, total)]


def walk(response: Response, site: SiteConfig) -> ListPage:
    links = links_in(response.selector, response.url, site.selectors.get("list_links"))
    is_first = not re.search(r"_\d+\.\w+$", response.url)
    pages = page_urls(response.text, response.url) if is_first else []
    return ListPage(links=links, next_requests=[Request(url) for url in pages])
