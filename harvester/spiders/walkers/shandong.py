"""Shandong's consolidated platform (/gongkai/site_X/channel_Y/): the channel page draws its
list with JavaScript from a JSON endpoint. The walker finds the endpoint (the config's
``params.list_api`` with ``{page}``, else the ``…page=" + page`` URL the page's script fetches),
reads each JSON page's items (see :mod:`harvester.spiders.walkers.json_lists`) and asks for
the next page until the page count is reached or a page comes back empty."""

from __future__ import annotations

from scrapy.http import Response
from scrapy.utils.response import get_base_url

from harvester.siteconfig import SiteConfig
from harvester.spiders.walkers.json_lists import api_request, asked_for_json, endpoint, json_list_page
from harvester.spiders.walkers.listing import ListPage, links_in


def walk(response: Response, site: SiteConfig) -> ListPage:
    if asked_for_json(response):
        return json_list_page(response)
    # the channel page: links already in the HTML, then the JSON pages
    links = links_in(response.selector, get_base_url(response), site.selectors.get("list_links"))
    template = endpoint(response.text, site)
    first = int(site.params.get("first_page", 1))
    return ListPage(links=links, next_requests=[api_request(template, response.url, first)] if template else [])
