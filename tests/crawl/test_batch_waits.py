"""The record and confirm pipelines hold a batch for more items only while pages are being
downloaded: the crawl's last items go at once."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from harvester.pipelines import confirm, record
from harvester.pipelines.batching import Batcher


def record_batcher(crawler: Crawler) -> Batcher:  # type: ignore[type-arg]
    return record.RecordPipeline(crawler, "crawl").batcher


def confirm_batcher(crawler: Crawler) -> Batcher:  # type: ignore[type-arg]
    return confirm.ConfirmPipeline(crawler, reader_process=False).questions


@pytest.mark.parametrize(("batcher_of", "delay"), [(record_batcher, record.BATCH_DELAY),
                                                   (confirm_batcher, confirm.BATCH_DELAY)])
def test_more_items_are_awaited_only_while_a_request_is_in_the_downloader(
        batcher_of: Callable[[Crawler], Batcher], delay: float) -> None:  # type: ignore[type-arg]
    crawler = get_crawler()
    batcher = batcher_of(crawler)
    assert batcher.delay == delay > 0
    downloader = SimpleNamespace(active=set())
    crawler.engine = SimpleNamespace(downloader=downloader)  # type: ignore[assignment]
    assert not batcher.more_coming()  # the crawl's last pages are in: its last items go at once
    downloader.active.add(Request("http://gov.test/art/1.html"))
    assert batcher.more_coming()
