"""Confirm pipeline: a report page is fetched a second time before it is recorded when the
archive asks (``Archive.confirmation_needed``: a new report that is the page itself and one
of its site's first pages, or a report whose parse changed in paragraphs only). The second fetch is parsed like the first
(or, with the first one's bytes, takes its parse) and travels with the item as
``confirmation``; the archive counts as chrome what differs between the two, as Open Terms
Archive asks for two identical fetches before it records.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import partial

from scrapy import Request
from scrapy.crawler import Crawler

from harvester.crawl import count, downloading
from harvester.items import ReportItem
from harvester.pipelines import shared
from harvester.pipelines.archive import archive_for
from harvester.pipelines.bodies import without_bodies
from harvester.pipelines.batching import Batcher, each_apart_on_failure
from harvester.pipelines.confirm_check import (
    confirmations_known_with,
    confirmations_needed_in_reader,
    confirmations_needed_with,
    open_reader_archive,
)
from harvester.pipelines.offload import Offload, archive_offload
from harvester.pipelines.parse import parser_for
from harvester.pipelines.workers import describe

# Questions asked of the reader at once, and how long the first may wait for others while
# pages are being downloaded: a question alone cost the reader and the hand-off between
# processes three times its answer. Each batch costs four statements or so whatever its size
# (agencies, latest versions); at the 50-60 pages a second of a fast first crawl, 20 ms
# gathered 2.2 pages a batch, 100 ms 7.3. The crawl's last pages are asked about at once.
BATCH_SIZE = 32
BATCH_DELAY = 0.1


class ConfirmPipeline:
    def __init__(self, crawler: Crawler, reader_process: bool):
        self.crawler = crawler
        self.reader_process = reader_process
        self.reader: Offload | None = None
        self.reader_key: Hashable = None
        self.questions: Batcher[ReportItem, bool] = Batcher(self._ask_apart, BATCH_SIZE, BATCH_DELAY,
                                                                 downloading(crawler))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConfirmPipeline":
        return cls(crawler, crawler.settings.getbool("HARVESTER_CONFIRM_WORKER"))

    def open_spider(self) -> None:
        # The archive is asked from a thread, and what takes folding reports in a process of
        # its own (see ``confirm_check``), or with HARVESTER_CONFIRM_WORKER off in the thread
        # too; the process's other crawlers (sites) ask the same reader.
        self.reader_key, self.reader = archive_offload("archive-reader", self.crawler.settings, self.reader_process,
                                                       open_reader_archive)

    def close_spider(self) -> None:
        if self.reader is not None:
            shared.workers.let_go(self.reader_key)

    async def _ask(self, items: list[ReportItem]) -> list[bool]:
        assert self.reader is not None
        archive = archive_for(self.crawler)
        light = [without_bodies(item) for item in items]
        known = await self.reader.run_here(confirmations_known_with, archive, light)
        folded = [item for item, answer in zip(light, known) if answer is None]
        answers = iter(await self.reader.run(confirmations_needed_in_reader, partial(confirmations_needed_with, archive),
                                             folded) if folded else [])
        return [next(answers) if answer is None else answer for answer in known]

    async def _ask_apart(self, items: list[ReportItem]) -> list[bool | BaseException]:
        return await each_apart_on_failure(self._ask, items)

    async def _needed(self, item: ReportItem) -> bool:
        try:
            return await self.questions.submit(item)
        except Exception as exc:
            # Unconfirmed, the capture is still recorded; lost, it would be a gap in the archive.
            count(self.crawler, "errors")
            self.crawler.spider.logger.error("could not ask the archive whether to fetch %s again (%s); recorded as fetched",
                                             item.page.url, describe(exc))
            return False

    async def process_item(self, item: ReportItem) -> ReportItem:
        if item.parse is None:
            return item
        if not await self._needed(item):
            return item
        # Not conditional, not filtered: the page's bytes are wanted again, now.
        request = Request(item.page.url, dont_filter=True, meta={"handle_httpstatus_all": True})
        response = await self.crawler.engine.download_async(request)
        count(self.crawler, "confirmations")
        if response.status != 200:
            return item
        if response.body == item.page.body:
            # The same bytes parse the same: the first fetch's parse is the second's, and
            # nothing varied between them. Most pages; parsing them again doubled the parse cost.
            item.confirmation = item.parse
            return item
        # Parsed in a worker like the first fetch.
        run = await parser_for(self.crawler).parse_again(item, response.body)
        item.confirmation = run.outcome
        return item
