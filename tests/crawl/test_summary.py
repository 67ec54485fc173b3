"""Crawl statistics: from Scrapy's stats to the summary, the live progress table, the CLI's lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from rich.console import Console

from harvester.cli.crawl_cmd import _print_summary
from harvester.crawl import STAT_NAMES, CrawlSummary, LiveProgress, run_stats, site_stats

STATS = {
    "harvester/pages_fetched": 40, "harvester/reports_found": 12, "harvester/new_reports": 11,
    "harvester/failed": 1, "downloader/request_count": 41,
    "start_time": datetime(2026, 1, 1, tzinfo=UTC), "finish_time": datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=2.5),
    "finish_reason": "finished",
}


def test_the_statistics_a_run_records() -> None:
    assert STAT_NAMES == ("pages_fetched", "reports_found", "new_reports", "new_versions", "unchanged",
                          "not_modified", "not_due", "failed", "blocked", "errors", "spider_errors", "list_pages", "list_pages_failed", "offsite")
    stats = run_stats(STATS)
    assert stats["pages_fetched"] == 40 and stats["new_versions"] == 0 and "downloader/request_count" not in stats
    site = site_stats(STATS)
    assert (site.elapsed, site.finish_reason, site.new_reports) == (2.5, "finished", 11)


def test_a_crawl_whose_every_list_page_failed_is_a_problem_and_a_dead_selector_a_warning() -> None:
    failed = site_stats({**STATS, "harvester/list_pages_failed": 3})
    assert failed.problem == "every list page failed or was blocked (3); nothing was crawled"
    assert site_stats({**STATS, "harvester/list_pages": 1, "harvester/list_pages_failed": 3}).problem is None
    dead = site_stats({**STATS, "harvester/list_pages": 2, "harvester/selector_tried/list_links": 2,
                       "harvester/selector_missed/list_links": 2, "harvester/selector_tried/body": 5,
                       "harvester/selector_missed/body": 4})
    assert dead.warnings == ["selectors.list_links matched nothing on any of the 2 page(s) it was tried on"]
    assert dead.problem is None


def test_pages_the_crawler_failed_on_are_a_problem() -> None:
    broken = site_stats({**STATS, "harvester/errors": 1, "harvester/spider_errors": 1})
    assert broken.problem == "the crawler failed on 1 page(s) it fetched (the log names them); what they held was not recorded"


def test_list_pages_that_listed_no_report_are_a_warning() -> None:
    empty = site_stats({**STATS, "harvester/list_pages": 3, "harvester/reports_found": 0})
    assert empty.warnings == ["no report was found on the 3 list page(s) read: the column may be empty, or laid out in "
                              "a way the walker does not read (`harvester sites check` shows what it saw)"]
    assert empty.problem is None
    assert site_stats({**STATS, "harvester/list_pages": 3}).warnings == []


def test_an_exception_in_a_spider_callback_is_counted() -> None:
    from scrapy import signals
    from scrapy.utils.test import get_crawler
    from twisted.python.failure import Failure

    from harvester.siteconfig import load_site
    from harvester.spiders.reports import ReportsSpider

    crawler = get_crawler(ReportsSpider)
    crawler.spider = ReportsSpider.from_crawler(crawler, site=load_site("fixture-trs"))
    try:
        raise AttributeError("Response content isn't text")
    except AttributeError:
        failure = Failure()
    crawler.signals.send_catch_log(signals.spider_error, failure=failure, response=None, spider=crawler.spider)
    assert run_stats(crawler.stats.get_stats())["spider_errors"] == 1
    assert run_stats(crawler.stats.get_stats())["errors"] == 1


def test_live_progress_shows_each_site() -> None:
    crawler = SimpleNamespace(stats=SimpleNamespace(get_stats=lambda: STATS))
    console = Console(record=True, width=120)
    console.print(LiveProgress([("fixture-trs", crawler)]).render())  # type: ignore[list-item]
    text = console.export_text()
    assert "fixture-trs" in text and "40" in text and "12" in text and "11" in text


def test_plain_summary_off_a_terminal(capsys) -> None:  # type: ignore[no-untyped-def]
    summary = CrawlSummary(sites={"fixture-trs": site_stats(STATS)}, elapsed=3.0)
    _print_summary(summary)
    line = capsys.readouterr().out.strip()
    assert line.startswith("site=fixture-trs pages_fetched=40 reports_found=12 new_reports=11")
    assert line.endswith("elapsed=2.5s")


def test_health_counters_come_from_scrapy_stats() -> None:
    from harvester.crawl import health_stats

    stats = {"robotstxt/forbidden": 2, "downloader/response_status_count/503": 3,
             "downloader/response_status_count/500": 1, "downloader/response_status_count/404": 7,
             "downloader/response_status_count/429": 4, "downloader/exception_count": 1}
    assert health_stats(stats) == {"robots_disallowed": 2, "server_errors": 9, "selector_empty": 0}
    assert health_stats({}) == {"robots_disallowed": 0, "server_errors": 0, "selector_empty": 0}
    dead = {"harvester/selector_tried/list_links": 3, "harvester/selector_missed/list_links": 3}
    assert health_stats(dead)["selector_empty"] == 3
    refused = {"downloader/exception_count": 4, "robotstxt/forbidden": 1,
               "downloader/exception_type_count/harvester.middlewares.robots.ForbiddenByRobots": 1,
               "downloader/exception_type_count/harvester.middlewares.scope.OutOfScope": 2}
    assert health_stats(refused)["server_errors"] == 1  # only the one exception that was not our refusal
    assert health_stats({**dead, "harvester/selector_missed/list_links": 2})["selector_empty"] == 0
