"""The scheduler's disk queue names callbacks as Scrapy's does and gives requests back whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request, signals
from scrapy.utils.test import get_crawler

from harvester.items import ReportItem
from harvester.spiders.reports import CAPTURE_META, ReportsSpider
from harvester.squeues import FifoDiskQueue, method_names, request_dict


def _crawler_with_spider():  # type: ignore[no-untyped-def]
    crawler = get_crawler(ReportsSpider)
    crawler.spider = ReportsSpider.from_crawler(crawler, site="fixture-hanweb")
    return crawler


def test_requests_are_stored_as_scrapy_stores_them(tmp_path: Path) -> None:
    crawler = _crawler_with_spider()
    spider = crawler.spider
    capture = ReportItem(site="fixture-hanweb", page=None, listing_title="2024年报", listing_date="2025-01-02")  # type: ignore[arg-type]
    requests = [
        Request("http://a.test/art/1.html", callback=spider.parse_report, errback=spider.report_failed,
                dont_filter=True, meta={CAPTURE_META: capture}),
        Request("http://a.test/list?p=2", method="POST", body=b"p=2", callback=spider.parse, errback=spider.list_failed),
        Request("http://a.test/robots.txt"),
    ]
    names = method_names(spider)
    for request in requests:
        assert request_dict(request, names) == request.to_dict(spider=spider)

    queue = FifoDiskQueue.from_crawler(crawler, str(tmp_path / "queue"))
    for request in requests:
        queue.push(request)
    back = [queue.pop() for _ in requests]
    queue.close()
    assert [(r.url, r.method, r.body, r.callback, r.errback) for r in back] == \
        [(r.url, r.method, r.body, r.callback, r.errback) for r in requests]
    assert back[0].meta[CAPTURE_META] == capture


def test_a_callback_that_is_no_method_of_the_spider_is_refused_as_scrapy_refuses_it() -> None:
    spider = _crawler_with_spider().spider
    request = Request("http://a.test/art/1.html", callback=lambda response: None)
    with pytest.raises(ValueError):
        request.to_dict(spider=spider)
    with pytest.raises(ValueError):
        request_dict(request, method_names(spider))


def test_the_queues_of_one_spider_share_one_table_of_its_methods(tmp_path: Path) -> None:
    crawler = _crawler_with_spider()
    queues = [FifoDiskQueue.from_crawler(crawler, str(tmp_path / f"q{n}")) for n in range(2)]
    other = _crawler_with_spider()
    elsewhere = FifoDiskQueue.from_crawler(other, str(tmp_path / "other"))
    assert queues[0].names is queues[1].names and elsewhere.names is not queues[0].names
    assert elsewhere.names == method_names(other.spider)
    for queue in (*queues, elsewhere):
        queue.close()


def _report_request(spider, n: int) -> Request:  # type: ignore[no-untyped-def]
    return Request(f"http://a.test/art/{n}.html", callback=spider.parse_report, errback=spider.report_failed)


def test_a_queue_run_empty_is_handed_back_for_its_path_with_its_file_cut_back(tmp_path: Path) -> None:
    crawler = _crawler_with_spider()
    path = str(tmp_path / "slot" / "0")
    queue = FifoDiskQueue.from_crawler(crawler, path)
    for n in range(3):
        queue.push(_report_request(crawler.spider, n))
    assert [queue.pop().url for _ in range(3)] == [f"http://a.test/art/{n}.html" for n in range(3)]
    queue.close()  # as the scheduler closes a queue that ran empty
    assert Path(path, "q00000").stat().st_size == 0
    again = FifoDiskQueue.from_crawler(crawler, path)
    assert again is queue
    again.push(_report_request(crawler.spider, 7))
    assert len(again) == 1 and again.pop().url == "http://a.test/art/7.html" and again.pop() is None
    assert FifoDiskQueue.from_crawler(crawler, path) is not queue  # handed back once


def test_kept_queues_are_closed_as_scrapy_closes_them_when_the_spider_closes(tmp_path: Path) -> None:
    crawler = _crawler_with_spider()
    emptied, pending = tmp_path / "slot" / "0", tmp_path / "slot" / "1"
    queue = FifoDiskQueue.from_crawler(crawler, str(emptied))
    queue.push(_report_request(crawler.spider, 1))
    queue.pop()
    queue.close()
    waiting = FifoDiskQueue.from_crawler(crawler, str(pending))
    waiting.push(_report_request(crawler.spider, 2))
    waiting.close()  # a queue closed holding requests keeps them for the next run, as Scrapy's
    assert emptied.exists()
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
    assert not emptied.exists()
    resumed = FifoDiskQueue.from_crawler(crawler, str(pending))
    assert resumed is not waiting and resumed.pop().url == "http://a.test/art/2.html"
    resumed.close()
