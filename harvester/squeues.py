"""The scheduler's disk queue (``SCHEDULER_DISK_QUEUE``): Scrapy's pickling FIFO queue in
``JOBDIR``, with the callbacks of each request named more cheaply.

To put a request on disk Scrapy names its callback and errback by listing every member of
the spider (``inspect.getmembers``) and looking for the method, twice a request; per request
that cost more than pickling the request itself. Here the spider's methods are listed once,
into a table from function to name, and each request's dict is made as ``Request.to_dict``
makes it with the names looked up there, so the file and resuming from it are what
Scrapy's queue gives. The scheduler makes a new queue each time its queue for a slot runs
empty (some 150 times in a 2,000-report crawl of one host): the table is made once per spider.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.squeues import PickleFifoDiskQueue


def method_names(spider: Spider) -> dict[Callable[..., Any], str]:
    """The spider's methods by their functions (a bound method is made anew at each lookup,
    its function stays the same)."""
    return {method.__func__: name for name, method in inspect.getmembers(spider, predicate=inspect.ismethod)}


def request_dict(request: Request, names: dict[Callable[..., Any], str]) -> dict[str, Any]:
    """``request.to_dict(spider=...)``, its callback and errback named through ``names``."""
    d = {
        "url": request.url,
        "callback": _name(request.callback, names),
        "errback": _name(request.errback, names),
        "headers": dict(request.headers),
    }
    for attr in request.attributes:
        d.setdefault(attr, getattr(request, attr))
    if type(request) is not Request:
        d["_class"] = request.__module__ + "." + request.__class__.__name__
    return d


def _name(func: Any, names: dict[Callable[..., Any], str]) -> Any:
    if not callable(func):
        return func
    name = names.get(getattr(func, "__func__", None))  # type: ignore[arg-type]
    if name is None:  # as Scrapy says it: a request that cannot be kept on disk
        raise ValueError(f"Function {func} is not an instance method of the spider")
    return name


_NAMES: WeakKeyDictionary[Spider, dict[Callable[..., Any], str]] = WeakKeyDictionary()


class FifoDiskQueue(PickleFifoDiskQueue):  # type: ignore[misc,valid-type]
    def __init__(self, crawler: Crawler, key: str):
        super().__init__(crawler, key)
        spider = crawler.spider
        if spider not in _NAMES:
            _NAMES[spider] = method_names(spider)
        self.names = _NAMES[spider]

    def push(self, request: Request) -> None:
        # What Scrapy's push does, its callback search done once for the spider.
        super(PickleFifoDiskQueue, self).push(request_dict(request, self.names))
