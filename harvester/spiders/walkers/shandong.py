"""Shandong's consolidated platform (/gongkai/site_X/channel_Y/): the channel page draws its
list with JavaScript from a JSON endpoint. The walker finds the endpoint (the config's
``params.list_api`` with ``{page}``, else the ``…page=" + page`` URL the page's script fetches),
reads each JSON page's items (title, url, date under the usual key names) and asks for the
next page until the page count is reached or a page comes back empty."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

from scrapy.http import Request, Response

from harvester.siteconfig import SiteConfig
from harvester.spiders.walkers.listing import ListingLink, ListPage, clean_text, iso_date, links_in

PAGE_META = "shandong_page"
# fetch("/api/channel/list?channel=Y&page=" + page) or $.getJSON('…pageNo=' + page)
_API_IN_SCRIPT = re.compile(r"""['"]([^'"\s]+[?&](?:page|pageNo|pageIndex|curPage)=)['"]\s*\+\s*\w+""")
_TITLE_KEYS = ("title", "docTitle", "name")
_URL_KEYS = ("url", "link", "href", "docUrl", "path")
_DATE_KEYS = ("date", "publishDate", "pubDate", "docDate", "time", "publishTime")
_PAGES_KEYS = ("totalPage", "totalPages", "pageCount", "pages")


def endpoint(text: str, site: SiteConfig) -> str | None:
    template = site.params.get("list_api")
    if template:
        return str(template)
    match = _API_IN_SCRIPT.search(text)
    return match.group(1) + "{page}" if match else None


def items_of(data: Any) -> list[dict[str, Any]]:
    """The first list of objects with a title and a URL, wherever the JSON nests it."""
    if isinstance(data, list):
        if data and all(isinstance(x, dict) for x in data) and _pick(data[0], _TITLE_KEYS) and _pick(data[0], _URL_KEYS):
            return data
        for value in data:
            found = items_of(value)
            if found:
                return found
    if isinstance(data, dict):
        for value in data.values():
            found = items_of(value)
            if found:
                return found
    return []


def page_count(data: Any) -> int | None:
    if isinstance(data, dict):
        for key in _PAGES_KEYS:
            if isinstance(data.get(key), int):
                return data[key]
        for value in data.values():
            found = page_count(value)
            if found is not None:
                return found
    return None


def _pick(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((item[k] for k in keys if item.get(k)), None)


def api_request(template: str, base_url: str, page: int) -> Request:
    return Request(urljoin(base_url, template.replace("{page}", str(page))), meta={PAGE_META: (template, page)})


def walk(response: Response, site: SiteConfig) -> ListPage:
    paging = response.meta.get(PAGE_META)
    if paging is None:  # the channel page: links already in the HTML, then the JSON pages
        links = links_in(response.selector, response.url, site.selectors.get("list_links"))
        template = endpoint(response.text, site)
        first = int(site.params.get("first_page", 1))
        return ListPage(links=links, next_requests=[api_request(template, response.url, first)] if template else [])
    template, page = paging
    try:
        data = json.loads(response.text)
    except ValueError:
        return ListPage()
    links = [
        ListingLink(response.urljoin(str(_pick(item, _URL_KEYS))), clean_text(str(_pick(item, _TITLE_KEYS))),
                    iso_date(str(_pick(item, _DATE_KEYS) or "")))
        for item in items_of(data)
    ]
    pages = page_count(data)
    more = links and (pages is None or page < pages)
    return ListPage(links=links, next_requests=[api_request(template, response.url, page + 1)] if more else [])
