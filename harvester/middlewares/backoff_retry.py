"""Retries with exponential back-off: 5xx answers and timeouts are retried as Scrapy's
RetryMiddleware does, but each new attempt waits ``base * 2**(attempt-1)`` seconds first
(capped), so a struggling portal gets room instead of an immediate second hit.

A 429 or 503 that says when to come back (``Retry-After``, in seconds or as a date) waits at
least that long; one asking for longer than the cap is not retried in this crawl (the page's
capture fails and the next crawl asks again) rather than asked again too early. Without
politeness (``base`` 0, a crawl of one's own server) nothing waits.
"""

from __future__ import annotations

import asyncio
import email.utils
from datetime import UTC, datetime

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response

BACKOFF_META = "harvester_backoff"
_ASKED_META = "harvester_retry_after"  # seconds the server's last answer asked us to wait


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based)."""
    if base <= 0 or attempt <= 0:
        return 0.0
    return min(cap, base * 2 ** (attempt - 1))


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings, base: float = 2.0, cap: float = 60.0):  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "BackoffRetryMiddleware":
        settings = crawler.settings
        middleware = cls(
            settings,
            base=settings.getfloat("HARVESTER_RETRY_BACKOFF_BASE"),
            cap=settings.getfloat("HARVESTER_RETRY_BACKOFF_MAX"),
        )
        middleware.crawler = crawler
        return middleware

    def process_response(self, request: Request, response: Response):  # type: ignore[no-untyped-def, override]
        asked = retry_after(response.headers.get(b"Retry-After")) if response.status in (429, 503) else None
        if asked is not None and self.base > 0:
            if asked > self.cap:
                return response  # not retried now: the capture fails with this answer
            request.meta[_ASKED_META] = asked  # for _retry, which copies the request
        try:
            return super().process_response(request, response)
        finally:
            request.meta.pop(_ASKED_META, None)

    async def process_request(self, request: Request) -> None:
        delay = request.meta.get(BACKOFF_META, 0.0)
        if delay:
            await asyncio.sleep(delay)

    def _retry(self, request: Request, reason):  # type: ignore[no-untyped-def, override]
        retry = super()._retry(request, reason)
        if retry is not None:
            backoff = backoff_delay(retry.meta.get("retry_times", 1), self.base, self.cap)
            retry.meta[BACKOFF_META] = max(backoff, retry.meta.pop(_ASKED_META, 0.0))
        return retry


def retry_after(header: bytes | None) -> float | None:
    """The seconds a ``Retry-After`` header asks for (a number or an HTTP date), or None."""
    text = (header or b"").decode("latin-1").strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
