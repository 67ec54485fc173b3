"""Parse pipeline: turns a capture's bytes into the ``ParseOutcome`` the archive records.

The page is parsed first; when its body holds no report (no section, no table: the page is
only a link to the file) the first attachment that parses is the primary document, read with
the page's metadata as hints. Parsing runs in a worker thread so downloads go on meanwhile.
A document that cannot be parsed keeps its error; the crawl goes on.
"""

from __future__ import annotations

import asyncio
import hashlib

from scrapy.crawler import Crawler

from harvester.items import ParseOutcome, ReportItem, Resource
from harvester.pipelines.archive import archive_for
from harvester.siteconfig import SiteConfig
from harvester.spiders.reportpage import attachment_name
from parsers import PARSER_VERSION
from parsers.api import parse_bytes
from parsers.document import Document
from parsers.errors import ParseError
from parsers.hints import ReportHints
from parsers.report import Report
from parsers.title import parse_report_title

def hints_for(capture: ReportItem, site: SiteConfig) -> ReportHints:
    info = parse_report_title(capture.listing_title or "")
    return ReportHints(
        agency=(info.agency if info else None) or site.agency,
        region=site.region,
        year=info.year if info else None,
        title=capture.listing_title,
        publish_date=capture.listing_date,
        source_url=capture.page.url,
    )


def _has_report(report: Report) -> bool:
    return bool(report.sections or report.active_disclosure or report.applications or report.appeals)


def _parse(resource: Resource, body: bytes, hints: ReportHints) -> tuple[Document, Report]:
    return parse_bytes(body, filename=attachment_name(resource.url) or resource.url,
                       content_type=resource.content_type, hints=hints)


def parse_capture(capture: ReportItem, site: SiteConfig, bodies: dict[str, bytes]) -> ParseOutcome:
    """The parser's word on a capture; ``bodies`` maps each fetched URL to its bytes (stored
    bytes for 304 answers)."""
    page = capture.page
    page_body = bodies[page.url]
    hints = hints_for(capture, site)
    try:
        page_doc, report = _parse(page, page_body, hints)
    except ParseError as exc:
        page_doc, report, error = None, None, str(exc)
    else:
        error = None
    fingerprint = page_doc.fingerprint() if page_doc else hashlib.sha256(page_body).hexdigest()
    if report is None or not _has_report(report):
        if page_doc is not None:
            hints.page_meta = dict(page_doc.page_meta)
            hints.title = hints.title or page_doc.page_title
        for attachment in capture.attachments:
            body = bodies.get(attachment.url)
            if body is None:
                continue
            try:
                _, report = _parse(attachment, body, hints)
            except ParseError as exc:
                error = error or f"{attachment.url}: {exc}"
                continue
            error = None
            break
    return ParseOutcome(report=report.to_dict() if report else None, error=error,
                        parser_version=PARSER_VERSION, fingerprint=fingerprint)


def needs_parse(capture: ReportItem) -> bool:
    """Only a capture with something new is parsed: a blocked or failed page has nothing, and
    a 304 page whose attachments are all 304 (or absent) is known already."""
    if capture.page.status == "ok":
        return True
    return capture.page.status == "not_modified" and any(a.status == "ok" for a in capture.attachments)


class ParsePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ParsePipeline":
        return cls(crawler)

    async def process_item(self, item: ReportItem) -> ReportItem:
        if not needs_parse(item):
            return item
        bodies = self._bodies(item)
        if item.page.url not in bodies:
            item.parse = ParseOutcome(None, "page body missing: 304 for a page the archive has no bytes of",
                                      PARSER_VERSION, "")
            return item
        site = self.crawler.spider.site
        item.parse = await asyncio.to_thread(parse_capture, item, site, bodies)
        return item

    def _bodies(self, item: ReportItem) -> dict[str, bytes]:
        """Fetched bytes, or the archive's stored bytes for resources answered 304."""
        archive = archive_for(self.crawler)
        bodies: dict[str, bytes] = {}
        for resource in [item.page, *item.attachments]:
            body = resource.body if resource.body is not None else (
                archive.latest_body(resource.url) if resource.status == "not_modified" else None)
            if body is not None:
                bodies[resource.url] = body
        return bodies
