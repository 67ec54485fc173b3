"""TRS WCM columns: ``index.html``, ``index_1.html``, … with the page count printed in the
page's script as ``createPageHTML(total, current, "index", "html")``. ``current`` is 0 on the
first page of 0-based sites and 1 on 1-based ones; both name page n (counting from 0)
``index_n.html``, so the first page lists every other page."""

from __future__ import annotations

import re

from scrapy.http import Request, Response
from scrapy.utils.response import get_base_url

from harvester.siteconfig import SiteConfig
from harvester.spiders.paging import create_page_html
from harvester.spiders.walkers.listing import ListPage, page_links


def walk(response: Response, site: SiteConfig) -> ListPage:
    links = page_links(response.text, response.selector, get_base_url(response), site.selectors.get("list_links"))
    is_first = not re.search(r"_\d+\.\w+$", response.url)
    pages = create_page_html(response.text, response.url) if is_first else []
    return ListPage(links=links, next_requests=[Request(url) for url in pages])
