"""A page fetched in full with the bytes of its recorded version (a portal that sends no
validators answers every re-crawl with 200), and attachments with theirs, is recorded by its
bytes without being parsed again; any other bytes are parsed."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import crawl_cli
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from harvester.items import ReportItem
from harvester.pipelines import archive as crawl_archive
from harvester.pipelines.capture_parse import parse_capture
from harvester.pipelines.parse import ParsePipeline
from harvester.pipelines.workers import WorkerLimits
from storage.archive import Archive
from tests.crawl.test_parse_pipeline import DOCUMENTS, LINK_PAGE, SITE, capture, resource

PAGE, DOCX = "http://gov.test/a.html", "http://gov.test/P0202103.docx"


def _item(docx: bytes) -> ReportItem:
    return capture(resource(PAGE, LINK_PAGE, content_type="text/html"), resource(DOCX, docx))


class Pipeline(ParsePipeline):
    """The parse pipeline in a thread of this process, counting the parses it sends."""

    def __init__(self, archive: Archive) -> None:
        crawler = SimpleNamespace(settings=Settings(), spider=SimpleNamespace(site=SITE, recheck=SITE.recheck),
                                  stats=MemoryStatsCollector(SimpleNamespace(settings=Settings())))  # type: ignore[arg-type]
        setattr(crawler, crawl_archive._ATTRIBUTE, archive)
        super().__init__(crawler, 0, WorkerLimits(0, 0, 0))  # type: ignore[arg-type]
        self.parsed: list[str] = []

    async def parse(self, item: ReportItem, names: dict[str, str], inline: dict[str, bytes] | None = None,
                    earlier_page: str | None = None) -> Any:
        self.parsed.append(item.page.url)
        return await super().parse(item, names, inline, earlier_page)


def test_a_report_fetched_again_with_its_recorded_bytes_is_not_parsed_again(tmp_path: Path) -> None:
    docx = (DOCUMENTS / "002_133ea6e3b8938548.docx").read_bytes()
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        first = _item(docx)
        first.parse = parse_capture(first, SITE, {PAGE: LINK_PAGE, DOCX: docx})
        assert archive.record(first).outcome == "new_report"

        pipeline = Pipeline(archive)  # a new crawl: its snapshot of the site is read now
        pipeline.open_spider()
        try:
            again = asyncio.run(pipeline.process_item(_item(docx)))
            assert pipeline.parsed == [] and again.parse is None
            assert archive.record(again).outcome == "unchanged"

            changed = asyncio.run(pipeline.process_item(_item(docx + b"\0")))
            assert pipeline.parsed == [PAGE] and changed.parse is not None  # an attachment's new bytes: parsed
            missing = asyncio.run(pipeline.process_item(replace(_item(docx), attachments=[])))
            assert pipeline.parsed == [PAGE, PAGE] and missing.parse is not None  # the version had an attachment more
        finally:
            pipeline.close_spider()


@pytest.mark.slow
def test_a_recrawl_of_a_portal_sending_no_validators_records_nothing_new(fixture_server, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    first = crawl_cli(["fixture-trs"], sqlite_url, data_dir)["sites"]["fixture-trs"]
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as connection:  # as if the portal had sent none: every request goes unconditional
        connection.execute(sa.text("update captures set etag = null, last_modified = null"))
    engine.dispose()
    fixture_server.clear_log()
    again = crawl_cli(["fixture-trs"], sqlite_url, data_dir)["sites"]["fixture-trs"]
    assert not [e for e in fixture_server.log() if e["status"] == 304]  # all fetched in full
    assert again["new_reports"] == again["new_versions"] == 0 and again["failed"] == first["failed"]  # a dead link
    assert again["unchanged"] == first["new_reports"] + first["new_versions"]
    # (Every page of these portals prints a visit counter: each is parsed again, and what it
    # was recorded as is found by its content; a page without one is found by its bytes.)
