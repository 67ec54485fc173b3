"""Bodies go to worker processes by reference: the job a worker gets holds the body's name
in the hand-off store, not its bytes, and the worker reads back exactly what was fetched."""

from __future__ import annotations

import asyncio
import json
import pickle
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

from harvester.items import ParseOutcome, ReportItem, Resource
from harvester.pipelines import capture_parse
from harvester.pipelines.bodies import PackedReport, with_bodies, without_bodies
from harvester.pipelines.capture_parse import ParseRun, parse_capture, parse_stored
from harvester.pipelines.parse import ParsePipeline
from harvester.pipelines.storable import storable
from harvester.pipelines.workers import WorkerLimits, WorkerPool
from harvester.pipelines.writer import record_with
from storage.archive import Archive
from storage.blobs import BlobStore, sha256_of
from storage.crawlstate import CrawlState
from storage.capture import CaptureInput, whole_report
from storage.json_text import from_json
from tests.crawl.test_parse_pipeline import DOCUMENTS, SITE
from tests.crawl.test_parse_workers import run

PAGE_URL = "http://gov.test/art/2021/3/17/art_1001_1.html"
CHALLENGE_URL = "http://gov.test/P0202103.docx"


def fetched_capture() -> tuple[ReportItem, bytes]:
    page = (DOCUMENTS / "001_edb62deb526a149a.html").read_bytes()
    now = datetime.now(UTC)
    item = ReportItem(
        site="t",
        page=Resource(PAGE_URL, 200, now, page, "text/html; charset=utf-8"),
        # a challenge page in place of an attachment: kept with the item, never put in the store
        attachments=[Resource(CHALLENGE_URL, 412, now, b"<html>challenge</html>", "text/html", status="blocked")],
        listing_title="淄博市张店区2020年政府信息公开工作年度报告",
    )
    return item, page


