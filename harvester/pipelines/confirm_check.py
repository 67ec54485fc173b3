"""The confirm pipeline's question to the archive (``Archive.confirmation_needed``), asked in
a reader process of its own (``archive-reader`` in ps and top).

Answering it folds every cell and paragraph of the new report and reads the site's agencies
and latest versions: a few milliseconds of CPU per report, which in a thread of the crawl
process came out of the same core and GIL as the downloads. The item travels without its
bodies (see ``handoff``); the question needs the page's, read back from the hand-off store.

Nothing here imports Scrapy, so the reader loads only the archive.
"""

from __future__ import annotations

from pathlib import Path

from harvester.items import ReportItem
from harvester.pipelines.bodies import with_page_body
from storage.archive import Archive
from storage.blobs import BlobStore

_reader_archive: Archive | None = None  # the archive of the reader process


def open_reader_archive(db_url: str, data_dir: str) -> None:
    """The reader process's initializer: the archive it asks, opened once."""
    global _reader_archive
    _reader_archive = Archive.open(db_url, Path(data_dir), migrate=False)


def confirmation_needed_in_reader(capture: ReportItem, store: Path) -> bool:
    """``confirmation_needed_with`` the reader process's archive."""
    assert _reader_archive is not None
    return confirmation_needed_with(_reader_archive, capture, store)


def confirmation_needed_with(archive: Archive, capture: ReportItem, store: Path) -> bool:
    """Whether ``archive`` wants the page of ``capture`` (sent without its bodies) fetched
    once more; its page body is read back from the hand-off store at ``store``."""
    return archive.confirmation_needed(with_page_body(capture, BlobStore(store)))
