"""Which known report pages a crawl asks for again (harvester.recheck)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from harvester.recheck import RecheckPolicy
from harvester.siteconfig import SiteConfig
from harvester.sitecheck import CheckSpider, SiteCheck
from harvester.spiders.reports import ReportsSpider
from storage.crawlstate import PageHistory

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
WEEKLY = RecheckPolicy(every_days=7)
URL = "http://gov.test/art/2021/1/4/art_1001_4000001.html"


def checked(days_ago: float, changed_days_ago: float | None = None) -> PageHistory:
    changed = None if changed_days_ago is None else NOW - timedelta(days=changed_days_ago)
    # naive, as SQLite hands times back
    return PageHistory((NOW - timedelta(days=days_ago)).replace(tzinfo=None), changed)


def test_by_default_every_listed_page_is_asked_for() -> None:
    assert RecheckPolicy().due(URL, "2021-01-04", checked(0), NOW)


def test_a_page_never_answered_is_asked_for() -> None:
    assert WEEKLY.due(URL, "2021-01-04", None, NOW)  # a new report
    assert WEEKLY.due(URL, "2021-01-04", PageHistory(None, None), NOW)  # its fetches failed


def test_a_known_page_is_asked_for_again_when_its_turn_comes() -> None:
    turn = WEEKLY.interval(URL)
    assert timedelta(days=3.5) <= turn <= timedelta(days=7)
    assert not WEEKLY.due(URL, "2021-01-04", checked(turn.total_seconds() / 86400 - 0.01), NOW)
    assert WEEKLY.due(URL, "2021-01-04", checked(turn.total_seconds() / 86400), NOW)
    assert WEEKLY.due(URL, None, checked(7), NOW)  # never later than every_days


def test_turns_of_pages_recorded_on_one_day_are_spread_over_the_second_half_of_the_interval() -> None:
    urls = [f"http://gov.test/art/2021/1/4/art_1001_{4000000 + n}.html" for n in range(2000)]
    days = [WEEKLY.interval(url).total_seconds() / 86400 for url in urls]
    assert min(days) >= 3.5 and max(days) <= 7
    per_day = [sum(1 for d in days if start <= d < start + 0.5) for start in (3.5, 4, 4.5, 5, 5.5, 6, 6.5)]
    assert all(200 < n < 380 for n in per_day), per_day  # about 2000 / 7 each
    assert WEEKLY.interval(urls[0]) == WEEKLY.interval(urls[0])  # the same turn on every crawl


def test_a_page_whose_report_is_new_or_newly_changed_is_asked_for_every_crawl() -> None:
    assert WEEKLY.due(URL, "2026-11-20", checked(0.1), NOW)  # listed twelve days ago
    assert not WEEKLY.due(URL, "2026-10-20", checked(0.1), NOW)  # six weeks ago
    assert WEEKLY.due(URL, "2021-01-04", checked(0.1, changed_days_ago=29), NOW)  # corrected last month
    assert not WEEKLY.due(URL, "2021-01-04", checked(0.1, changed_days_ago=31), NOW)
    assert not RecheckPolicy(every_days=7, fresh_days=0).due(URL, "2026-12-01", checked(0.1), NOW)


def test_a_list_date_that_is_not_a_date_is_no_reason_to_ask() -> None:
    assert not WEEKLY.due(URL, "2026-13-45", checked(0.1), NOW)


@pytest.mark.parametrize(("settings", "in_turns"), [
    ({}, True),
    ({"HARVESTER_DISTRIBUTED": "worker"}, True),
    ({"HARVESTER_RECHECK_ALL": True}, False),  # harvester crawl --recheck-all
])
def test_the_spider_asks_in_turns_unless_told_to_ask_for_all(settings: dict[str, Any], in_turns: bool) -> None:
    site = SiteConfig(name="weekly", title="weekly", family="trs", start_urls=["http://gov.test/"], recheck=WEEKLY)
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider, settings), site=site)
    assert spider.recheck.in_turns is in_turns


def test_a_site_check_asks_for_the_reports_it_looks_at_whatever_the_archive_holds() -> None:
    site = SiteConfig(name="weekly", title="weekly", family="trs", start_urls=["http://gov.test/"], recheck=WEEKLY)
    assert not CheckSpider(site, SiteCheck("weekly", "trs", site.start_urls), max_list_pages=3, max_reports=10).recheck.in_turns
