"""A PDF whose fonts have no Unicode map prints its text but holds none: it is read from what
its pages show, never stored as control characters with 0 findings."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from parsers.api import parse_bytes
from parsers.document import Block, Document
from parsers.extract.pdf_unreadable import unreadable_text

REAL_PDF = Path(__file__).resolve().parents[2] / "fixtures" / "real" / "huaian_szf_2024.pdf"


def _first_page(unmapped: bool) -> bytes:
    """The agency's first page, its fonts' /ToUnicode maps taken out as some office suites write them."""
    pdf = pikepdf.open(REAL_PDF)
    del pdf.pages[1:]
    if unmapped:
        for page in pdf.pages:
            for _, font in page.Resources.get("/Font", {}).items():
                if "/ToUnicode" in font:
                    del font["/ToUnicode"]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_pdf_without_unicode_maps_is_read_from_its_pages() -> None:
    mapped_doc, mapped = parse_bytes(_first_page(unmapped=False), filename="report.pdf")
    doc, report = parse_bytes(_first_page(unmapped=True), filename="report.pdf")
    assert (mapped_doc.source_format, doc.source_format) == ("pdf", "pdf-scan")
    read = report.metadata
    assert (read.title, read.agency, read.year, read.phone, read.email) == (
        mapped.metadata.title, mapped.metadata.agency, 2024, mapped.metadata.phone, mapped.metadata.email)
    assert [s.number for s in report.sections] == [s.number for s in mapped.sections] == [1]
    assert not any(ord(char) < 32 and char not in "\n\t" for char in report.preamble + report.sections[0].text)


@pytest.mark.parametrize(("text", "unreadable"), [
    ("\x01\x02\x03\x04年政府信息公开工作年度报告" * 4, True),
    ("(cid:226)(cid:219)(cid:17)" * 5, True),
    ("\ue001\ue002\ue003" * 5 + "主动公开", True),
    ("一、总体情况" * 200 + "\uf0b7" * 3, False),  # a symbol font's three bullets
    ("新村西路\x01\x01\x05号" * 3 + "。" * 400, False),  # too few to tell
])
def test_unreadable_text_is_glyphs_without_characters_in_number(text: str, unreadable: bool) -> None:
    assert unreadable_text(Document([Block("paragraph", text=text)], "pdf")) is unreadable


def test_the_picture_ocr_read_is_the_page_drawn_at_the_render_resolution() -> None:
    # The web's evidence outlines a cell's pixel box on this picture: another scale put the
    # outline off the cell.
    import pypdfium2 as pdfium

    from parsers.extract.ocr_scan import pdf_page_as_read
    from parsers.extract.pdf_unreadable import RENDER_DPI

    data = _first_page(unmapped=True)
    width, height = pdfium.PdfDocument(data)[0].get_size()
    drawn = pdf_page_as_read(data, 1)
    assert drawn is not None
    assert abs(drawn.shape[1] - width * RENDER_DPI / 72) <= 1 and abs(drawn.shape[0] - height * RENDER_DPI / 72) <= 1
    assert pdf_page_as_read(data, 2) is None
