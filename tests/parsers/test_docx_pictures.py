"""Tables an office pasted into its Word report as pictures (screenshots), read by OCR.

Each test takes seed 001's DOCX and puts in pictures the way Word keeps them (an inline
``w:drawing`` 15 cm wide, the image in ``word/media/``): screenshots of the seed page's
tables as a browser draws them (ocr_material.py, made once per session), a seal. OCR is
slow, so only one document is read by it; the others check what must not be read, or what
is said when a picture cannot be.
"""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.shared import Cm
from PIL import Image, ImageDraw

from parsers.api import parse_bytes
from parsers.document import Document
from parsers.errors import ExtractionError
from parsers.extract import ocr_scan
from parsers.report import Report
from real_documents import cell_differences
from tests.parsers import ocr_material as material

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = "001_edb62deb526a149a"
EXPECTED = json.loads((FIXTURES / "expected" / f"{SEED}.json").read_text(encoding="utf-8"))
W_TBL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl"
ACTIVE, APPLICATIONS, APPEALS = 0, 1, 2  # the seed's Word tables, in order: tables 2, 3 and 4
TEXT_WIDTH_CM = 15  # a picture pasted across an A4 page's text


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """The seed page's three tables as the browser draws them, in order."""
    assert not material.missing_tools(), f"OCR test material needs {', '.join(material.missing_tools())} on PATH"
    _, images = material.page_with_table_pictures(FIXTURES / "documents" / f"{SEED}.html", tmp_path_factory.mktemp("docx-pictures"))
    return list(images.values())


def _seed_with(pictures: dict[int, bytes], *, appended: tuple[tuple[bytes, float], ...] = ()) -> bytes:
    """Seed 001's DOCX with each table numbered in ``pictures`` replaced by that picture pasted across
    the text width (a table number mapped to ``b""`` is deleted), and ``appended`` pictures (bytes,
    width in cm) in paragraphs of their own at the end of the body."""
    word = WordDocument(str(FIXTURES / "documents" / f"{SEED}.docx"))
    body = word.element.body
    tables = [child for child in body if child.tag == W_TBL]
    for number, picture in pictures.items():
        if picture:
            paragraph = word.add_paragraph()
            paragraph.add_run().add_picture(io.BytesIO(picture), width=Cm(TEXT_WIDTH_CM))
            tables[number].addprevious(paragraph._p)
        body.remove(tables[number])
    for picture, width in appended:
        word.add_paragraph().add_run().add_picture(io.BytesIO(picture), width=Cm(width))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _seal() -> bytes:
    """An agency's round red seal, as a scanned picture of it (4.2 cm across when drawn)."""
    image = Image.new("RGB", (500, 500), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 490, 490), outline=(215, 40, 40), width=18)
    draw.regular_polygon((250, 250, 80), 5, fill=(215, 40, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _parse(data: bytes) -> tuple[Document, Report]:
    return parse_bytes(data, filename="report.docx")


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything is read by OCR."""
    def refuse() -> None:
        raise AssertionError("a picture was read by OCR")
    monkeypatch.setattr(ocr_scan, "engine", refuse)


@pytest.fixture(scope="module")
def all_as_pictures(screenshots: list[bytes]) -> tuple[Document, Report]:
    return _parse(_seed_with(dict(enumerate(screenshots))))


def test_tables_pasted_as_pictures_are_read_as_the_tables_they_show(all_as_pictures: tuple[Document, Report]) -> None:
    _, report = all_as_pictures
    read = report.to_dict()

    assert report.metadata.template == "2019"
    assert {table: status.status for table, status in report.completeness.items()} == dict.fromkeys(
        ("active_disclosure", "applications", "appeals"), "complete")
    assert cell_differences(EXPECTED, read) == []
    assert [f.rule for f in report.findings if f.severity == "error"] == []
    cells = [cell for row in read["tables"]["applications"]["rows"].values() for cell in row["cells"].values()]
    assert all(cell["source"] == "ocr" and 0 < cell["confidence"] <= 1 for cell in cells)
    assert all(cell["location"]["unit"] == "px" and cell["location"]["table"] == 2 for cell in cells)


def test_a_pictured_table_stands_where_the_picture_does(all_as_pictures: tuple[Document, Report]) -> None:
    doc, _ = all_as_pictures
    order = [block.text[:2] or block.kind for block in doc.blocks if block.kind in ("heading", "table")]
    assert order == ["一、", "2、", "table", "三、", "table", "四、", "table", "五、", "六、"]  # the seed prints "2、"


def test_a_picture_that_may_be_a_table_and_is_not_read_is_reported(
        screenshots: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> None:
        raise ExtractionError("OCR needs the rapidocr_onnxruntime package, which is not installed")
    monkeypatch.setattr(ocr_scan, "engine", unavailable)

    doc, report = _parse(_seed_with({APPLICATIONS: screenshots[APPLICATIONS]}))

    assert report.completeness["applications"].status == "missing"
    (unread,) = [f for f in report.findings if f.rule == "extract.unread_picture"]
    assert unread.severity == "warning"
    assert f"{TEXT_WIDTH_CM:.1f}×" in unread.message and "三、收到和处理政府信息公开申请情况" in unread.message
    assert "rapidocr_onnxruntime" in unread.message and "未识别" in unread.message_zh
    assert pickle.loads(pickle.dumps(doc)).notes == doc.notes  # a parse worker hands the document on
    assert [f for f in report.findings if f.rule == "extract.ambiguous_cells"] == []


def test_pictures_are_not_read_when_the_text_holds_every_table(screenshots: list[bytes], no_ocr: None) -> None:
    """A report that also shows a table as a picture (or a red-head banner, a photo) costs no OCR."""
    _, report = _parse(_seed_with({}, appended=((screenshots[APPEALS], TEXT_WIDTH_CM),)))

    assert cell_differences(EXPECTED, report.to_dict()) == []
    assert report.findings == []


def test_a_seal_is_never_read_even_when_a_table_is_missing(no_ocr: None) -> None:
    _, report = _parse(_seed_with({APPLICATIONS: b""}, appended=((_seal(), 4.2),)))

    assert report.completeness["applications"].status == "missing"
    assert [f for f in report.findings if f.rule == "extract.unread_picture"] == []
