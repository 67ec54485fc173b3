"""Raw bytes are stored once: a re-crawl of a portal without validators (every page fetched
again with 200 and the same bytes) writes no blob file again and syncs nothing."""

from __future__ import annotations

import os
import shutil
import stat
from concurrent.futures import ThreadPoolExecutor
from copy import copy
from pathlib import Path

import pytest

from storage.archive import Archive
from storage import blobs
from storage.blobs import BlobStore, sha256_of
from tests.storage.conftest import SEED_ZIBO, capture_of, page


def _files(root: Path) -> dict[Path, tuple[int, int]]:
    """Each blob file with its inode and modification time: a rewrite changes one of them."""
    return {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in root.rglob("*") if path.is_file()}


def _count_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Files created ("create") and synced ("fsync") from now on."""
    calls: list[str] = []
    real_fsync, real_open = os.fsync, os.open

    def fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def open_(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT:
            calls.append("create")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "open", open_)
    return calls


def test_identical_bytes_are_written_and_synced_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BlobStore(tmp_path / "blobs")
    calls = _count_writes(monkeypatch)
    digest = store.put(b"<html>report</html>")
    assert calls == ["create", "fsync"]
    before = _files(store.root)
    assert store.put(b"<html>report</html>") == digest
    assert calls == ["create", "fsync"]  # nothing opened for writing, nothing synced
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


def test_a_file_left_under_the_temporary_name_a_put_would_take_is_passed_over(tmp_path: Path) -> None:
    """A process killed while writing leaves its temporary file; one that later has its id takes other names."""
    store = BlobStore(tmp_path / "blobs")
    data = b"<html>a page</html>"
    directory = store.path(sha256_of(data)).parent
    directory.mkdir(parents=True)
    upcoming = next(copy(blobs._NUMBERS))
    for number in range(upcoming, upcoming + 3):
        (directory / f".incoming-{os.getpid()}-{number}").write_bytes(b"half a page of another")
    assert store.get(store.put(data)) == data
    assert stat.S_IMODE(store.path(sha256_of(data)).stat().st_mode) == 0o600  # as tempfile made them


def test_a_directory_removed_under_a_store_is_made_again(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    first = store.put(b"first")
    shutil.rmtree(store.path(first).parent)
    again = b"again, in the same directory" + bytes([0]) * 3
    while sha256_of(again)[:2] != first[:2]:  # bytes whose name falls in the removed directory
        again += b"."
    assert store.get(store.put(again)) == again


def test_bytes_put_at_once_from_threads_are_stored_whole(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    bodies = [os.urandom(200_000) for _ in range(4)] * 4
    with ThreadPoolExecutor(8) as pool:
        names = list(pool.map(store.put, bodies))
    assert all(store.get(name) == body for name, body in zip(names, bodies))
    assert not [p for p in store.root.rglob(".incoming-*")]
