"""Record pipeline: each crawl is a run in the archive; each capture is recorded in it and
counted in the crawl's statistics (new reports, new versions, unchanged, not modified,
failed, blocked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from harvester.crawl import RUN_ID_STAT, count, health_stats, run_stats
from harvester.distributed.runs import current_run
from harvester.items import ReportItem
from harvester.pipelines.archive import archive_for
from harvester.pipelines.batching import Batcher
from harvester.pipelines.offload import Offload
from storage.archive import Archive
from storage.record import RecordResult

# Captures recorded per transaction, and how long the first of a batch may wait for others.
BATCH_SIZE = 32
BATCH_DELAY = 0.02
# Archive.record outcome -> statistic
OUTCOME_STATS = {"new_report": "new_reports", "new_version": "new_versions", "unchanged": "unchanged", "failed": "failed"}

_worker_archive: Archive | None = None  # the archive of a record worker process


def _open_worker_archive(db_url: str, data_dir: str) -> None:
    global _worker_archive
    _worker_archive = Archive.open(db_url, Path(data_dir), migrate=False)


def _record_in_worker(captures: list[ReportItem]) -> list[RecordResult]:
    assert _worker_archive is not None
    return _worker_archive.record_many(captures)


class RecordPipeline:
    def __init__(self, crawler: Crawler, run_kind: str):
        self.crawler = crawler
        self.run_kind = run_kind
        self.run_id: int | None = None
        self.fleet: Any = None  # the Redis of a distributed crawl
        self.writer: Offload | None = None
        self.batcher: Batcher[ReportItem, RecordResult] = Batcher(self._record_batch, BATCH_SIZE, BATCH_DELAY)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RecordPipeline":
        pipeline = cls(crawler, crawler.settings.get("HARVESTER_RUN_KIND", "crawl"))
        # The close reason is known only from this signal, after the pipelines have closed.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        settings = self.crawler.settings
        if settings.get("HARVESTER_DISTRIBUTED"):
            # The run belongs to the fleet: the seeder opened it, the last worker closes it.
            from harvester.distributed.connection import connect

            self.fleet = connect(settings["HARVESTER_REDIS_URL"])
        else:
            self.run_id = archive_for(self.crawler).start_run(self.crawler.spider.site.name, self.run_kind)
            self.crawler.stats.set_value(RUN_ID_STAT, self.run_id)
        # One writer (SQLite has one; records stay in order), in its own process when
        # HARVESTER_RECORD_WORKER is on, so writing does not take the reactor's CPU.
        self.writer = Offload("archive-writer", 1 if settings.getbool("HARVESTER_RECORD_WORKER") else 0,
                              _open_worker_archive, (settings["HARVESTER_DB_URL"], settings["HARVESTER_DATA_DIR"]))

    async def _record_batch(self, captures: list[ReportItem]) -> list[RecordResult]:
        assert self.writer is not None
        return await self.writer.run(_record_in_worker, archive_for(self.crawler).record_many, captures)

    def close_spider(self) -> None:
        if self.writer is not None:
            self.writer.close()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        status = "ok" if reason == "finished" else "interrupted"
        stats = self.crawler.stats.get_stats()
        archive_for(self.crawler).finish_run(self.run_id, status, {**run_stats(stats), **health_stats(stats)})

    async def process_item(self, item: ReportItem) -> ReportItem:
        item.run_id = self.run_id if self.fleet is None else current_run(self.fleet, self.crawler.spider.site.name)
        result = await self.batcher.submit(item)
        if item.page.status == "not_modified" and item.parse is None and result.outcome == "unchanged":
            count(self.crawler, "not_modified")  # answered 304 throughout: nothing was downloaded
        else:
            count(self.crawler, OUTCOME_STATS[result.outcome])
        return item
