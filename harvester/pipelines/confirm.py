"""Confirm pipeline: a report page is fetched a second time before it is recorded when the
archive asks (``Archive.confirmation_needed``: a new report that is the page itself, or a
report whose parse changed in paragraphs only). The second fetch is parsed like the first
and travels with the item as ``confirmation``; the archive counts as chrome what differs
between the two, as Open Terms Archive asks for two identical fetches before it records.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from scrapy import Request
from scrapy.crawler import Crawler

from harvester.crawl import count
from harvester.items import ReportItem
from harvester.pipelines.archive import archive_for
from harvester.pipelines.parse import parser_for


class ConfirmPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        # The archive is asked from a thread: its queries then leave the reactor to the downloads.
        self.reader = ThreadPoolExecutor(1, thread_name_prefix="confirm")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConfirmPipeline":
        return cls(crawler)

    def close_spider(self) -> None:
        self.reader.shutdown()

    async def process_item(self, item: ReportItem) -> ReportItem:
        if item.parse is None:
            return item
        archive = archive_for(self.crawler)
        if not await asyncio.get_running_loop().run_in_executor(self.reader, archive.confirmation_needed, item):
            return item
        # Not conditional, not filtered: the page's bytes are wanted again, now.
        request = Request(item.page.url, dont_filter=True, meta={"handle_httpstatus_all": True})
        response = await self.crawler.engine.download_async(request)
        count(self.crawler, "confirmations")
        if response.status != 200:
            return item
        # Parsed in a worker like the first fetch; the bytes go along, as they are never stored.
        run = await parser_for(self.crawler).parse(item, {}, {item.page.url: response.body})
        item.confirmation = run.outcome
        return item
