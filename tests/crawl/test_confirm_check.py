"""The confirm pipeline's question, asked in the reader process, gets the archive's own answer."""

from __future__ import annotations

import asyncio
from dataclasses import fields, replace
from functools import partial
from pathlib import Path

from harvester.items import ReportItem
from harvester.pipelines.bodies import without_bodies
from harvester.pipelines.confirm_check import (
    confirmation_needed_in_reader,
    confirmation_needed_with,
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

    async def ask(item: ReportItem) -> bool:
        light = without_bodies(item)
        assert light.page.body is None  # sent by reference, and not needed there
        return await reader.run(confirmation_needed_in_reader, partial(confirmation_needed_with, archive), light)

    try:
        body = report_body()
        first = _item(archive, capture(body, 1, news(1, 2, 3, 4), again=(2, news(5, 2, 6, 7))))
        assert asyncio.run(ask(first)) is archive.confirmation_needed(first) is True  # a new report
        archive.record(first)
        later = _item(archive, capture(body, 3, news(8, 9, 1, 3)))
        assert asyncio.run(ask(later)) is archive.confirmation_needed(later) is True  # paragraphs differ
        later.confirmation = capture(body, 4, news(10, 9, 1, 11)).parse
        archive.record(later)
        tomorrow = _item(archive, capture(body, 40, news(2, 8, 10, 5)))
        assert asyncio.run(ask(tomorrow)) is archive.confirmation_needed(tomorrow) is False  # chrome learned
        assert reader.pool is not None  # every answer came from the process
    finally:
        reader.close()
        archive.close()


def test_without_a_reader_process_the_thread_answers_without_reading_a_body(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        light = without_bodies(_item(archive, capture(report_body(), 1, news(1, 2, 3, 4))))
        assert light.page.body is None
        assert confirmation_needed_with(archive, light)  # a new report, told from its parse alone


def test_a_page_answered_304_and_parsed_again_is_not_confirmed(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        item = _item(archive, capture(report_body(), 1, news(1, 2, 3, 4)))
        item.page = replace(item.page, status="not_modified", http_status=304, body=None)
        assert not confirmation_needed_with(archive, item)
