"""Politeness pieces on their own: Crawl-delay read from robots.txt into the download slot,
the retry back-off schedule, and the settings that politeness off changes."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from scrapy.core.downloader import Slot
from scrapy.http import Request
from scrapy.robotstxt import ProtegoRobotParser

from harvester import USER_AGENT
from harvester.crawl import site_settings
from harvester.middlewares.backoff_retry import backoff_delay
from harvester.middlewares.crawl_delay import CrawlDelayMiddleware
from harvester.siteconfig import SiteConfig

ROBOTS = b"User-agent: *\nCrawl-delay: 3\nDisallow: /preview/\n"


def downloader_with(slots: dict[str, Slot]) -> SimpleNamespace:
    """The two things the middleware uses of Scrapy's Downloader: slots by key, and per-slot settings."""
    return SimpleNamespace(
        slots=slots, per_slot_settings={}, get_slot_key=lambda request: urlsplit(request.url).hostname
    )


def middleware(downloader: SimpleNamespace) -> CrawlDelayMiddleware:
    crawler = SimpleNamespace(engine=SimpleNamespace(downloader=downloader))
    return CrawlDelayMiddleware(crawler, USER_AGENT)  # type: ignore[arg-type]


def test_crawl_delay_raises_an_existing_slot_delay_and_removes_jitter() -> None:
    slot = Slot(concurrency=2, delay=0.5, jitter=0.5)
    mw = middleware(downloader_with({"gov.test": slot}))
    mw.robots_parsed(ProtegoRobotParser(ROBOTS, None), Request("http://gov.test/robots.txt"))
    mw.process_request(Request("http://gov.test/col/index.html"))
    assert (slot.delay, slot.jitter) == (3.0, 0.0)


def test_crawl_delay_seeds_the_settings_of_a_slot_not_yet_created() -> None:
    downloader = downloader_with({})
    mw = middleware(downloader)
    mw.robots_parsed(ProtegoRobotParser(ROBOTS, None), Request("http://gov.test/robots.txt"))
    mw.process_request(Request("http://gov.test/a.html"))
    assert downloader.per_slot_settings == {"gov.test": {"delay": 3.0, "jitter": 0.0}}


def test_crawl_delay_survives_autothrottle_lowering_the_delay() -> None:
    slot = Slot(concurrency=2, delay=3.0, jitter=0.0)
    mw = middleware(downloader_with({"gov.test": slot}))
    mw.robots_parsed(ProtegoRobotParser(ROBOTS, None), Request("http://gov.test/robots.txt"))
    slot.delay = 0.2  # what AutoThrottle does after a fast answer
    request = Request("http://gov.test/a.html")
    mw.response_downloaded(None, request, None)
    assert slot.delay == 3.0


def test_hosts_without_crawl_delay_are_left_alone() -> None:
    slot = Slot(concurrency=2, delay=0.5, jitter=0.5)
    other = Slot(concurrency=2, delay=0.5, jitter=0.5)
    mw = middleware(downloader_with({"gov.test": slot, "other.test": other}))
    mw.robots_parsed(ProtegoRobotParser(b"User-agent: *\nDisallow:\n", None), Request("http://gov.test/robots.txt"))
    mw.process_request(Request("http://gov.test/a.html"))
    mw.robots_parsed(ProtegoRobotParser(ROBOTS, None), Request("http://other.test/robots.txt"))
    assert (slot.delay, slot.jitter) == (0.5, 0.5)


@pytest.mark.parametrize(("attempt", "expected"), [(1, 2.0), (2, 4.0), (3, 8.0), (7, 60.0), (0, 0.0)])
def test_retry_backoff_doubles_up_to_the_cap(attempt: int, expected: float) -> None:
    assert backoff_delay(attempt, base=2.0, cap=60.0) == expected


def test_no_backoff_when_politeness_is_off() -> None:
    assert backoff_delay(3, base=0.0, cap=60.0) == 0.0


