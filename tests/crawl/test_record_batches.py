"""The record pipeline holds a batch for more captures only while pages are being downloaded."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import Request
from scrapy.utils.test import get_crawler

from harvester.pipelines.record import BATCH_DELAY, RecordPipeline


def test_more_captures_are_awaited_only_while_a_request_is_in_the_downloader() -> None:
    crawler = get_crawler()
    pipeline = RecordPipeline(crawler, "crawl")
    assert pipeline.batcher.delay == BATCH_DELAY > 0
    downloader = SimpleNamespace(active=set())
    crawler.engine = SimpleNamespace(downloader=downloader)  # type: ignore[assignment]
    assert not pipeline.batcher.more_coming()  # the crawl's last pages are in: its last captures go at once
    downloader.active.add(Request("http://gov.test/art/1.html"))
    assert pipeline.batcher.more_coming()
