"""Hanweb (大汉) JCMS columns: page 1 is inlined in the column page as
``<script type="text/xml"><datastore>…<record><![CDATA[<li>…</li>]]></record>…``; later
pages come from ``/module/web/jpage/dataproxy.jsp`` (POST, ``startrecord``/``endrecord``/
``perpage`` in the query, ``webid``/``columnid``/``unitid`` as form fields), which answers
the same ``<datastore>`` XML with ``<totalrecord>``."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector
from scrapy.http import FormRequest, Response

from harvester.siteconfig import SiteConfig
from harvester.spiders.walkers.listing import ListingLink, ListPage, links_in

DATAPROXY = "/module/web/jpage/dataproxy.jsp"
PAGING_META = "hanweb_paging"
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
_PERPAGE = re.compile(r"perpage['\"]?\s*[:=]\s*['\"]?(\d+)", re.I)
_FORM_KEYS = ("webid", "columnid", "unitid", "path", "webname", "permissiontype", "col", "appid", "sourceContentType")


def records(text: str, base_url: str) -> list[ListingLink]:
    """The links of every ``<record>`` in a datastore."""
    links: list[ListingLink] = []
    for snippet in _RECORD.findall(text):
        links.extend(links_in(Selector(text=snippet), base_url))
    return links


def paging_form(text: str, site: SiteConfig) -> dict[str, str]:
    """dataproxy.jsp form fields: from the ``<nextgroup>`` link, the page's scripts, then the config."""
    form: dict[str, str] = {"col": "1", "appid": "1", "permissiontype": "0", "sourceContentType": "1"}
    nextgroup = _NEXTGROUP.search(text)
    if nextgroup:
        href = Selector(text=nextgroup.group(1)).xpath("//a/@href").get() or ""
        form.update({k: v for k, v in parse_qsl(urlsplit(unescape(href)).query) if k in _FORM_KEYS})
    for key in ("webid", "columnid", "unitid"):
        if key not in form:
            match = re.search(rf"{key}['\"]?\s*[:=]\s*['\"]?(\w+)", text, re.I)
            if match:
                form[key] = match.group(1)
    form.update({k: str(v) for k, v in site.params.items() if k in _FORM_KEYS})
    return form


def page_request(base_url: str, form: dict[str, str], start: int, perpage: int) -> FormRequest:
    end = start + perpage - 1
    url = urljoin(base_url, f"{DATAPROXY}?startrecord={start}&endrecord={end}&perpage={perpage}")
    return FormRequest(url, formdata=form, meta={PAGING_META: {"form": form, "start": start, "perpage": perpage}})


def walk(response: Response, site: SiteConfig) -> ListPage:
    text = response.text
    paging = response.meta.get(PAGING_META)
    links = records(text, response.url)
    if paging is None:  # the column page with its inline first page
        form = paging_form(text, site)
        if not form.get("columnid"):
            return ListPage(links=links)
        perpage = int(site.params.get("perpage") or _first_int(_PERPAGE, text) or max(len(links), 15))
        start = len(links) + 1
        total = _first_int(_TOTAL, text)
        if total is not None and total < start:
            return ListPage(links=links)
        return ListPage(links=links, next_requests=[page_request(response.url, form, start, perpage)])
    total = _first_int(_TOTAL, text) or 0
    next_start = paging["start"] + paging["perpage"]
    more = [page_request(response.url, paging["form"], next_start, paging["perpage"])] if links and next_start <= total else []
    return ListPage(links=links, next_requests=more)


def _first_int(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    return int(match.group(1)) if match else None
