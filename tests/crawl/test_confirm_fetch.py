"""The confirmation fetch: a second fetch with the first one's bytes is not parsed again (the
parse would be the same); other bytes go to the parse workers like the first fetch."""

from __future__ import annotations

import asyncio
from dataclasses import fields
from types import SimpleNamespace
from typing import Any

from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from harvester.items import ReportItem
from harvester.pipelines import parse as parse_pipeline
from harvester.pipelines.confirm import ConfirmPipeline
from storage.capture import ParseOutcome
from tests.storage.test_chrome import bare_page, capture, news, report_body


class Parser:
    """Stands in for the parse pipeline's workers: records what it is asked to parse."""

    def __init__(self) -> None:
        self.asked: list[bytes] = []
        self.outcome = ParseOutcome(report=None, error="parsed again", fingerprint="f" * 64, parser_version="test")

    async def parse_again(self, item: ReportItem, body: bytes) -> Any:
        self.asked.append(body)
        return SimpleNamespace(outcome=self.outcome)


def confirm(second_fetch: bytes) -> tuple[ReportItem, Parser, MemoryStatsCollector]:
    first = capture(report_body(), 1, news(1, 2, 3, 4))
    item = ReportItem(**{f.name: getattr(first, f.name) for f in fields(type(first))})

    async def download_async(request: Request) -> HtmlResponse:
        return HtmlResponse(request.url, status=200, body=second_fetch, request=request)

    parser = Parser()
    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))  # type: ignore[arg-type]
    crawler = SimpleNamespace(engine=SimpleNamespace(download_async=download_async), stats=stats, settings=Settings())
    setattr(crawler, parse_pipeline._ATTRIBUTE, parser)
    pipeline = ConfirmPipeline(crawler, reader_process=False)  # type: ignore[arg-type]

    async def needed(item: ReportItem) -> bool:  # what the archive says of a new report
        return True

    pipeline._needed = needed  # type: ignore[method-assign]
    return asyncio.run(pipeline.process_item(item)), parser, stats


def test_a_second_fetch_with_the_same_bytes_reuses_the_first_parse() -> None:
    same = bare_page(report_body(), 1, news(1, 2, 3, 4))
    item, parser, stats = confirm(same)
    assert item.page.body == same
    assert item.confirmation is item.parse and parser.asked == []
    assert stats.get_value("harvester/confirmations") == 1


def test_a_second_fetch_with_other_bytes_is_parsed() -> None:
    other = bare_page(report_body(), 2, news(5, 2, 6, 7))
    item, parser, stats = confirm(other)
    assert parser.asked == [other] and item.confirmation is parser.outcome
    assert stats.get_value("harvester/confirmations") == 1
