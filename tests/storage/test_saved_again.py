"""A report's file saved again is no new version: LibreOffice exporting the same Word file to
PDF twice (a new /CreationDate, /ID, /DocChecksum), Word re-saving a DOCX (new docProps, other
ZIP entry times and order), a portal stamping the download time into its PDFs. A change of the
document's content still is one."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

import storage.record
from storage.archive import Archive
from storage.document_digest import document_digest
from storage.models import Version
from tests.parsers.conversions import libreoffice_convert
from tests.storage.conftest import REVISED_TOTAL, SEED_ZIBO, capture_of, count, page

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
WORD = DOCUMENTS / "000_9d093eecd5b1c4d3.docx"


def _with_cell(docx: bytes, old: str, new: str) -> bytes:
    """The Word file with the first run printing ``old`` printing ``new``."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(f"<w:t>{old}</w:t>".encode(), f"<w:t>{new}</w:t>".encode(), 1)
            target.writestr(item, data)
    return out.getvalue()


def _resaved(docx: bytes) -> bytes:
    """The Word file as saved again: a new modified time in docProps/core.xml, its parts written
    in another order at another time."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in reversed(source.infolist()):
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2026-12-03T10:00:00Z<", data)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=(2026, 12, 3, 10, 0, 0)), data)
    return out.getvalue()


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Seed 000's Word file exported to PDF by LibreOffice twice, and once with a cell changed."""
    work = tmp_path_factory.mktemp("exports")
    sources = {"first": work / "a" / "report.docx", "again": work / "b" / "report.docx", "changed": work / "c" / "report.docx"}
    for name, path in sources.items():
        path.parent.mkdir()
        shutil.copy(WORD, path)
    sources["changed"].write_bytes(_with_cell(WORD.read_bytes(), "50", "51"))
    made = {name: libreoffice_convert([path], "pdf", path.parent / "out")[path].read_bytes() for name, path in sources.items()}
    assert made["first"] != made["again"]  # the stamps differ
    return made


def test_the_same_word_file_exported_twice_is_one_document(exports: dict[str, bytes]) -> None:
    assert document_digest(exports["first"]) == document_digest(exports["again"])
    assert document_digest(exports["first"]) != document_digest(exports["changed"])


def test_a_word_file_saved_again_is_one_document() -> None:
    docx = WORD.read_bytes()
    assert _resaved(docx) != docx
    assert document_digest(_resaved(docx)) == document_digest(docx)
    assert document_digest(_with_cell(docx, "50", "51")) != document_digest(docx)


def test_an_attachment_exported_again_is_no_version_and_a_changed_one_is(archive: Archive, seed,
                                                                         exports: dict[str, bytes]) -> None:
    data = seed(SEED_ZIBO)
    url = "http://gov.test/upload/report.pdf"
    first = archive.record(capture_of(data, attachments=[page(url, exports["first"])]))
    again = archive.record(capture_of(data, minutes=60, attachments=[page(url, exports["again"])]))
    assert (first.outcome, again.outcome) == ("new_report", "unchanged")
    assert again.version_id == first.version_id
    changed = archive.record(capture_of(data, minutes=120, attachments=[page(url, exports["changed"])]))
    assert changed.outcome == "new_version"
    assert count(archive, Version) == 2


def test_a_revised_page_is_not_read_for_saved_files_it_has_none_of(archive: Archive, seed,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a new version is the last one's files saved again is told by their attachments
    first: a report printed on its page has none, and its stored parse is not read and folded
    for the question (6.7 % of recording a new version, callgrind)."""
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    read: list[int] = []
    real = storage.record.stored_contents

    def counted(session, versions):  # type: ignore[no-untyped-def]
        versions = list(versions)
        read.extend(v.id for v in versions)
        return real(session, versions)

    monkeypatch.setattr(storage.record, "stored_contents", counted)
    revised = archive.record(capture_of(data.decode().replace(*REVISED_TOTAL).encode(), minutes=60))
    assert revised.outcome == "new_version"
    assert read == []
