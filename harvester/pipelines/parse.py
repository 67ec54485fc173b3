"""Parse pipeline: turns a capture's bytes into the ``ParseOutcome`` the archive records.

The page is parsed first; when its body holds no report (no section, no table: the page is
only a link to the file) the first attachment that parses is the primary document, read with
the page's metadata as hints. A document that cannot be parsed keeps its error; the crawl goes on.

Parsing runs in worker processes under limits (see ``workers``). Whatever goes wrong (a
ParseError, any other exception of the parser, a worker killed by a limit or its deadline),
the capture is recorded with the error; all but ParseError (an unreadable document, which is
the document's fault) also count in the crawl's ``errors``.
"""

from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from scrapy.crawler import Crawler

from harvester.crawl import count
from harvester.items import ParseOutcome, ReportItem, Resource
from harvester.pipelines.archive import archive_for
from harvester.pipelines.handoff import handoff_store, read_bodies, resources, without_bodies
from harvester.pipelines.record import Storable, storable
from harvester.pipelines.workers import WorkerFailed, WorkerLimits, WorkerPool, describe
from harvester.siteconfig import SiteConfig
from harvester.spiders.reportpage import attachment_name
from parsers import PARSER_VERSION
from parsers.api import parse_bytes
from parsers.document import Document
from parsers.errors import ParseError
from parsers.extract.page_images import fetched_pictures, images_by_src
from parsers.hints import ReportHints
from parsers.report import Report
from parsers.title import parse_report_title
from storage.blobs import BlobStore

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


@dataclass
class ParseRun:
    outcome: ParseOutcome
    crashed: bool = False  # the parser raised something other than ParseError


@dataclass
class _Parsed:
    doc: Document | None
    report: Report | None
    error: str | None = None
    crashed: bool = False


def _parse(resource: Resource, body: bytes, hints: ReportHints, images: dict[str, bytes] | None = None) -> _Parsed:
    try:
        doc, report = parse_bytes(body, filename=attachment_name(resource.url) or resource.url,
                                  content_type=resource.content_type, hints=hints, images=images)
    except ParseError as exc:
        return _Parsed(None, None, str(exc))
    except Exception as exc:  # a parser bug or a limit (RecursionError, MemoryError): the capture stays
        return _Parsed(None, None, f"parser failed: {describe(exc)}", crashed=True)
    return _Parsed(doc, report)


def parse_capture(capture: ReportItem, site: SiteConfig, bodies: dict[str, bytes]) -> ParseOutcome:
    """The parser's word on a capture; ``bodies`` maps each fetched URL to its bytes (stored
    bytes for 304 answers)."""
    return parse_capture_run(capture, site, bodies).outcome


def parse_capture_run(capture: ReportItem, site: SiteConfig, bodies: dict[str, bytes]) -> ParseRun:
    """``parse_capture``, also telling whether the parser crashed on the way."""
    page = capture.page
    page_body = bodies[page.url]
    hints = hints_for(capture, site)
    # Pictures of the page's body were fetched with the capture: they are read with the
    # page, never tried as a document of their own.
    pictures = fetched_pictures(page_body, page.url, {a.url: bodies[a.url] for a in capture.attachments if a.url in bodies},
                                page.content_type)
    picture_urls = {picture.url for picture in pictures}
    parsed = _parse(page, page_body, hints, images_by_src(pictures))
    crashed = parsed.crashed
    page_doc, report, error = parsed.doc, parsed.report, parsed.error
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
            if body is None or attachment.url in picture_urls:
                continue
            attempt = _parse(attachment, body, attachment_hints)
            crashed = crashed or attempt.crashed
            found, problem = attempt.report, attempt.error
            candidate = (attachment.url, found, problem and f"{attachment_name(attachment.url) or attachment.url}: {problem}")
            first = first or candidate
            if _has_report(found):
                first = candidate
                # The page only wraps the report: its text (a header's clock, a visit
                # counter the body finder took in) must not make versions; the report does.
                fingerprint = attempt.doc.fingerprint()
                break
        if first is not None:
            (document_url, report, error), used_hints = first, attachment_hints
    outcome = ParseOutcome(
        report=report.to_dict() if report else None,
        error=error,
        parser_version=PARSER_VERSION,
        fingerprint=fingerprint,
        document_url=document_url,
        hints=used_hints,
    )
    return ParseRun(outcome, crashed)


def needs_parse(capture: ReportItem) -> bool:
    """Only a capture with something new is parsed: a blocked or failed page has nothing, and
    a 304 page whose attachments are all 304 (or absent) is known already."""
    if capture.page.status == "ok":
        return True
    return capture.page.status == "not_modified" and any(a.status == "ok" for a in capture.attachments)


