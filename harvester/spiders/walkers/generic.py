"""The fallback walker for layouts we have no family for: every link on the page is a
candidate (the spider keeps those whose title is a report's), and pagination is followed
through 下一页/next links, numbered page links, ``index_N``/``page=N`` URLs and the paging
scripts CMSes write (``goPage(2)`` calls, page counts in variables, ``createPageHTML``;
see :mod:`harvester.spiders.paging`)."""

from __future__ import annotations

import re

from scrapy.http import Request, Response

from harvester.siteconfig import SiteConfig
from harvester.spiders.paging import script_page_urls
from harvester.spiders.walkers.listing import ListPage, links_in

_NEXT_TEXT = re.compile(r"^(下一页|下页|后一页|next|next page|›|»|>|>>)$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\[?\d{1,4}\]?$")
# A numbered link's script pages the list only in a pager or by a paging function's name
# (goPage, turnPage, jumpTo, fy…); elsewhere "2" may switch a picture or a tab.
_PAGING_CALL = re.compile(r"page|go|turn|jump|\bfy|fenye", re.IGNORECASE)
_PAGED_URL = re.compile(r"(index_\d+\.s?html?|[?&](page|pageNo|pageIndex|curpage|p)=\d+|/page/\d+)", re.IGNORECASE)


def pagination_urls(response: Response, css: str | None = None) -> list[str]:
    """The list pages the pager links to: by their ``href``, or through the paging
    script their ``onclick``/``javascript:`` calls."""
    if css:
        return [response.urljoin(h) for h in response.css(css).xpath("@href").getall()]
    urls, calls = [], []
    for anchor in response.xpath("//a[@href or @onclick]"):
        href = (anchor.attrib.get("href") or "").strip()
        text = re.sub(r"\s+", "", " ".join(anchor.xpath(".//text()").getall()))
        in_pager = bool(anchor.xpath("ancestor::*[contains(@class,'pag') or contains(@id,'pag')]"))
        if not (_NEXT_TEXT.match(text) or _PAGE_NUMBER.match(text)):
            continue
        script = anchor.attrib.get("onclick") or (href if href.lower().startswith("javascript:") else "")
        if script and (in_pager or _NEXT_TEXT.match(text) or _PAGING_CALL.search(script)):
            calls.append(script)
        elif href and not href.startswith(("javascript:", "#")) and (
            _NEXT_TEXT.match(text) or in_pager or _PAGED_URL.search(href)
        ):
            urls.append(response.urljoin(href))
    return urls + script_page_urls(response.text, response.url, calls)


def walk(response: Response, site: SiteConfig) -> ListPage:
    links = links_in(response.selector, response.url, site.selectors.get("list_links"))
    pages = pagination_urls(response, site.selectors.get("next_page"))
    return ListPage(links=links, next_requests=[Request(url) for url in pages])
