"""Retries with exponential back-off: 5xx answers and timeouts are retried as Scrapy's
RetryMiddleware does, but each new attempt waits ``base * 2**(attempt-1)`` seconds first
(capped), so a struggling portal gets room instead of an immediate second hit."""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request

BACKOFF_META = "harvester_backoff"


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

    async def process_request(self, request: Request) -> None:
        delay = request.meta.get(BACKOFF_META, 0.0)
        if delay:
            await asyncio.sleep(delay)

    def _retry(self, request: Request, reason):  # type: ignore[no-untyped-def, override]
        retry = super()._retry(request, reason)
        if retry is not None:
            retry.meta[BACKOFF_META] = backoff_delay(retry.meta.get("retry_times", 1), self.base, self.cap)
        return retry
