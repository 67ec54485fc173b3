"""robots.txt ``Crawl-delay``: Scrapy obeys Allow/Disallow but ignores Crawl-delay, so this
middleware reads it from the parser Scrapy's RobotsTxtMiddleware built (``robots_parsed``
signal) and keeps the host's download slot at least that slow, also after AutoThrottle has
lowered the delay."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached


class CrawlDelayMiddleware:
    def __init__(self, crawler: Crawler, user_agent: str):
        self.crawler = crawler
        self.user_agent = user_agent
        self.delays: dict[str, float] = {}  # host -> Crawl-delay seconds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CrawlDelayMiddleware":
        settings = crawler.settings
        if not (settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("HARVESTER_CRAWL_DELAY_ENABLED")):
            raise NotConfigured
        middleware = cls(crawler, settings.get("ROBOTSTXT_USER_AGENT") or settings["USER_AGENT"])
        crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        # Connected after AutoThrottle (an extension, built first), so this runs after it.
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    def robots_parsed(self, robotparser, request: Request) -> None:  # type: ignore[no-untyped-def]
        reader = getattr(robotparser, "crawl_delay", None)
        delay = reader(self.user_agent) if reader else None
        if delay:
            self.delays[urlparse_cached(request).hostname or ""] = float(delay)

    def process_request(self, request: Request) -> None:
        self._enforce(request)

    def response_downloaded(self, response: Response, request: Request, spider) -> None:  # type: ignore[no-untyped-def]
        self._enforce(request)

    def _enforce(self, request: Request) -> None:
        delay = self.delays.get(urlparse_cached(request).hostname or "")
        if not delay:
            return
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        # Crawl-delay is a minimum: no random jitter may shorten it.
        if slot is not None:
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0
        else:
            # The slot does not exist yet: the downloader creates it from these per-slot settings.
            settings = downloader.per_slot_settings.setdefault(key, {})
            settings["delay"] = max(settings.get("delay", 0.0), delay)
            settings["jitter"] = 0.0
