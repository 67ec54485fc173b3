"""Which leased requests a worker still owes work for, and when to let them go.

A request's lease is acknowledged when everything it led to is safe: the requests its
callback yielded are in the shared queue, and the capture it produced is recorded. Until
then the worker renews the lease; if the worker dies, the lease runs out and another worker
fetches the request again (recording is idempotent, so that repeats nothing in the archive).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import redis
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request
from twisted.internet import task

from harvester.distributed.queue import LEASE_META, LeasedQueue
from storage.db import is_disconnect


def is_outage(error: BaseException) -> bool:
    """The archive or Redis went away while the work was done (and stayed away longer than
    their retries wait)."""
    return is_disconnect(error) or isinstance(error, (redis.ConnectionError, redis.TimeoutError))



class LeaseTracker:
    def __init__(self, crawler: Crawler, queue: LeasedQueue) -> None:
        self.queue = queue
        self.outstanding: dict[str, int] = {}  # token -> captures not yet recorded
        # Pipelines may hand on a copy of a capture (harvester.pipelines.record.storable), so a
        # capture is known by its site and page URL, not by the object.
        self.lease_of: dict[tuple[str, str], str] = {}
        self._renewal = task.LoopingCall(self.renew)
        self._renewal.start(max(queue.lease_ms / 3000, 0.5), now=False)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self._item_done, signal=signal)

    def hold(self, request: Request) -> None:
        """Wrap the request's callback and errback so the lease ends with their work."""
        token = request.meta.get(LEASE_META)
        if token is None:
            return
        self.outstanding[token] = 0
        if request.callback is not None:
            request.callback = self._wrap(token, request.callback)
        if request.errback is not None:
            request.errback = self._wrap(token, request.errback)

    def _wrap(self, token: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> list[Any]:
            try:
                output = list(function(*args, **kwargs) or ())
            except Exception as exc:
                # Scrapy logs the error; fetching again would repeat it, unless it was an outage.
                self._end(token, exc)
                raise
            # The requests go straight to the shared queue, in the same transaction that ends
            # the lease when nothing else is owed; the captures go on to the pipelines.
            requests = [o for o in output if isinstance(o, Request)]
            captures = [o for o in output if not isinstance(o, Request)]
            for capture in captures:
                self.lease_of[_capture_key(capture)] = token
            if captures:
                self.outstanding[token] = len(captures)
            else:
                self.outstanding.pop(token, None)
            self.queue.push_and_ack(requests, None if captures else token)
            return captures

        return wrapped

    def _item_done(self, item: Any, failure: Any = None, **kwargs: Any) -> None:
        token = self.lease_of.pop(_capture_key(item), None)
        if token is None or token not in self.outstanding:
            return
        error = getattr(failure, "value", None)
        if error is not None and is_outage(error):
            self._end(token, error)
            return
        self.outstanding[token] -= 1
        if self.outstanding[token] <= 0:
            self._ack(token)

    def _end(self, token: str, error: BaseException) -> None:
        """After a failure: a request whose work an outage cut short keeps its lease, no longer
        renewed, so that it expires and the request is fetched again; any other is done."""
        if is_outage(error):
            self.outstanding.pop(token, None)
        else:
            self._ack(token)

    def _ack(self, token: str) -> None:
        self.outstanding.pop(token, None)
        self.queue.ack(token)

    def renew(self) -> None:
        self.queue.renew(list(self.outstanding))

    def release_all(self) -> Iterable[str]:
        """Stop renewing (the worker is closing): what it still held expires and is redone."""
        if self._renewal.running:
            self._renewal.stop()
        return list(self.outstanding)


def _capture_key(capture: Any) -> tuple[str, str]:
    page = getattr(capture, "page", None)
    return getattr(capture, "site", ""), getattr(page, "url", "") or ""
