"""A watermark set across every page ("淮安市人民政府办公室" at 35 degrees, light grey, as
portals stamp their PDFs) is no part of the report: read as text, its characters fell into
the sections and the tables' cells (22 false findings, the agency and section 一 lost)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from pdf_stamps import cjk_font, stamped
from parsers.extract.pdf_page import read_pages, read_with_pdfminer

REPO = Path(__file__).resolve().parents[2]
PDFS = [REPO / "fixtures" / "real" / "huaian_szf_2024.pdf", REPO / "fixtures" / "documents" / "002_133ea6e3b8938548.pdf"]
MARK = "淮安市人民政府办公室"


def watermarked(data: bytes, angle: float = 35) -> bytes:
    from reportlab.lib.colors import Color

    def draw(sheet, width: float, height: float) -> None:
        sheet.setFont(cjk_font(), 36)
        sheet.setFillColor(Color(0.8, 0.8, 0.8, alpha=0.4))
        for x, y in ((100, 200), (100, 500), (300, 350), (300, 650)):
            sheet.saveState()
            sheet.translate(x, y)
            sheet.rotate(angle)
            sheet.drawString(0, 0, MARK)
            sheet.restoreState()

    return stamped(data, draw)


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_a_watermarked_report_parses_as_the_report_without_it(path: Path) -> None:
    plain = parse_bytes(path.read_bytes(), filename="report.pdf")[1].to_dict()
    marked = parse_bytes(watermarked(path.read_bytes()), filename="report.pdf")[1].to_dict()
    assert marked["tables"] and marked["tables"] == plain["tables"]
    assert (marked["metadata"], marked["preamble"], marked["sections"]) == (plain["metadata"], plain["preamble"], plain["sections"])
    assert marked["findings"] == plain["findings"]


def _sheet(angle: float) -> bytes:
    """A page printing a heading upright and the watermark at ``angle``, both in its own content."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(595, 842))
    sheet.setFont(cjk_font(), 16)
    sheet.drawString(72, 760, "一、总体情况")
    sheet.translate(100, 200)
    sheet.rotate(angle)
    sheet.drawString(0, 0, MARK)
    sheet.save()
    return out.getvalue()


@pytest.mark.parametrize("reader", ["pdfium", "pdfminer"])
@pytest.mark.parametrize(("angle", "read"), [(35, False), (-45, False), (90, True), (0, True)])
def test_text_across_the_page_is_left_out_and_along_its_edges_is_read(reader: str, angle: float, read: bool) -> None:
    # text turned a quarter is a landscape table's, the report's own
    data = _sheet(angle)
    [page] = read_pages(data) if reader == "pdfium" else read_with_pdfminer(data, [0])
    text = "".join(char.text for char in page.chars)
    assert "一、总体情况" in text
    assert sorted(text.replace("一、总体情况", "")) == (sorted(MARK) if read else [])
