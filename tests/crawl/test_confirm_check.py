"""The confirm pipeline's question, asked in the reader process, gets the archive's own answer."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import fields, replace
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from conftest import worker_processes
from harvester.items import ReportItem
from harvester.pipelines.archive import _ATTRIBUTE as archive_attribute
from harvester.pipelines.bodies import without_bodies
from harvester.pipelines.confirm import ConfirmPipeline
from harvester.pipelines.confirm_check import (
    confirmations_needed_in_reader,
    confirmations_needed_with,
    open_reader_archive,
)
from harvester.pipelines.offload import Offload
from storage.archive import Archive
from storage.capture import CaptureInput
from tests.storage.test_chrome import capture, news, report_body


def _item(archive: Archive, capture: CaptureInput) -> ReportItem:
    """``capture`` as the confirm pipeline gets it: its page body in the hand-off store."""
    item = ReportItem(**{f.name: getattr(capture, f.name) for f in fields(CaptureInput)})
    assert item.page.body is not None
    item.stored[0] = archive.blobs.put(item.page.body)
    return item


def test_the_reader_process_answers_as_the_archive(tmp_path: Path) -> None:
    url, data = f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data"
    archive = Archive.open(url, data)
    reader = Offload("archive-reader", 1, open_reader_archive, (url, str(data)))

    async def ask_many(items: list[ReportItem]) -> list[bool]:
        light = [without_bodies(item) for item in items]
        assert all(item.page.body is None for item in light)  # sent by reference, and not needed there
        return await reader.run(confirmations_needed_in_reader, partial(confirmations_needed_with, archive), light)

    def ask(item: ReportItem) -> bool:
        [needed] = asyncio.run(ask_many([item]))
        return needed

    try:
        body = report_body()
        first = _item(archive, capture(body, 1, news(1, 2, 3, 4), again=(2, news(5, 2, 6, 7))))
        assert ask(first) is archive.confirmation_needed(first) is True  # a new report
        archive.record(first)
        later = _item(archive, capture(body, 3, news(8, 9, 1, 3)))
        assert ask(later) is archive.confirmation_needed(later) is True  # paragraphs differ
        later.confirmation = capture(body, 4, news(10, 9, 1, 11)).parse
        archive.record(later)
        tomorrow = _item(archive, capture(body, 40, news(2, 8, 10, 5)))
        assert ask(tomorrow) is archive.confirmation_needed(tomorrow) is False  # chrome learned
        # Asked together, each gets the answer it gets alone.
        assert asyncio.run(ask_many([tomorrow, later, first])) == [False, archive.confirmation_needed(later), False]
        assert reader.pool is not None  # every answer came from the process
    finally:
        reader.close()
        archive.close()


def test_without_a_reader_process_the_thread_answers_without_reading_a_body(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        light = without_bodies(_item(archive, capture(report_body(), 1, news(1, 2, 3, 4))))
        assert light.page.body is None
        assert confirmations_needed_with(archive, [light]) == [True]  # a new report, told from its parse alone


def test_a_page_answered_304_and_parsed_again_is_not_confirmed(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        item = _item(archive, capture(report_body(), 1, news(1, 2, 3, 4)))
        item.page = replace(item.page, status="not_modified", http_status=304, body=None)
        assert confirmations_needed_with(archive, [item]) == [False]


def _pipeline(archive: Archive, reader_process: bool, downloading: bool = False
              ) -> tuple[ConfirmPipeline, MemoryStatsCollector, list[str]]:
    """A confirm pipeline over ``archive`` whose second fetches are answered 404 (listed in the
    third); ``downloading``: a page is being downloaded, so its questions wait for others."""
    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))  # type: ignore[arg-type]
    fetched: list[str] = []

    async def download_async(request: Any) -> Any:
        fetched.append(request.url)
        return SimpleNamespace(status=404, body=b"")

    settings = Settings({"HARVESTER_DB_URL": archive.engine.url.render_as_string(hide_password=False),
                         "HARVESTER_DATA_DIR": str(archive.data_dir)})
    crawler = SimpleNamespace(stats=stats, settings=settings, spider=SimpleNamespace(logger=logging.getLogger("test")),
                              engine=SimpleNamespace(download_async=download_async,
                                                     downloader=SimpleNamespace(active={"a page"} if downloading else set())))
    setattr(crawler, archive_attribute, archive)
    pipeline = ConfirmPipeline(crawler, reader_process=reader_process)  # type: ignore[arg-type]
    pipeline.open_spider()
    return pipeline, stats, fetched


def test_new_reports_are_told_in_the_crawl_process_and_only_folding_starts_the_reader(tmp_path: Path) -> None:
    archive = Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data")
    pipeline, _, fetched = _pipeline(archive, reader_process=True)
    body = report_body()
    try:
        first = _item(archive, capture(body, 1, news(1, 2, 3, 4)))
        asyncio.run(pipeline.process_item(first))
        assert fetched == [first.page.url]  # a new report, one of the site's sample
        assert worker_processes("archive-reader") == []  # told from its metadata, in a thread
        first.confirmation = capture(body, 2, news(5, 2, 6, 7)).parse
        archive.record(first)
        later = _item(archive, capture(body, 3, news(8, 9, 1, 3)))
        asyncio.run(pipeline.process_item(later))
        assert fetched == [first.page.url, later.page.url]  # its paragraphs differ from the stored version's
        assert len(worker_processes("archive-reader")) == 1  # folding both reports took the reader
    finally:
        pipeline.close_spider()
        archive.close()


def test_a_question_that_fails_costs_the_rest_of_its_batch_nothing_and_loses_no_item(tmp_path: Path) -> None:
    archive = Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data")
    body = report_body()
    items = [_item(archive, capture(body, n, news(n, 2, 3, 4))) for n in (1, 2)]
    poisoned = replace(items[1], page=replace(items[1].page, url="http://portal.test/poisoned.html"))
    asked: list[int] = []
    answer = archive.confirmations_known

    def confirmations_known(captures: list[CaptureInput]) -> list[bool | None]:
        asked.append(len(captures))
        if any(c.page.url == poisoned.page.url for c in captures):
            raise RuntimeError("the archive could not answer")
        return answer(captures)

    archive.confirmations_known = confirmations_known  # type: ignore[method-assign]
    pipeline, stats, fetched = _pipeline(archive, reader_process=False, downloading=True)

    async def both() -> list[ReportItem]:
        return list(await asyncio.gather(*(pipeline.process_item(i) for i in (items[0], poisoned))))

    try:
        done = asyncio.run(both())
    finally:
        pipeline.close_spider()
        archive.close()
    assert done == [items[0], poisoned]  # both go on to be recorded
    assert asked == [2, 1, 1]  # together, then each alone
    assert fetched == [items[0].page.url]  # the healthy one got its answer: a new report, fetched again
    assert stats.get_value("harvester/errors") == 1
