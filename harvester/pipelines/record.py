"""Record pipeline: each crawl is a run in the archive; each capture is recorded in it and
counted in the crawl's statistics (new reports, new versions, unchanged, not modified,
failed, blocked). A crawl that finished having read every list page then tells the archive
to mark the site's reports it did not find as withdrawn.

No capture is lost to another's problem: text no database stores (lone surrogates, NUL) is
replaced before recording, and should a batch still fail, its captures are recorded one by
one, a capture that fails on its own being recorded again without its parse, with the error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import replace
from functools import partial

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from harvester.crawl import RUN_ID_STAT, STAT_PREFIX, count, downloading, health_stats, run_stats, site_stats
from harvester.items import ParseOutcome, ReportItem
from harvester.pipelines import shared
from harvester.pipelines.archive import archive_for
from harvester.pipelines.batching import Batcher, each_apart_on_failure, run_alone
from harvester.pipelines.bodies import without_bodies
from harvester.pipelines.handoff import handoff_store
from harvester.pipelines.offload import Offload, archive_offload
from harvester.pipelines.storable import storable
from harvester.pipelines.workers import describe
from harvester.pipelines.writer import open_worker_archive, record_in_worker, record_with
from harvester.spiders.reports import LIST_FAILED_STAT, reports_requested
from parsers import PARSER_VERSION
from storage.capture import RecordResult

# Captures recorded per transaction, and how long the first of a batch may wait for others
# while pages are being downloaded. A transaction costs the writer some 12 million
# instructions beyond its captures' own, and a crawl's items come about as fast as the writer
# records them: at 20 ms a first crawl's batches held some 10 captures, at 250 ms they fill.
# Not more than 32: the writer holds a batch's parses at once, and with 128 its RSS was 175 MB
# at a 100,000-report crawl's 35,000th report, where with 32 it was 106 MB.
BATCH_SIZE = 32
BATCH_DELAY = 0.25
# Archive.record outcome -> statistic
OUTCOME_STATS = {"new_report": "new_reports", "new_version": "new_versions", "unchanged": "unchanged", "failed": "failed"}

Write = Callable[[list[ReportItem]], Awaitable[list[RecordResult]]]
Stripped = Callable[[ReportItem, str], None]


async def record_apart(write: Write, captures: list[ReportItem], stripped: Stripped) -> list[RecordResult | BaseException]:
    """Record a batch with ``write``; if the batch fails, each capture on its own, and a capture
    that fails alone once more without its parse (the error says why), so what one capture
    holds never costs the others their record. An item still failing gets its exception."""
    return await each_apart_on_failure(write, captures, partial(_record_alone, write, stripped=stripped))


async def _record_alone(write: Write, capture: ReportItem, *, stripped: Stripped) -> RecordResult | BaseException:
    result = await run_alone(write, capture)
    if not isinstance(result, BaseException):
        return result
    stripped(capture, describe(result))
    fingerprint = capture.parse.fingerprint if capture.parse else hashlib.sha256(capture.page.body or b"").hexdigest()
    bare = replace(capture, parse=ParseOutcome(None, f"the parse could not be stored: {describe(result)}",
                                               PARSER_VERSION, fingerprint))
    return await run_alone(write, bare)


class RecordPipeline:
    def __init__(self, crawler: Crawler, run_kind: str):
        self.crawler = crawler
        self.run_kind = run_kind
        self.run_id: int | None = None
        self.fleet_run: Callable[[], int | None] | None = None  # a distributed crawl's current run, from its Redis
        self.writer: Offload | None = None
        self.writer_key: Hashable = None
        self.batcher: Batcher[ReportItem, RecordResult] = Batcher(self._record_batch, BATCH_SIZE, BATCH_DELAY,
                                                                  downloading(crawler))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RecordPipeline":
        pipeline = cls(crawler, crawler.settings.get("HARVESTER_RUN_KIND", "crawl"))
        # The close reason is known only from this signal, after the pipelines have closed.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.start_writer, signal=reports_requested)
        return pipeline

    def open_spider(self) -> None:
        settings = self.crawler.settings
        if settings.get("HARVESTER_DISTRIBUTED"):
            # The run belongs to the fleet: the seeder opened it, the last worker closes it.
            # Imported here: Redis's client is for fleets only, no single-machine crawl loads it.
            from harvester.distributed.connection import connect
            from harvester.distributed.runs import current_run

            self.fleet_run = partial(current_run, connect(settings["HARVESTER_REDIS_URL"]), self.crawler.spider.site.name)
        else:
            self.run_id = archive_for(self.crawler).start_run(self.crawler.spider.site.name, self.run_kind)
            self.crawler.stats.set_value(RUN_ID_STAT, self.run_id)
        # One writer (SQLite has one; records stay in order), in its own process when
        # HARVESTER_RECORD_WORKER is on, so writing does not take the reactor's CPU; the
        # process's other crawlers (sites) record through the same one. Its process starts
        # with the first report page asked for (``start_writer``), or else at its first batch.
        self.writer_key, self.writer = archive_offload("archive-writer", settings,
                                                       settings.getbool("HARVESTER_RECORD_WORKER"),
                                                       open_worker_archive)

    def start_writer(self) -> None:
        """The spider asks for its first report page: the writer's second of imports and opening
        the archive runs while the page downloads. A crawl that asks for none (a day of
        ``recheck`` with no page due) never starts it; that second was a third of such a day's CPU."""
        if self.writer is not None:
            self.writer.start()

    async def _record_batch(self, captures: list[ReportItem]) -> list[RecordResult | BaseException]:
        return await record_apart(self._write, captures, self._stripped)

    def _stripped(self, capture: ReportItem, error: str) -> None:
        count(self.crawler, "errors")
        self.crawler.spider.logger.error("capture of %s could not be recorded (%s); recorded without its parse",
                                         capture.page.url, error)

    async def _write(self, captures: list[ReportItem]) -> list[RecordResult]:
        assert self.writer is not None
        return await self.writer.run(record_in_worker, partial(record_with, archive_for(self.crawler)),
                                     [without_bodies(c) for c in captures], handoff_store(self.crawler).root)

    def close_spider(self) -> None:
        if self.writer is not None:
            shared.workers.let_go(self.writer_key)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        summary = site_stats(stats)
        for warning in summary.warnings:
            spider.logger.warning("%s", warning)
        status = "interrupted" if reason != "finished" else "failed" if summary.problem else "ok"
        archive = archive_for(self.crawler)
        archive.finish_run(self.run_id, status, {**run_stats(stats), **health_stats(stats), "warnings": summary.warnings})
        if status == "ok" and not stats.get(STAT_PREFIX + LIST_FAILED_STAT):
            archive.mark_withdrawals(self.run_id, listed=getattr(spider, "not_due", ()))

    async def process_item(self, item: ReportItem) -> ReportItem:
        item = storable(item)
        item.run_id = self.run_id if self.fleet_run is None else self.fleet_run()
        try:
            result = await self.batcher.submit(item)
        except Exception:
            count(self.crawler, "errors")
            raise
        if item.page.status == "not_modified" and item.parse is None and result.outcome == "unchanged":
            count(self.crawler, "not_modified")  # answered 304 throughout: nothing was downloaded
        else:
            count(self.crawler, OUTCOME_STATS[result.outcome])
        return item
