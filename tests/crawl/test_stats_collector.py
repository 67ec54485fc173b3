"""The crawl's stats collector counts as Scrapy's does, without Scrapy's per-access wrapping."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from harvester.crawl import StatsCollector, project_settings


def test_counts_as_scrapys_collector() -> None:
    spider = SimpleNamespace(name="reports")
    collectors = [cls(SimpleNamespace(settings=Settings({"STATS_DUMP": False}), spider=spider))  # type: ignore[arg-type]
                  for cls in (MemoryStatsCollector, StatsCollector)]
    for stats in collectors:
        stats.open_spider()
        stats.inc_value("harvester/pages_fetched")
        stats.inc_value("harvester/pages_fetched", 2)
        stats.set_value("harvester/run_id", 7)
        stats.max_value("request_depth_max", 3)
        stats.max_value("request_depth_max", 1)
        stats.min_value("first", 5)
        stats.close_spider(reason="finished")
    assert collectors[1].get_stats() == collectors[0].get_stats() == {
        "harvester/pages_fetched": 3, "harvester/run_id": 7, "request_depth_max": 3, "first": 5}
    assert collectors[1].spider_stats == collectors[0].spider_stats
    assert collectors[1].get_value("missing", 0) == 0


def test_the_crawl_uses_it() -> None:
    assert project_settings()["STATS_CLASS"] == "harvester.crawl.StatsCollector"
