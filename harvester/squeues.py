"""The scheduler's disk queue (``SCHEDULER_DISK_QUEUE``): Scrapy's pickling FIFO queue in
``JOBDIR``, with the callbacks of each request named more cheaply.

To put a request on disk Scrapy names its callback and errback by listing every member of
the spider (``inspect.getmembers``: its settings, crawler, logger and the rest) and looking
for the method; per request that cost more than pickling the request itself. Here the
search is over an object holding only the spider's methods, so the names, the file and
resuming from it are what Scrapy's queue gives.
"""

from __future__ import annotations

import inspect
from types import SimpleNamespace
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.squeues import PickleFifoDiskQueue


def spider_methods(spider: Spider) -> SimpleNamespace:
    """An object whose attributes are the spider's bound methods, under their names."""
    return SimpleNamespace(**dict(inspect.getmembers(spider, predicate=inspect.ismethod)))


class FifoDiskQueue(PickleFifoDiskQueue):  # type: ignore[misc,valid-type]
    def __init__(self, crawler: Crawler, key: str):
        super().__init__(crawler, key)
        self.methods = spider_methods(crawler.spider)

    def push(self, request: Request) -> None:
        # What Scrapy's push does, its callback search given the spider's methods only.
        super(PickleFifoDiskQueue, self).push(request.to_dict(spider=self.methods))
