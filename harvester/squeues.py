"""The scheduler's disk queue (``SCHEDULER_DISK_QUEUE``): Scrapy's pickling FIFO queue in
``JOBDIR``, with the callbacks of each request named more cheaply.

To put a request on disk Scrapy names its callback and errback by listing every member of
the spider (``inspect.getmembers``) and looking for the method, twice a request; per request
that cost more than pickling the request itself. Here the spider's methods are listed once,
into a table from function to name, and each request's dict is made as ``Request.to_dict``
makes it with the names looked up there, so the file and resuming from it are what
Scrapy's queue gives.

The scheduler closes a queue the moment it runs empty and makes a new one at the next
request of its priority. On a fast crawl that is nearly every request (2,203 times in an
unchanged re-crawl of 2,000 reports): each time the queue's directory, chunk file and
``info.json`` were written, removed and made again, some ten file-system calls a request.
An emptied queue is kept here instead, its chunk file cut back to nothing, and handed back
when the scheduler asks for a queue at the same path; the kept queues are closed as Scrapy
closes them (directory removed) once the spider has closed. A crawl killed meanwhile leaves
their empty chunk files, which hold nothing to replay.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request, Spider, signals
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


# The emptied queues of each crawler, by path, until its spider closes.
_KEPT: WeakKeyDictionary[Crawler, dict[str, "FifoDiskQueue"]] = WeakKeyDictionary()


class FifoDiskQueue(PickleFifoDiskQueue):  # type: ignore[misc,valid-type]
    def __init__(self, crawler: Crawler, key: str):
        super().__init__(crawler, key)
        self.crawler = crawler
        spider = crawler.spider
        if spider not in _NAMES:
            _NAMES[spider] = method_names(spider)
        self.names = _NAMES[spider]

    @classmethod
    def from_crawler(cls, crawler: Crawler, key: str, *args: Any, **kwargs: Any) -> "FifoDiskQueue":
        kept = _KEPT.get(crawler, {}).pop(key, None)
        return kept if kept is not None else cls(crawler, key)

    def push(self, request: Request) -> None:
        # What Scrapy's push does, its callback search done once for the spider.
        super(PickleFifoDiskQueue, self).push(request_dict(request, self.names))

    def close(self) -> None:
        if len(self) or not self._rewound():
            super().close()
            return
        if self.crawler not in _KEPT:
            _KEPT[self.crawler] = {}
            self.crawler.signals.connect(_close_kept, signal=signals.spider_closed, weak=False)
        _KEPT[self.crawler][self.path] = self

    def _rewound(self) -> bool:
        """Cut an empty queue's one chunk file back to nothing, as a new queue's is; False
        when the queue spans chunk files (it is then closed as Scrapy closes it)."""
        head, tail = self.info["head"], self.info["tail"]
        if head[0] != tail[0]:
            return False
        os.ftruncate(self.headf.fileno(), 0)
        os.lseek(self.tailf.fileno(), 0, os.SEEK_SET)
        self.info["head"] = [head[0], 0]
        self.info["tail"] = [tail[0], 0, 0]
        return True


def _close_kept(spider: Spider) -> None:
    kept = _KEPT.pop(spider.crawler, {})
    for queue in kept.values():
        super(FifoDiskQueue, queue).close()
