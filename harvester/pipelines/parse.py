"""Parse pipeline: turns a capture's bytes into the ``ParseOutcome`` the archive records.

The page is parsed first; when its body holds no report (no section, no table: the page is
only a link to the file) the first attachment that parses is the primary document, read with
the page's metadata as hints. A document that cannot be parsed keeps its error; the crawl goes on.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from scrapy.crawler import Crawler

from harvester.items import ParseOutcome, ReportItem, Resource
from harvester.pipelines.archive import archive_for
from harvester.pipelines.offload import Offload
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


def _has_report(report: Report | None) -> bool:
    return report is not None and bool(
        report.sections or report.active_disclosure or report.applications or report.appeals
    )


def _parse(resource: Resource, body: bytes, hints: ReportHints) -> tuple[Document | None, Report | None, str | None]:
    try:
        doc, report = parse_bytes(body, filename=attachment_name(resource.url) or resource.url,
                                  content_type=resource.content_type, hints=hints)
    except ParseError as exc:
        return None, None, str(exc)
    return doc, report, None


def parse_capture(capture: ReportItem, site: SiteConfig, bodies: dict[str, bytes]) -> ParseOutcome:
    """The parser's word on a capture; ``bodies`` maps each fetched URL to its bytes (stored
    bytes for 304 answers)."""
    page = capture.page
    page_body = bodies[page.url]
    hints = hints_for(capture, site)
    page_doc, report, error = _parse(page, page_body, hints)
    fingerprint = page_doc.fingerprint() if page_doc else hashlib.sha256(page_body).hexdigest()
    document_url, used_hints = page.url, hints
    if not _has_report(report):
        # The page is only a link: the first attachment holding a report is the document,
        # else the first attachment at all (its error or empty report is the record).
        attachment_hints = replace(
            hints,
            page_meta=dict(page_doc.page_meta) if page_doc else {},
            title=hints.title or (page_doc.page_title if page_doc else None),
        )
        first = None
        for attachment in capture.attachments:
            body = bodies.get(attachment.url)
            if body is None:
                continue
            doc, found, problem = _parse(attachment, body, attachment_hints)
            candidate = (attachment.url, found, problem and f"{attachment_name(attachment.url) or attachment.url}: {problem}")
            first = first or candidate
            if _has_report(found):
                first = candidate
                # The page only wraps the report: its text (a header's clock, a visit
                # counter the body finder took in) must not make versions; the report does.
                fingerprint = doc.fingerprint()
                break
        if first is not None:
            (document_url, report, error), used_hints = first, attachment_hints
    return ParseOutcome(
        report=report.to_dict() if report else None,
        error=error,
        parser_version=PARSER_VERSION,
        fingerprint=fingerprint,
        document_url=document_url,
        hints=used_hints,
    )


def needs_parse(capture: ReportItem) -> bool:
    """Only a capture with something new is parsed: a blocked or failed page has nothing, and
    a 304 page whose attachments are all 304 (or absent) is known already."""
    if capture.page.status == "ok":
        return True
    return capture.page.status == "not_modified" and any(a.status == "ok" for a in capture.attachments)


class ParsePipeline:
    """Parses in ``HARVESTER_PARSE_WORKERS`` worker processes (see ``offload``), so parsing
    runs beside the downloads instead of stalling the reactor."""

    def __init__(self, crawler: Crawler, workers: int):
        self.crawler = crawler
        self.workers = workers
        self.offload: Offload | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ParsePipeline":
        return cls(crawler, crawler.settings.getint("HARVESTER_PARSE_WORKERS"))

    def open_spider(self) -> None:
        self.offload = Offload("parse", self.workers)

    def close_spider(self) -> None:
        if self.offload is not None:
            self.offload.close()

    async def process_item(self, item: ReportItem) -> ReportItem:
        if not needs_parse(item):
            return item
        bodies = self._bodies(item)
        if item.page.url not in bodies:
            item.parse = ParseOutcome(None, "page body missing: 304 for a page the archive has no bytes of",
                                      PARSER_VERSION, "")
            return item
        assert self.offload is not None
        item.parse = await self.offload.run(parse_capture, parse_capture, item, self.crawler.spider.site, bodies)
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
