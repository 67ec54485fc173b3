"""Re-crawling the replay portals without Scrapy: each report page and its attachments are
fetched over HTTP and go through the crawl's own parse and confirm steps into the archive.

The replay test's 20 re-crawls and the replay benchmark's thousand re-fetches would take
minutes as ``harvester crawl`` runs; this loop does what the pipelines do with a capture
(``parse_capture``, ``Archive.confirmation_needed``, a second fetch, ``Archive.record``)
for the report URLs a first real crawl found.
"""

from __future__ import annotations

import re
import urllib.request
from collections import Counter
from datetime import UTC, datetime

import sqlalchemy as sa

from harvester.items import ReportItem, Resource
from harvester.pipelines.capture_parse import parse_capture
from harvester.siteconfig import SiteConfig
from harvester.attachments import ATTACHMENT_EXTENSIONS
from storage.archive import Archive
from storage.models import Capture

_LINK = re.compile(r'href="([^"]+)"')


def _fetch(url: str) -> Resource:
    with urllib.request.urlopen(url, timeout=30) as response:
        return Resource(url=url, http_status=response.status, fetched_at=datetime.now(UTC), body=response.read(),
                        content_type=response.headers.get("Content-Type"))


def report_urls(archive: Archive, site: str) -> dict[str, str | None]:
    """The report pages a crawl of ``site`` captured, with their listing titles."""
    with archive.session() as session:
        return dict(session.execute(sa.select(Capture.url, Capture.listing_title)
                                    .where(Capture.site == site, Capture.role == "page")).all())


def fetch_capture(site: SiteConfig, url: str, listing_title: str | None) -> ReportItem:
    """A report page and its attachments fetched and parsed, as the parse pipeline leaves it."""
    page = _fetch(url)
    html = page.body.decode("latin-1") if page.body else ""
    attachments = [_fetch(urllib.request.urljoin(url, href)) for href in dict.fromkeys(_LINK.findall(html))
                   if href.lower().endswith(ATTACHMENT_EXTENSIONS)]
    item = ReportItem(site=site.name, page=page, attachments=attachments, listing_title=listing_title)
    item.parse = parse_capture(item, site, {r.url: r.body for r in [page, *attachments] if r.body is not None})
    return item


def confirm(archive: Archive, site: SiteConfig, item: ReportItem) -> bool:
    """What the confirm pipeline does: a second fetch of the page when the archive asks."""
    if not archive.confirmation_needed(item):
        return False
    again = _fetch(item.page.url)
    bodies = {r.url: r.body for r in item.attachments if r.body is not None}
    item.confirmation = parse_capture(item, site, {**bodies, item.page.url: again.body or b""})
    return True


def recapture(archive: Archive, site: SiteConfig, url: str, listing_title: str | None) -> str:
    """Fetch, parse, confirm when asked, record: the outcome."""
    item = fetch_capture(site, url, listing_title)
    confirm(archive, site, item)
    return archive.record(item).outcome


def recrawl(archive: Archive, sites: list[SiteConfig]) -> Counter[str]:
    """Every report page of the sites captured once more; outcomes counted."""
    outcomes: Counter[str] = Counter()
    for site in sites:
        for url, title in report_urls(archive, site.name).items():
            outcomes[recapture(archive, site, url, title)] += 1
    return outcomes
