"""The fallback walker for layouts we have no family for: every link on the page is a
candidate (the spider keeps those whose title is a report's), and pagination is followed
through 下一页/next links, numbered page links, ``index_N``/``page=N`` URLs and the paging
scripts CMSes write (``goPage(2)`` calls, page counts in variables, ``createPageHTML``;
see :mod:`harvester.spiders.paging`), and a list the page's script fetches as JSON or JSONP
(:mod:`harvester.spiders.walkers.json_lists`). A column page that lists no report but links
the columns it is split into (区政府 | 区直部门 | 镇街道) leads to them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.response import get_base_url

from harvester.siteconfig import SiteConfig
from harvester.spiders.paging import script_page_urls
from harvester.spiders.walkers.json_lists import (
    api_request, asked_for_json, endpoint, json_data, json_links, json_list_page,
)
from harvester.spiders.walkers.listing import ListingLink, ListPage, page_links
from parsers.title import may_be_report_link

# The text (white space taken out) or picture's alt of a next-page link: "下一页", "下一页>",
# "[下一页]", "下一页»", "next", or an arrow alone.
_NEXT_TEXT = re.compile(r"^[\[【<《]?(下一页|下页|后一页|next|nextpage)[\]】>》]?(>|>>|»|›|＞|→)?$|^(›|»|>|>>|＞|→)$",
                        re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\[?\d{1,4}\]?$")
# A numbered link's script pages the list only in a pager or by a paging function's name
# (goPage, turnPage, jumpTo, fy…); elsewhere "2" may switch a picture or a tab.
_PAGING_CALL = re.compile(r"page|go|turn|jump|\bfy|fenye", re.IGNORECASE)
# A column's first page: its folder, or the folder's index/list page.
_COLUMN_PAGE = re.compile(r"/(?:(?:index|list|default)\.s?html?)?$", re.IGNORECASE)
_COLUMN_NAME_MAX = 12
_PAGED_URL = re.compile(r"((?:index|list)_\d+\.s?html?|[?&](page|pageNo|pageNum|pageIndex|curpage|p)=\d+|/page/\d+)",
                        re.IGNORECASE)


def pagination_urls(response: Response, css: str | None = None) -> list[str]:
    """The list pages the pager links to: by their ``href``, or through the paging
    script their ``onclick``/``javascript:`` calls."""
    if css:
        return [response.urljoin(h) for h in response.css(css).xpath("@href").getall()]
    urls, calls = [], []
    for anchor in response.xpath("//a[@href or @onclick]"):
        href = (anchor.attrib.get("href") or "").strip()
        text = re.sub(r"\s+", "", " ".join(anchor.xpath(".//text()").getall())
                      or anchor.attrib.get("title") or " ".join(anchor.xpath(".//img/@alt").getall()))
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
    return urls + script_page_urls(response.text, get_base_url(response), calls)


def sub_columns(page_url: str, links: list[ListingLink]) -> list[str]:
    """The first pages of the columns a column page splits into (区政府 | 区直部门 | 镇街道),
    when it lists no report itself: links with a short name to a column page (a folder, or
    its index/list page) inside the page's own folder. A page at the site's root has none:
    every column of the site would be one."""
    if any(may_be_report_link(link.title) for link in links):
        return []
    here = urlsplit(page_url)
    folder = here.path[: here.path.rfind("/") + 1]
    if folder in ("", "/"):
        return []
    found = []
    for link in links:
        target = urlsplit(link.url)
        if (target.netloc == here.netloc and target.path.startswith(folder) and target.path != here.path
                and _COLUMN_PAGE.search(target.path) and 0 < len(link.title) <= _COLUMN_NAME_MAX):
            found.append(link.url)
    return found


def walk(response: Response, site: SiteConfig) -> ListPage:
    if asked_for_json(response):
        return json_list_page(response)
    if not isinstance(response, HtmlResponse):  # a start URL or a rendered page's answer that is JSON(P)
        data = json_data(response.text) if isinstance(response, TextResponse) else None
        return ListPage(links=json_links(data, response.url) if data is not None else [])
    links = page_links(response.text, response.selector, get_base_url(response), site.selectors.get("list_links"))
    pages = [Request(url) for url in pagination_urls(response, site.selectors.get("next_page")) + sub_columns(response.url, links)]
    # a list the page's script fetches as JSON, page by page
    template = endpoint(response.text, site)
    if template is not None:
        pages.append(api_request(template, response.url, int(site.params.get("first_page", 1))))
    return ListPage(links=links, next_requests=pages)
