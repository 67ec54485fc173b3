"""One poisoned capture never fails the batch it is recorded with, on SQLite and PostgreSQL:
text no database takes (a lone surrogate, as decoders that keep bad bytes leave them; NUL)
is replaced before recording, and a batch that fails all the same is recorded one by one."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from harvester.pipelines.record import record_apart
from harvester.pipelines.storable import storable
from storage.archive import Archive
from storage.models import Capture
from tests.storage.conftest import SEED_ZHANGDIAN_2023, SEED_ZIBO, capture_of


@pytest.fixture
def archive(db_url: str, data_dir: Path):  # type: ignore[no-untyped-def]
    with Archive.open(db_url, data_dir) as opened:
        yield opened


def poisoned(capture, text: str):  # type: ignore[no-untyped-def]
    report = dict(capture.parse.report)
    report["sections"] = [dict(report["sections"][0], text=report["sections"][0]["text"] + text), *report["sections"][1:]]
    return replace(capture, parse=replace(capture.parse, report=report))


def test_a_poisoned_capture_costs_the_rest_of_its_batch_nothing(archive: Archive, seeds_dir: Path) -> None:
    good = capture_of((seeds_dir / SEED_ZIBO).read_bytes(), url="http://gov.test/1.html")
    other = capture_of((seeds_dir / SEED_ZHANGDIAN_2023).read_bytes(), url="http://gov.test/3.html")
    bad = poisoned(capture_of((seeds_dir / "001_edb62deb526a149a.txt").read_bytes(), url="http://gov.test/2.html"),
                   "\udcb2\udce9")
    with pytest.raises(UnicodeEncodeError):  # the poison is real: the archive cannot take it as it is
        archive.record_many([bad])
    stripped: list[str] = []

    async def write(captures):  # type: ignore[no-untyped-def]
        return await asyncio.get_running_loop().run_in_executor(None, archive.record_many, captures)

    results = asyncio.run(record_apart(write, [good, bad, other], lambda capture, error: stripped.append(capture.page.url)))
    # Recorded all the same, without the parse it could not store, saying so.
    assert [r.outcome for r in results] == ["new_report", "failed", "new_report"]
    assert "the parse could not be stored: UnicodeEncodeError" in results[1].error
    assert stripped == ["http://gov.test/2.html"]
    with archive.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Capture)) == 3


def test_storable_text_keeps_everything_else(archive: Archive, seeds_dir: Path) -> None:
    bad = poisoned(capture_of((seeds_dir / SEED_ZIBO).read_bytes()), "年度\udcb2报告\x00")
    clean = storable(bad)
    assert clean.parse.report["sections"][0]["text"].endswith("年度\ufffd报告\ufffd")
    assert clean.page.body == bad.page.body and clean.page.fetched_at == bad.page.fetched_at
    assert clean.parse.report["tables"] == bad.parse.report["tables"]
    [result] = archive.record_many([clean])
    assert result.outcome == "new_report" and result.error is None


def test_a_clean_report_is_taken_as_it_is_and_only_the_way_to_unstorable_text_is_copied(seeds_dir: Path) -> None:
    report = capture_of((seeds_dir / SEED_ZIBO).read_bytes()).parse.report
    assert storable(report) is report  # not walked into a copy
    for poison in ("\udcb2", "\x00"):
        bad = poisoned(capture_of((seeds_dir / SEED_ZIBO).read_bytes()), f"年度{poison}报告").parse.report
        cleaned = storable(bad)
        assert cleaned["sections"][0]["text"].endswith("年度\ufffd报告")
        assert cleaned["sections"][0]["text"][:-5] == bad["sections"][0]["text"][:-5]
        # what holds no poison comes back as the very object
        assert cleaned["sections"][1] is bad["sections"][1] and cleaned["tables"] is bad["tables"]
        assert cleaned["metadata"] is bad["metadata"]
