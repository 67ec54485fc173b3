"""The confirm pipeline's question to the archive, for a batch of items at a time.

Most of it is told from the report's metadata (which report it is, and whether the archive
holds it: ``Archive.confirmations_known``), which the crawl process asks in a thread. For a
report the archive holds, answering folds every cell and paragraph of both
(``Archive.confirmations_needed``): in the crawl process that came out of the same core and
GIL as the downloads, so it is asked of a reader process of its own (``archive-reader`` in
ps and top), started when first needed. The item travels without its bodies (see
``handoff``): the question is about its parse, and no body is read back.

Nothing here imports Scrapy, so the reader loads only the archive.
"""

from __future__ import annotations

from pathlib import Path

from harvester.items import ReportItem
from harvester.pipelines.bodies import with_report_heads, with_reports
from storage.archive import Archive

_reader_archive: Archive | None = None  # the archive of the reader process


def open_reader_archive(db_url: str, data_dir: str) -> None:
    """The reader process's initializer: the archive it asks, opened once."""
    global _reader_archive
    _reader_archive = Archive.open(db_url, Path(data_dir), migrate=False)


def confirmations_needed_in_reader(captures: list[ReportItem]) -> list[bool]:
    """``confirmations_needed_with`` the reader process's archive."""
    assert _reader_archive is not None
    return confirmations_needed_with(_reader_archive, captures)


def confirmations_needed_with(archive: Archive, captures: list[ReportItem]) -> list[bool]:
    """Whether ``archive`` wants the page of each capture (sent without its bodies, its reports
    packed) fetched once more."""
    return archive.confirmations_needed([with_reports(capture) for capture in captures])


def confirmations_known_with(archive: Archive, captures: list[ReportItem]) -> list[bool | None]:
    """What ``archive`` tells of each capture from its report's metadata (None: only folding can tell)."""
    return archive.confirmations_known([with_report_heads(capture) for capture in captures])
