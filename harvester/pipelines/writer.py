"""What the archive-writer process runs (``record`` sends it the work): the archive opened
once, and batches of captures recorded in it, their bodies read from the hand-off store
(see ``handoff``) rather than pickled on the way.

Nothing here imports Scrapy or Twisted: the writer process holds the archive, not the
crawler, which keeps it some 40 MB smaller (a test holds this).
"""

from __future__ import annotations

from pathlib import Path

from harvester.items import ReportItem
from harvester.pipelines.bodies import with_bodies
from storage.archive import Archive
from storage.blobs import BlobStore
from storage.capture import RecordResult

_worker_archive: Archive | None = None  # the archive of this writer process


def open_worker_archive(db_url: str, data_dir: str) -> None:
    global _worker_archive
    _worker_archive = Archive.open(db_url, Path(data_dir), migrate=False)


def record_in_worker(captures: list[ReportItem], store: Path) -> list[RecordResult]:
    assert _worker_archive is not None
    return record_with(_worker_archive, captures, store)


def record_with(archive: Archive, captures: list[ReportItem], store: Path) -> list[RecordResult]:
    """Record a batch in ``archive``, the bodies read from the hand-off store at ``store``, or
    only named there when that store is the archive's own."""
    blobs = BlobStore(store)
    archived = isinstance(archive.blobs, BlobStore) and archive.blobs.root.resolve() == store.resolve()
    return archive.record_many([with_bodies(capture, blobs, archived=archived) for capture in captures])
