"""Rows a recording batch appends wait for its end, and are then what recording one by one writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from parsers import PARSER_VERSION
from storage.archive import Archive
from storage.capture import CaptureInput
from storage.clock import utcnow
from storage.db import writer
from storage.later_rows import rows_later
from storage.models import Capture, CellRow, Change, FindingRow, SectionRow, Version
from storage.parse_rows import apply_parse, insert_parse_rows
from tests.storage.conftest import REVISED_TOTAL, SEED_ZHANGDIAN_2023, SEED_ZIBO, capture_of, page

APPENDED = (CellRow, SectionRow, FindingRow, Change)


def revised(data: bytes) -> bytes:
    return data.replace(REVISED_TOTAL[0].encode(), REVISED_TOTAL[1].encode(), 1)


def appended_rows(archive: Archive) -> dict[str, list[tuple]]:
    """The appended tables' rows, without ids, in a form two archives can be compared by."""
    with archive.session() as session:
        return {
            "cells": session.execute(sa.select(CellRow.version_id, CellRow.position, CellRow.row_key, CellRow.column_key,
                                               CellRow.raw, CellRow.value, CellRow.location).order_by(CellRow.version_id, CellRow.position)).all(),
            "sections": session.execute(sa.select(SectionRow.version_id, SectionRow.position, SectionRow.text)
                                        .order_by(SectionRow.version_id, SectionRow.position)).all(),
            "findings": session.execute(sa.select(FindingRow.version_id, FindingRow.source, FindingRow.rule, FindingRow.printed,
                                                  FindingRow.expected, FindingRow.message).order_by(FindingRow.id)).all(),
            "changes": session.execute(sa.select(Change.version_id, Change.previous_version_id, Change.significance,
                                                 Change.summary).order_by(Change.version_id)).all(),
        }


def test_a_batch_of_new_versions_writes_the_rows_recording_one_by_one_writes(db_url: str, tmp_path: Path, seed) -> None:
    zibo, zhangdian = seed(SEED_ZIBO), seed(SEED_ZHANGDIAN_2023)

    def captures() -> list:
        return [capture_of(zibo, "http://gov.test/a.html"), capture_of(zhangdian, "http://gov.test/b.html", minutes=1),
                capture_of(revised(zibo), "http://gov.test/a.html", minutes=2)]

    with Archive.open(f"sqlite:///{tmp_path / 'one.sqlite3'}", tmp_path) as one_by_one:
        singly = [one_by_one.record(c).outcome for c in captures()]
        expected = appended_rows(one_by_one)
    with Archive.open(db_url, tmp_path) as batched:
        assert [r.outcome for r in batched.record_many(captures())] == singly == ["new_report", "new_report", "new_version"]
        assert appended_rows(batched) == expected
    assert expected["changes"] and expected["findings"] and len(expected["cells"]) > 300


def test_rows_wait_for_the_end_of_the_block_and_a_reparse_replaces_those_waiting(archive: Archive, seed) -> None:
    first = archive.record(capture_of(seed(SEED_ZIBO)))
    with archive.session() as session:
        report = session.get(Version, first.version_id).report_json
        stored = session.scalar(sa.select(sa.func.count()).select_from(CellRow))
    with Session(writer(archive.engine)) as session, session.begin():
        version = session.get(Version, first.version_id)
        for model in (CellRow, SectionRow, FindingRow):  # as if the version were recorded in this block
            session.execute(sa.delete(model))
        with rows_later(session):
            insert_parse_rows(session, version.id, report)
            assert session.scalar(sa.select(sa.func.count()).select_from(CellRow)) == 0
            apply_parse(session, version, report, None, PARSER_VERSION, utcnow())
        assert session.scalar(sa.select(sa.func.count()).select_from(CellRow)) == stored


def test_a_block_that_fails_writes_nothing(archive: Archive, seed) -> None:
    first = archive.record(capture_of(seed(SEED_ZIBO)))
    with Session(writer(archive.engine)) as session, session.begin():
        stored = session.scalar(sa.select(sa.func.count()).select_from(CellRow))
        with pytest.raises(RuntimeError), rows_later(session):
            insert_parse_rows(session, first.version_id, session.get(Version, first.version_id).report_json)
            raise RuntimeError("the capture failed")
        assert session.scalar(sa.select(sa.func.count()).select_from(CellRow)) == stored
        session.rollback()


def test_captures_of_a_batch_are_found_by_the_captures_after_them(archive: Archive, seed) -> None:
    """The captures rows wait for the end of the batch, but what a URL answered is read from them in it."""
    data = seed(SEED_ZIBO)
    url = "http://gov.test/art/1.html"
    unparsed = CaptureInput(site="testsite", page=page(url, data, minutes=1))  # fetched again, not parsed again
    not_modified = CaptureInput(site="testsite", page=page(url, None, minutes=2, http_status=304, status="not_modified"))
    results = archive.record_many([capture_of(data, url), unparsed, not_modified])
    assert [r.outcome for r in results] == ["new_report", "unchanged", "unchanged"]
    assert len({r.version_id for r in results}) == 1
    with archive.session() as session:
        rows = [session.get(Capture, r.capture_id) for r in results]
    assert [(row.url, row.outcome, row.version_id) for row in rows] == [(url, r.outcome, r.version_id) for r in results]
    assert rows[0].id < rows[1].id < rows[2].id
    assert rows[2].sha256 == rows[0].sha256
