"""Raw bytes are stored once: a re-crawl of a portal without validators (every page fetched
again with 200 and the same bytes) writes no blob file again and syncs nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage.archive import Archive
from storage.blobs import BlobStore
from tests.storage.conftest import SEED_ZIBO, capture_of, page


def _files(root: Path) -> dict[Path, tuple[int, int]]:
    """Each blob file with its inode and modification time: a rewrite changes one of them."""
    return {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in root.rglob("*") if path.is_file()}


def _count_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real_fsync, real_mkstemp = os.fsync, __import__("tempfile").mkstemp

    def fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("mkstemp")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr("storage.blobs.os.fsync", fsync)
    monkeypatch.setattr("storage.blobs.tempfile.mkstemp", mkstemp)
    return calls


def test_identical_bytes_are_written_and_synced_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BlobStore(tmp_path / "blobs")
    calls = _count_writes(monkeypatch)
    digest = store.put(b"<html>report</html>")
    assert calls == ["mkstemp", "fsync"]
    before = _files(store.root)
    assert store.put(b"<html>report</html>") == digest
    assert calls == ["mkstemp", "fsync"]  # nothing opened for writing, nothing synced
    assert _files(store.root) == before
    assert store.get(digest) == b"<html>report</html>"


def test_recrawl_without_validators_stores_each_page_blob_once(archive: Archive, seed, monkeypatch: pytest.MonkeyPatch) -> None:
    data = seed(SEED_ZIBO)
    attachment = b"%PDF-1.4 the same attachment bytes every time"
    archive.record(capture_of(data, attachments=[page("http://gov.test/a.pdf", attachment)]))
    before = _files(archive.blobs.root)
    assert len(before) == 2
    calls = _count_writes(monkeypatch)
    for hour in range(1, 4):  # three more crawls: no ETag, no Last-Modified, a full 200 each time
        result = archive.record(capture_of(data, minutes=60 * hour, attachments=[page("http://gov.test/a.pdf", attachment)]))
        assert result.outcome == "unchanged"
    assert calls == []
    assert _files(archive.blobs.root) == before
