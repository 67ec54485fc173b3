"""List walkers: one per CMS family. A walker reads one list page (HTML, XML or JSON) and says
which report candidates it lists and which further list pages to read.

Walkers are plain functions ``walk(response, site) -> ListPage``; the spider decides which
links are reports (by title) and fetches everything.
"""

from __future__ import annotations

from collections.abc import Callable

from scrapy.http import Response

from harvester.siteconfig import SiteConfig
from harvester.spiders.walkers.listing import ListingLink, ListPage

Walker = Callable[[Response, SiteConfig], ListPage]


def walker_for(family: str) -> Walker:
    # Imported here so a family's module is loaded only when a site of that family is crawled.
    from harvester.spiders.walkers import generic, hanweb, shandong, trs

    return {"hanweb": hanweb.walk, "trs": trs.walk, "shandong": shandong.walk, "generic": generic.walk}[family]


__all__ = ["ListPage", "ListingLink", "Walker", "walker_for"]
