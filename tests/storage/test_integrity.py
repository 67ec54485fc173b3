"""Failure and concurrency: no half-written versions, one version from two writers, bytes once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
import sqlalchemy as sa

import storage.record
from storage.archive import Archive
from storage.models import Blob, Capture, CellRow, FindingRow, Report, SectionRow, Version
from tests.storage.conftest import SEED_ZIBO, capture_of, count, page


def test_interrupted_write_leaves_nothing_half_written(archive: Archive, seed, monkeypatch) -> None:
    def crash(*args: object) -> None:  # runs after the version, sections and cells are written
        raise RuntimeError("power cut")

    monkeypatch.setattr(storage.record, "refresh_cross_year", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        archive.record(capture_of(seed(SEED_ZIBO)))
    for model in (Report, Version, SectionRow, CellRow, FindingRow, Capture):
        assert count(archive, model) == 0, model.__tablename__
    monkeypatch.undo()
    assert archive.record(capture_of(seed(SEED_ZIBO))).outcome == "new_report"
    assert count(archive, Version) == 1 and count(archive, SectionRow) == 6


def test_bytes_are_stored_once_under_their_hash(archive: Archive, data_dir: Path, seed) -> None:
    shared = b"%PDF-1.4 one attachment listed by two reports"
    archive.record(capture_of(seed(SEED_ZIBO), url="http://gov.test/a.html", attachments=[page("http://gov.test/f/x.pdf", shared)]))
    archive.record(capture_of(seed(SEED_ZIBO), url="http://gov.test/b.html", minutes=1, attachments=[page("http://gov.test/g/y.pdf", shared)]))
    files = sorted(p for p in (data_dir / "blobs").rglob("*") if p.is_file())
    assert len(files) == 2 == count(archive, Blob)  # the page text and the attachment
    with archive.session() as session:
        hashes = set(session.scalars(sa.select(Blob.sha256)))
    assert {p.parent.name + p.name for p in files} == hashes
    assert not any("pdf" in p.name or "html" in p.name for p in files)


def _record_in_process(db_url: str, data_dir: str, seed_path: str, barrier, results) -> None:
    from tests.storage.conftest import capture_of as build

    archive = Archive.open(db_url, Path(data_dir))
    capture = build(Path(seed_path).read_bytes())
    barrier.wait()
    results.put(archive.record(capture).outcome)
    archive.close()


def test_two_processes_recording_the_same_report_make_one_version(db_url: str, data_dir: Path, seeds_dir: Path) -> None:
    Archive.open(db_url, data_dir).close()  # migrate first: the race under test is recording
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_record_in_process, args=(db_url, str(data_dir), str(seeds_dir / SEED_ZIBO), barrier, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    outcomes = sorted(results.get(timeout=5) for _ in workers)
    assert outcomes == ["new_report", "unchanged"]
    with Archive.open(db_url, data_dir) as archive:
        assert count(archive, Version) == 1 and count(archive, Report) == 1
        assert count(archive, CellRow) > 0 and count(archive, Capture) == 2