def parse_stored(capture: ReportItem, site: SiteConfig, names: dict[str, str], store: Path,
                 inline: dict[str, bytes]) -> ParseRun:
    """``parse_capture_run`` where the bodies are: by sha256 name in the hand-off store at
    ``store`` (see ``handoff``), or ``inline``. The report comes back cleaned for the archive
    (``record.storable``) here, beside the other workers, rather than in the crawl process."""
    run = parse_capture_run(capture, site, {**read_bodies(names, BlobStore(store)), **inline})
    if run.outcome.report is not None:
        run.outcome.report = Storable(storable(run.outcome.report))
    return run


class ParsePipeline:
    """Parses in ``HARVESTER_PARSE_WORKERS`` worker processes under limits (see ``workers``),
    so parsing runs beside the downloads and a hostile document costs one worker, never the
    crawl. With 0 workers it parses in one thread of the crawl process, without limits.
    Bodies reach the workers by reference (see ``handoff``); the confirm pipeline parses
    its second fetches here too (``parser_for``)."""

    def __init__(self, crawler: Crawler, workers: int, limits: WorkerLimits):
        self.crawler = crawler
        self.workers = workers
        self.limits = limits
        self.pool: WorkerPool | None = None
        self.thread: ThreadPoolExecutor | None = None
        # Hashing and writing bodies, off the reactor (both release the GIL).
        self.io = ThreadPoolExecutor(2, thread_name_prefix="handoff")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ParsePipeline":
        settings = crawler.settings
        limits = WorkerLimits(
            memory_mb=settings.getint("HARVESTER_PARSE_MEMORY_MB"),
            cpu_seconds=settings.getint("HARVESTER_PARSE_CPU_SECONDS"),
            deadline=settings.getfloat("HARVESTER_PARSE_DEADLINE"),
        )
        pipeline = cls(crawler, settings.getint("HARVESTER_PARSE_WORKERS"), limits)
        setattr(crawler, _ATTRIBUTE, pipeline)
        return pipeline

    def open_spider(self) -> None:
        if self.workers > 0:
            self.pool = WorkerPool("parse", self.workers, self.limits)
        else:
            self.thread = ThreadPoolExecutor(1, thread_name_prefix="parse")

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self.thread is not None:
            self.thread.shutdown()
        self.io.shutdown()

    async def process_item(self, item: ReportItem) -> ReportItem:
        if not needs_parse(item):
            return item
        names = await self._store(item)
        if item.page.url not in names:
            item.parse = ParseOutcome(None, "page body missing: 304 for a page the archive has no bytes of",
                                      PARSER_VERSION, "")
            return item
        run = await self.parse(item, names)
        if run.crashed:
            count(self.crawler, "errors")
            self.crawler.spider.logger.error("parsing %s failed: %s", item.page.url, run.outcome.error)
        item.parse = run.outcome
        return item

    async def parse(self, item: ReportItem, names: dict[str, str], inline: dict[str, bytes] | None = None) -> ParseRun:
        """The parse of ``item`` with the bodies ``names`` and ``inline`` give (URL -> sha256
        in the hand-off store, URL -> bytes); a worker that died makes a failed parse."""
        site = self.crawler.spider.site
        args = (without_bodies(item), site, names, handoff_store(self.crawler).root, inline or {})
        try:
            if self.pool is not None:
                return await self.pool.run(parse_stored, *args)
            return await asyncio.get_running_loop().run_in_executor(self.thread, parse_stored, *args)
        except WorkerFailed as exc:
            # Not tried again here: the document that killed a worker would kill the crawl.
            page = inline[item.page.url] if inline and item.page.url in inline else None
            fingerprint = hashlib.sha256(page).hexdigest() if page is not None else names[item.page.url]
            return ParseRun(ParseOutcome(None, f"parse worker failed: {exc}", PARSER_VERSION, fingerprint), crashed=True)

    async def _store(self, item: ReportItem) -> dict[str, str]:
        """Put the item's bodies in the hand-off store (noting them in ``item.stored``) and
        name every body there is to parse, URL -> sha256: the fetched ones, and the archive's
        stored bytes for resources answered 304."""
        store = handoff_store(self.crawler)
        loop = asyncio.get_running_loop()
        names: dict[str, str] = {}
        for position, resource in enumerate(resources(item)):
            body = resource.body
            if body is not None:
                item.stored[position] = names[resource.url] = await loop.run_in_executor(self.io, store.put, body)
            elif resource.status == "not_modified":
                body = archive_for(self.crawler).latest_body(resource.url)
                if body is not None:
                    names[resource.url] = await loop.run_in_executor(self.io, store.put, body)
        return names


_ATTRIBUTE = "_harvester_parse_pipeline"


def parser_for(crawler: Crawler) -> ParsePipeline:
    """The crawler's parse pipeline, whose workers parse the confirm pipeline's fetches too."""
    return getattr(crawler, _ATTRIBUTE)
