"""The archive writer's process starts when the crawl first asks for a report page: a crawl that
asks for none (a day of ``recheck`` with nothing due) never pays its start-up."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import worker_processes
from scrapy.utils.test import get_crawler

from harvester.pipelines.record import RecordPipeline
from harvester.siteconfig import SiteConfig
from harvester.spiders.reports import ReportsSpider

TITLE = "淄博经济开发区管理委员会2020年政府信息公开工作年度报告"


def _eventually_one_writer(seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(worker_processes("archive-writer")) == 1:
            return True
        time.sleep(0.05)
    return False


def test_the_writer_starts_with_the_first_report_page_asked_for(tmp_path: Path) -> None:
    crawler = get_crawler(ReportsSpider, {"HARVESTER_DB_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
                                          "HARVESTER_DATA_DIR": str(tmp_path / "data"), "HARVESTER_RECORD_WORKER": True})
    site = SiteConfig(name="testsite", title="testsite", family="trs", start_urls=["http://gov.test/"])
    crawler.spider = spider = ReportsSpider.from_crawler(crawler, site=site)
    pipeline = RecordPipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        time.sleep(1)  # a writer started with the crawl would have named itself by now
        assert worker_processes("archive-writer") == []
        for n in range(3):
            spider._report_request(f"http://gov.test/art/2021/1/4/art_1001_{n}.html", TITLE, None)
        assert spider.asked_for_reports
        assert _eventually_one_writer()
    finally:
        pipeline.close_spider()
    assert worker_processes("archive-writer") == []
