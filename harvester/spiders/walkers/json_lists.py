"""Lists a column's script fetches as JSON: the endpoint named in the page's script, and the
links of each JSON page, however the platform shapes it.

Platforms answer with a list of objects under any nesting (Shandong's ``data.list``, TRS's
``DOCTITLE``/``DOCPUBURL``), wrapped as JSONP (``render({...})``) for cross-host loading, or
with the list's HTML inside the JSON (Hanweb jpaas's ``{"data": {"html": "<li>…"}}``).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

from parsel import Selector
from scrapy.http import Request, Response

from harvester.siteconfig import SiteConfig
from harvester.spiders.walkers.listing import ListingLink, ListPage, clean_text, iso_date, links_in

PAGE_META = "json_list_page"
# fetch("/api/channel/list?channel=Y&page=" + page), $.getJSON('…pageNo=' + page), s.src='…&pageNo='+pageNo
_API_IN_SCRIPT = re.compile(r"""['"]([^'"\s]+[?&](?:page|pageNo|pageNum|pageIndex|curPage)=)['"]\s*\+\s*\w+""")
_JSONP = re.compile(r"^\s*[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)
# Key names, lower-cased: platforms spell them in every case (docTitle, DOCTITLE).
_TITLE_KEYS = ("title", "doctitle", "name", "fulltitle", "docname")
_URL_KEYS = ("url", "link", "href", "docurl", "docpuburl", "linkurl", "contenturl", "fileurl", "path")
_DATE_KEYS = ("date", "publishdate", "pubdate", "docdate", "time", "publishtime", "docreltime", "pubtime")
_PAGES_KEYS = ("totalpage", "totalpages", "pagecount", "pages")


def endpoint(text: str, site: SiteConfig) -> str | None:
    """The JSON list's URL with ``{page}`` for the page number: the config's ``params.list_api``,
    else the one the page's script builds."""
    template = site.params.get("list_api")
    if template:
        return str(template)
    match = _API_IN_SCRIPT.search(text)
    return match.group(1) + "{page}" if match else None


def api_request(template: str, base_url: str, page: int) -> Request:
    return Request(urljoin(base_url, template.replace("{page}", str(page))), meta={PAGE_META: (template, page)})


def asked_for_json(response: Response) -> bool:
    """Whether ``response`` answers an ``api_request``."""
    return response.request is not None and PAGE_META in response.meta


def json_list_page(response: Response) -> ListPage:
    """The links of a JSON page ``api_request`` asked for, and a request for the next page
    until the page count is reached or a page lists nothing."""
    template, page = response.meta[PAGE_META]
    data = json_data(response.text)
    if data is None:
        return ListPage()
    links = json_links(data, response.url)
    pages = page_count(data)
    more = links and (pages is None or page < pages)
    return ListPage(links=links, next_requests=[api_request(template, response.url, page + 1)] if more else [])


def json_data(text: str) -> Any | None:
    """The JSON of an answer, JSONP's callback taken off; None when it is neither."""
    for candidate in (text, _unwrapped(text)):
        if candidate is None:
            continue
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def _unwrapped(text: str) -> str | None:
    match = _JSONP.match(text)
    return match.group(1) if match else None


def json_links(data: Any, base_url: str) -> list[ListingLink]:
    """The listed links: the first list of objects with a title and a URL, else the links of
    the HTML a string of the JSON holds."""
    items = items_of(data)
    if items:
        return [ListingLink(urljoin(base_url, str(_pick(item, _URL_KEYS))), clean_text(str(_pick(item, _TITLE_KEYS))),
                            iso_date(str(_pick(item, _DATE_KEYS) or ""))) for item in items]
    html = _html_in(data)
    return links_in(Selector(text=html), base_url) if html else []


def items_of(data: Any) -> list[dict[str, Any]]:
    """The first list of objects with a title and a URL, wherever the JSON nests it."""
    if isinstance(data, list):
        if data and all(isinstance(x, dict) for x in data) and _pick(data[0], _TITLE_KEYS) and _pick(data[0], _URL_KEYS):
            return data
        values: Any = data
    elif isinstance(data, dict):
        values = data.values()
    else:
        return []
    for value in values:
        found = items_of(value)
        if found:
            return found
    return []


def _html_in(data: Any) -> str | None:
    """The first string of the JSON holding links."""
    if isinstance(data, str):
        return data if "<a " in data or "<A " in data else None
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    return next((html for html in map(_html_in, values) if html), None)


def page_count(data: Any) -> int | None:
    if isinstance(data, dict):
        for key, value in data.items():
            if key.lower() in _PAGES_KEYS and isinstance(value, int):
                return value
        for value in data.values():
            found = page_count(value)
            if found is not None:
                return found
    return None


def _pick(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {key.lower(): value for key, value in item.items() if value}
    return next((lowered[k] for k in keys if k in lowered), None)