def test_an_item_crosses_without_its_stored_bodies_and_gets_them_back(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    item, page = fetched_capture()
    item.stored[0] = store.put(page)

    light = without_bodies(item)
    sent = pickle.dumps(light)
    assert light.page.body is None and page not in sent and len(sent) < len(page) // 4
    assert light.attachments[0].body == b"<html>challenge</html>"  # not in the store: travels as it is
    assert item.page.body == page  # the crawl process's item keeps its bytes

    received = with_bodies(pickle.loads(sent), store)
    assert received.page.body == page and received.attachments[0].body == b"<html>challenge</html>"
    assert received.stored == {0: item.stored[0]}


def test_a_parse_worker_reads_the_body_by_name_and_parses_it_as_the_crawl_process_would(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    item, page = fetched_capture()
    name = store.put(page)
    pool = WorkerPool("parse", 1, WorkerLimits(memory_mb=2048, cpu_seconds=60, deadline=120))

    [run_] = run(pool, (parse_stored, without_bodies(item), SITE, {PAGE_URL: name}, store.root, {}))

    here = parse_capture(item, SITE, {PAGE_URL: page})
    assert not run_.crashed and run_.outcome.error is None
    # packed in the worker: the crawl process hands it on without unpickling it
    assert isinstance(run_.outcome.report, PackedReport)
    report = from_json(run_.outcome.report)
    assert run_.outcome.fingerprint == here.fingerprint and report == here.report
    assert len(report["sections"]) == 6


def test_a_parse_worker_sends_its_report_back_cleaned_for_the_archive(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = BlobStore(tmp_path / "blobs")
    item, page = fetched_capture()
    parse_run = capture_parse.parse_capture_run

    def poisoning(*args):  # type: ignore[no-untyped-def]
        run_ = parse_run(*args)  # the parsers never let such text out: a decoder that one day does
        run_.outcome.report["sections"][0]["text"] += "\udcb2\x00"
        return run_

    monkeypatch.setattr(capture_parse, "parse_capture_run", poisoning)
    run_ = parse_stored(without_bodies(item), SITE, {PAGE_URL: store.put(page)}, store.root, {})

    report = from_json(run_.outcome.report)
    assert report["sections"][0]["text"].endswith("\ufffd\ufffd")
    # the content key's parts are made of the cleaned text, as the archive will read it
    first = report["sections"][0]["number"]
    assert [text for number, text in run_.outcome.content.paragraphs if number == first][-1].endswith("\ufffd\ufffd")


def test_a_second_fetch_reading_as_the_same_document_comes_back_as_the_items_own_parse(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    item, page = fetched_capture()
    # The site's snapshot of an empty archive: nothing was recorded before.
    crawler = SimpleNamespace(spider=SimpleNamespace(site=SITE), _harvester_handoff_store=store,
                              _harvester_crawl_state=CrawlState())
    pipeline = ParsePipeline(crawler, 1, WorkerLimits(memory_mb=2048, cpu_seconds=60, deadline=120))  # type: ignore[arg-type]
    second = page.replace(b"</body>", '<div class="footer"><p>您是本站第1042位访问者</p></div></body>'.encode())

    async def fetched_twice() -> ParseRun:
        await pipeline.process_item(item)
        return await pipeline.parse_again(item, second)

    pipeline.open_spider()
    try:
        confirmation = asyncio.run(fetched_twice())
    finally:
        pipeline.close_spider()
    assert isinstance(item.parse.report, PackedReport)
    # one object: the record pipeline and the writer send and unpack one report
    assert confirmation.earlier and confirmation.outcome is item.parse


def packed_capture(store: BlobStore) -> tuple[ReportItem, bytes, ParseOutcome]:
    """A fetched capture whose page is in ``store`` and whose parse travels packed, and the parse."""
    item, page = fetched_capture()
    item.stored[0] = store.put(page)
    outcome = parse_capture(item, SITE, {PAGE_URL: page})
    item.parse = replace(outcome, report=PackedReport.pack(outcome.report))
    return item, page, outcome


def test_packed_reports_come_back_as_their_metadata_and_are_read_in_full_when_asked(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    item, page, outcome = packed_capture(store)
    item.confirmation = replace(outcome, report=PackedReport.pack(outcome.report))

    received = with_bodies(pickle.loads(pickle.dumps(without_bodies(item))), store)
    assert received.page.body == page
    for parse in (received.parse, received.confirmation):
        # Which report it is, and whether it changed, are told without reading the report.
        assert parse.report == {"metadata": outcome.report["metadata"]} and parse.report_json is not None
        assert whole_report(parse) == outcome.report and parse == outcome and parse.report_json is None
    assert isinstance(item.parse.report, PackedReport)  # the crawl process's item stays as it was


def test_a_confirmation_that_took_the_first_parse_travels_and_is_read_as_one_report(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    item, _, outcome = packed_capture(store)
    item.confirmation = item.parse  # what the confirm pipeline does with the same bytes

    sent = storable(without_bodies(item))  # what the record pipeline sends the writer
    assert sent.confirmation is sent.parse
    received = with_bodies(pickle.loads(pickle.dumps(sent)), store)
    assert received.confirmation.report is received.parse.report
    assert received.confirmation.report_json is received.parse.report_json
    assert whole_report(received.parse) == outcome.report and whole_report(received.confirmation) == outcome.report


def test_a_304_is_named_by_its_stored_sha256_without_reading_its_bytes(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        item, page = fetched_capture()
        attachment_url, document = "http://gov.test/a.docx", (DOCUMENTS / "002_133ea6e3b8938548.docx").read_bytes()
        now = datetime.now(UTC)
        archive.record(CaptureInput(site="t", page=Resource(PAGE_URL, 200, now, page, "text/html"), parse=item.parse,
                                    attachments=[Resource(attachment_url, 200, now, document, "application/msword")]))
        # The page and one attachment answered 304, a new attachment was fetched.
        new_url, new_body = "http://gov.test/b.docx", document + b"\0"
        later = ReportItem(site="t", page=Resource(PAGE_URL, 304, now, None, status="not_modified"), attachments=[
            Resource(attachment_url, 304, now, None, status="not_modified"), Resource(new_url, 200, now, new_body)])
        pipeline = ParsePipeline(SimpleNamespace(_harvester_archive=archive, _harvester_handoff_store=archive.blobs),  # type: ignore[arg-type]
                                 0, WorkerLimits(0, 0, 0))
        read: list[str] = []
        stored_get = archive.blobs.get
        archive.blobs.get = lambda sha256: read.append(sha256) or stored_get(sha256)  # type: ignore[method-assign]
        try:
            names = asyncio.run(pipeline._store(later))
        finally:
            pipeline.close_spider()
        assert names == {PAGE_URL: sha256_of(page), attachment_url: sha256_of(document), new_url: sha256_of(new_body)}
        assert read == []  # the stored bytes were named, not read and hashed again
        assert later.stored == {2: sha256_of(new_body)}  # only the fetched body was put in the store


def test_the_writer_names_bodies_in_the_archives_own_store_and_records_them_as_if_read(tmp_path: Path) -> None:
    from harvester.pipelines.writer import record_with
    from storage.models import Blob, Capture, Version

    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        item, page, outcome = packed_capture(archive.blobs)
        sha256 = item.stored[0]
        named = with_bodies(pickle.loads(pickle.dumps(without_bodies(item))), archive.blobs, archived=True)
        assert named.page.body is None and named.page.in_store == (sha256, len(page))
        assert named.attachments[0].body == b"<html>challenge</html>"  # not in the store: it came with the item

        put, read = archive.blobs.put, archive.blobs.get
        handled: list[bytes | str] = []
        archive.blobs.put = lambda data: handled.append(data) or put(data)  # type: ignore[method-assign]
        archive.blobs.get = lambda sha: handled.append(sha) or read(sha)  # type: ignore[method-assign]
        try:
            [result] = record_with(archive, [without_bodies(item)], archive.blobs.root)
        finally:
            archive.blobs.put, archive.blobs.get = put, read  # type: ignore[method-assign]
        assert handled == [b"<html>challenge</html>"]  # the page was neither read back nor put again
        with archive.session() as session:
            assert session.get(Blob, sha256).size == len(page)
            assert result.outcome == "new_report"
            assert session.scalars(sa.select(Capture.sha256).where(Capture.url == PAGE_URL)).all() == [sha256]
            assert session.scalars(sa.select(Version.page_sha256)).all() == [sha256]

    # Another store (a private one beside an S3 archive): bodies are read back and put as before.
    other = BlobStore(tmp_path / "handoff")
    item, page = fetched_capture()
    item.stored[0] = other.put(page)
    assert with_bodies(without_bodies(item), other).page.body == page


def test_the_writer_reads_a_report_in_full_only_to_write_a_new_version(tmp_path: Path) -> None:
    from storage.cellnames import named_cells
    from storage.models import CellRow, SectionRow

    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        item, _, outcome = packed_capture(archive.blobs)
        # As a parse worker sends it: packed, with the parts of its content key.
        item.parse = parse_stored(without_bodies(item), SITE, {PAGE_URL: item.stored[0]}, archive.blobs.root, {}).outcome
        first = with_bodies(pickle.loads(pickle.dumps(without_bodies(item))), archive.blobs, archived=True)
        [result] = archive.record_many([first])
        assert result.outcome == "new_report" and first.parse.report_json is None  # read, to write its rows
        with archive.session() as session:
            cells = session.scalars(sa.select(CellRow.raw).where(CellRow.version_id == result.version_id)
                                     .order_by(CellRow.position)).all()
            sections = session.scalars(sa.select(SectionRow.heading).where(SectionRow.version_id == result.version_id)
                                        .order_by(SectionRow.position)).all()
        assert cells == [cell.cell["raw"] for cell in named_cells(outcome.report)] and len(cells) > 100
        assert sections == [section["heading"] for section in outcome.report["sections"]]

        # Fetched again, the page's bytes and parse the same: told unchanged by its metadata and
        # the parts of its content key, its 40 KB of JSON never read.
        again = with_bodies(pickle.loads(pickle.dumps(without_bodies(item))), archive.blobs, archived=True)
        [result] = archive.record_many([again])
        assert result.outcome == "unchanged" and again.parse.report_json is not None


def test_a_second_fetch_whose_first_page_is_gone_from_the_store_is_parsed_in_full(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    item, page, _ = packed_capture(store)
    second = page.replace(b"</body>", '<div class="footer"><p>您是本站第1042位访问者</p></div></body>'.encode())
    store.path(item.stored[0]).unlink()

    again = parse_stored(without_bodies(item), SITE, {}, store.root, {PAGE_URL: second}, item.stored[0])
    assert not again.earlier and again.outcome.error is None and not again.crashed
    store.put(page)  # back where it was: the first parse is taken
    assert parse_stored(without_bodies(item), SITE, {}, store.root, {PAGE_URL: second}, item.stored[0]).earlier


def test_the_writer_stores_a_report_as_the_text_its_parse_worker_encoded(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        item, _, outcome = packed_capture(archive.blobs)  # type: ignore[arg-type]
        # Spaced as the archive's encoder does not space it: what is stored is the text sent.
        packed = json.dumps(outcome.report, ensure_ascii=False).encode()
        item.parse = replace(item.parse, report=PackedReport.pack(outcome.report, packed))  # type: ignore[arg-type]
        [result] = record_with(archive, [item], archive.blobs.root)  # type: ignore[union-attr]
        with archive.engine.connect() as connection:
            text = connection.execute(sa.text("SELECT report_json FROM versions WHERE id = :id"),
                                      {"id": result.version_id}).scalar_one()
        assert result.outcome == "new_report" and text == packed.decode()
        assert from_json(text) == outcome.report


def test_a_reports_text_that_lost_its_type_is_not_written_as_a_string(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        item, _, outcome = packed_capture(archive.blobs)  # type: ignore[arg-type]
        received = with_bodies(item, archive.blobs, archived=True)  # type: ignore[arg-type]
        received.parse = replace(received.parse, report_text=str(received.parse.report_text))  # type: ignore[arg-type]
        result = archive.record(received)
        with archive.engine.connect() as connection:
            text = connection.execute(sa.text("SELECT report_json FROM versions WHERE id = :id"),
                                      {"id": result.version_id}).scalar_one()
        assert from_json(text) == outcome.report  # the report, not a string holding it


def test_a_packed_report_is_unpacked_by_the_fast_decoder(monkeypatch) -> None:
    """The writer unpacks every report a parse worker packed: by orjson, not the standard library
    (orjson refused the packed bytes' subclass, and 7 % of the writer's samples went to json)."""
    report = {"metadata": {"agency": "淄博市", "year": 2020}, "tables": {"appeals": {"cells": {}}}}

    def refused(*_: object, **__: object) -> None:
        raise AssertionError("read by the standard library")

    monkeypatch.setattr(json, "loads", refused)
    assert from_json(PackedReport.pack(report)) == report