def test_polite_defaults_and_what_turning_politeness_off_changes(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("HARVESTER_POLITE", raising=False)
    site = SiteConfig(name="s", title="s", family="generic", start_urls=["http://gov.test/"],
                      politeness={"download_delay": 5})
    polite = site_settings(site, db_url="sqlite://", data_dir=tmp_path)
    assert polite["USER_AGENT"] == USER_AGENT and "govreport-harvester" in USER_AGENT and "https://" in USER_AGENT
    assert polite.getbool("ROBOTSTXT_OBEY") and polite.getbool("AUTOTHROTTLE_ENABLED")
    assert polite.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert polite.getfloat("DOWNLOAD_DELAY") == 5  # the site's override
    assert polite["JOBDIR"] == str(tmp_path / "jobs" / "s")
    fast = site_settings(site, db_url="sqlite://", data_dir=tmp_path, overrides={"HARVESTER_POLITE": False})
    assert fast.getfloat("DOWNLOAD_DELAY") == 0 and not fast.getbool("AUTOTHROTTLE_ENABLED")
    assert not fast.getbool("HARVESTER_CRAWL_DELAY_ENABLED")
    assert fast.getbool("ROBOTSTXT_OBEY")  # robots.txt is a rule of the site, not a speed setting
    monkeypatch.setenv("HARVESTER_POLITE", "0")
    assert site_settings(site, db_url="sqlite://", data_dir=tmp_path).getfloat("DOWNLOAD_DELAY") == 0


def test_a_retried_request_carries_its_backoff_and_waits_for_it() -> None:
    import asyncio
    import time

    from scrapy import Spider
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from harvester.middlewares.backoff_retry import BACKOFF_META, BackoffRetryMiddleware

    crawler = get_crawler(Spider, {"RETRY_TIMES": 2, "HARVESTER_RETRY_BACKOFF_BASE": 0.05, "HARVESTER_RETRY_BACKOFF_MAX": 1.0})
    crawler.spider = crawler._create_spider("t")
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("http://gov.test/a.html")
    first = middleware.process_response(request, Response(request.url, status=503, request=request))
    second = middleware.process_response(first, Response(request.url, status=503, request=first))
    assert (first.meta[BACKOFF_META], second.meta[BACKOFF_META]) == (0.05, 0.1)
    gave_up = middleware.process_response(second, Response(request.url, status=503, request=second))
    assert gave_up.status == 503  # retries exhausted: the 503 goes on to the spider's errback
    started = time.monotonic()
    asyncio.run(middleware.process_request(second))
    assert time.monotonic() - started >= 0.1


def test_a_retry_waits_as_long_as_retry_after_asks_and_one_asking_too_long_is_not_retried() -> None:
    from scrapy import Spider
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from harvester.middlewares.backoff_retry import BACKOFF_META, BackoffRetryMiddleware, retry_after

    crawler = get_crawler(Spider, {"RETRY_TIMES": 2, "HARVESTER_RETRY_BACKOFF_BASE": 2.0, "HARVESTER_RETRY_BACKOFF_MAX": 60.0})
    crawler.spider = crawler._create_spider("t")
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("http://gov.test/a.html")
    busy = middleware.process_response(request, Response(request.url, status=429, headers={"Retry-After": "30"}, request=request))
    assert isinstance(busy, Request) and busy.meta[BACKOFF_META] == 30.0
    later = Response(request.url, status=503, headers={"Retry-After": "300"}, request=request)
    assert middleware.process_response(Request(request.url), later) is later  # past the cap: the capture fails
    assert retry_after(b"Wed, 21 Oct 2015 07:28:00 GMT") == 0.0 and retry_after(b"soon") is None
    unpolite = BackoffRetryMiddleware.from_crawler(get_crawler(Spider, {"HARVESTER_RETRY_BACKOFF_BASE": 0.0}))
    unpolite.crawler.spider = unpolite.crawler._create_spider("t")
    again = unpolite.process_response(request, Response(request.url, status=429, headers={"Retry-After": "30"}, request=request))
    assert again.meta[BACKOFF_META] == 0.0
