"""Record pipeline: each crawl is a run in the archive; each capture is recorded in it and
counted in the crawl's statistics (new reports, new versions, unchanged, not modified,
failed, blocked)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from harvester.crawl import count, run_stats
from harvester.items import ReportItem
from harvester.pipelines.archive import archive_for

# Archive.record outcome -> statistic
OUTCOME_STATS = {"new_report": "new_reports", "new_version": "new_versions", "unchanged": "unchanged", "failed": "failed"}


class RecordPipeline:
    def __init__(self, crawler: Crawler, run_kind: str):
        self.crawler = crawler
        self.run_kind = run_kind
        self.run_id: int | None = None
        # One writer thread: records stay in order and one at a time (SQLite has one writer),
        # and the reactor goes on downloading while a record is written.
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="archive-writer")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RecordPipeline":
        pipeline = cls(crawler, crawler.settings.get("HARVESTER_RUN_KIND", "crawl"))
        # The close reason is known only from this signal, after the pipelines have closed.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.run_id = archive_for(self.crawler).start_run(self.crawler.spider.site.name, self.run_kind)

    def close_spider(self) -> None:
        self.writer.shutdown()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        status = "ok" if reason == "finished" else "interrupted"
        archive_for(self.crawler).finish_run(self.run_id, status, run_stats(self.crawler.stats.get_stats()))

    async def process_item(self, item: ReportItem) -> ReportItem:
        item.run_id = self.run_id
        archive = archive_for(self.crawler)
        result = await asyncio.get_running_loop().run_in_executor(self.writer, archive.record, item)
        if item.page.status == "not_modified" and item.parse is None and result.outcome == "unchanged":
            count(self.crawler, "not_modified")  # answered 304 throughout: nothing was downloaded
        else:
            count(self.crawler, OUTCOME_STATS[result.outcome])
        return item
