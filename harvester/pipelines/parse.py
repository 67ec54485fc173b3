"""Parse pipeline: sends each capture with something new to a parse worker process
(``capture_parse`` is what the worker runs) and puts its ``ParseOutcome`` on the item.

Parsing runs in worker processes under limits (see ``workers``). Whatever goes wrong (a
ParseError, any other exception of the parser, a worker killed by a limit or its deadline),
the capture is recorded with the error; all but ParseError (an unreadable document, which is
the document's fault) also count in the crawl's ``errors``.
"""

from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from scrapy.crawler import Crawler

from harvester.crawl import count
from harvester.items import ParseOutcome, ReportItem
from harvester.pipelines import shared
from harvester.pipelines.archive import archive_for, crawl_state_for
from harvester.pipelines.bodies import resources, without_bodies
from harvester.pipelines.capture_parse import ParseRun, needs_parse, parse_stored, start_parse_worker
from harvester.pipelines.handoff import handoff_store
from harvester.pipelines.workers import WorkerFailed, WorkerLimits, WorkerPool
from parsers import PARSER_VERSION


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
            # The process's other crawlers (sites) parse in the same workers (``shared``).
            self.pool = shared.workers.take(
                self._pool_key, lambda: WorkerPool("parse", self.workers, self.limits, initializer=start_parse_worker))
        else:
            self.thread = ThreadPoolExecutor(1, thread_name_prefix="parse")

    def close_spider(self) -> None:
        if self.pool is not None:
            shared.workers.let_go(self._pool_key)
        if self.thread is not None:
            self.thread.shutdown()
        self.io.shutdown()

    @property
    def _pool_key(self) -> tuple[str, int, WorkerLimits]:
        return ("parse", self.workers, self.limits)

    async def process_item(self, item: ReportItem) -> ReportItem:
        if not needs_parse(item):
            return item
        names = await self._store(item)
        if item.page.url not in names:
            item.parse = ParseOutcome(None, "page body missing: 304 for a page the archive has no bytes of",
                                      PARSER_VERSION, "")
            return item
        if await self._recorded_already(item, names):
            return item  # recorded as it is, by its bytes (``Archive.record``), with the parse it had
        run = await self.parse(item, names)
        if run.crashed:
            count(self.crawler, "errors")
            self.crawler.spider.logger.error("parsing %s failed: %s", item.page.url, run.outcome.error)
        item.parse = run.outcome
        return item

    async def parse(self, item: ReportItem, names: dict[str, str], inline: dict[str, bytes] | None = None,
                    earlier_page: str | None = None) -> ParseRun:
        """The parse of ``item`` with the bodies ``names`` and ``inline`` give (URL -> sha256
        in the hand-off store, URL -> bytes; ``earlier_page``: the sha256 there of a first
        fetch's page, for a second fetch); a worker that died makes a failed parse."""
        site = self.crawler.spider.site
        args = (without_bodies(item), site, names, handoff_store(self.crawler).root, inline or {}, earlier_page)
        try:
            if self.pool is not None:
                run = await self.pool.run(parse_stored, *args)
            else:
                run = await asyncio.get_running_loop().run_in_executor(self.thread, parse_stored, *args)
        except WorkerFailed as exc:
            # Not tried again here: the document that killed a worker would kill the crawl.
            page = inline[item.page.url] if inline and item.page.url in inline else None
            fingerprint = hashlib.sha256(page).hexdigest() if page is not None else names[item.page.url]
            return ParseRun(ParseOutcome(None, f"parse worker failed: {exc}", PARSER_VERSION, fingerprint), crashed=True)
        # The item's own parse, not the worker's copy of it: one object, which the record
        # pipeline and the writer then send once, and read once if at all.
        return replace(run, outcome=item.parse) if run.earlier and item.parse is not None else run

    async def parse_again(self, item: ReportItem, body: bytes) -> ParseRun:
        """The parse of a second fetch of ``item``'s page (``body``, sent along: it is never
        stored), which is the item's own parse when the page is made of what the first fetch's
        was (``capture_parse.parse_capture_run``)."""
        return await self.parse(item, {}, {item.page.url: body}, item.stored.get(0))

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
                name = await loop.run_in_executor(self.io, self._stored_name, resource.url)
                if name is not None:
                    names[resource.url] = name
        return names

    async def _recorded_already(self, item: ReportItem, names: dict[str, str]) -> bool:
        """Whether the page came with the bytes its last recorded version has, and so do its
        attachments: a portal sending no validators answers every re-crawl in full, and each
        parse of an unchanged report cost as much as the first crawl's."""
        page_sha = names[item.page.url]
        if item.page.status != "ok" or crawl_state_for(self.crawler).recorded_pages.get(item.page.url) != page_sha:
            return False
        attachment_shas = [names.get(a.url) for a in item.attachments]
        return await asyncio.get_running_loop().run_in_executor(
            self.io, archive_for(self.crawler).recorded_as_version, item.page.url, page_sha, attachment_shas)

    def _stored_name(self, url: str) -> str | None:
        """The hand-off name of the newest bytes the archive holds for ``url``: when the hand-off
        store is the archive's own blob store, the sha256 they are stored under, as it is (no
        reading and hashing them again); else the bytes are read and put in the hand-off store."""
        archive, store = archive_for(self.crawler), handoff_store(self.crawler)
        if store is archive.blobs:
            return archive.latest_sha256(url)
        body = archive.latest_body(url)
        return store.put(body) if body is not None else None


_ATTRIBUTE = "_harvester_parse_pipeline"


def parser_for(crawler: Crawler) -> ParsePipeline:
    """The crawler's parse pipeline, whose workers parse the confirm pipeline's fetches too."""
    return getattr(crawler, _ATTRIBUTE)
