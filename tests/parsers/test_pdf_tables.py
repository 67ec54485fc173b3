"""The ruled-table reader's shortcuts give what the general way gives.

``_smallest_cells`` stands in for pdfplumber's ``intersections_to_cells`` (held against it
on every fixture page with rulings), and a cell of one character or none takes its text
without grouping lines (held against ``text_lines``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

from parsers.extract import pdf_tables
from parsers.extract.pdf_page import Char, read_pages, text_lines

REPO = Path(__file__).resolve().parents[2]
PDFS = [path for path in sorted((REPO / "fixtures").rglob("*.pdf")) if path.parent.name != "malformed"]


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_the_smallest_cells_are_those_pdfplumber_finds(path: Path) -> None:
    tolerance = pdf_tables._TOLERANCE
    ruled = 0
    for page in read_pages(path.read_bytes()):
        if not page.edges:
            continue
        merged = merge_edges(page.edges, tolerance, tolerance, tolerance, tolerance)
        intersections = edges_to_intersections(merged, tolerance, tolerance)
        assert pdf_tables._smallest_cells(intersections) == intersections_to_cells(intersections)
        ruled += 1
    assert ruled


def _char(text: str, x0: float) -> Char:
    return Char(text, x0, x0 + 6.0, 100.0, 110.0, 10.0)


@pytest.mark.parametrize("chars", [[], [_char("7", 10.0)], [_char(" ", 10.0)], [_char("\u3000", 10.0)],
                                   [_char("1", 10.0), _char("2", 16.0)], [_char(" ", 10.0), _char("5", 16.0)]],
                         ids=["empty", "a digit", "a space", "an ideographic space", "two digits", "a space and a digit"])
def test_a_cell_reads_as_its_lines_read(chars: list[Char]) -> None:
    middles = [(char.top + char.bottom) / 2 for char in chars]
    across = [(char.x0 + char.x1) / 2 for char in chars]
    text = pdf_tables._cell_text((0.0, 90.0, 200.0, 120.0), chars, middles, across)
    assert text == "\n".join(line.text for line in text_lines(chars))


def _table_without_its_first_cells_top(bottom_too: bool) -> bytes:
    """A 2x3 ruled table drawn cell border by cell border, as Word does, the first header cell
    with no top border (and, with ``bottom_too``, the last row's first cell with no bottom one)."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(400, 300), invariant=1)
    page.setFont("STSong-Light", 10)
    xs, ys = (50, 150, 250, 350), (250, 220, 190)  # reportlab's y grows up
    texts = (("信息内容", "本年制发件数", "本年废止件数"), ("规章", "3", "1"))
    for row, (top, bottom) in enumerate(zip(ys, ys[1:])):
        for column, (left, right) in enumerate(zip(xs, xs[1:])):
            first = column == 0
            if not (first and row == 0):
                page.line(left, top, right, top)
            if not (first and row == 1 and bottom_too):
                page.line(left, bottom, right, bottom)
            page.line(left, top, left, bottom)
            page.line(right, top, right, bottom)
            page.drawString(left + 4, bottom + 10, texts[row][column])
    page.save()
    return buffer.getvalue()


@pytest.mark.parametrize("bottom_too", [False, True])
def test_a_cell_missing_its_share_of_the_tables_outer_ruling_keeps_its_text(bottom_too: bool) -> None:
    from parsers.extract import extract

    doc = extract(_table_without_its_first_cells_top(bottom_too), filename="r.pdf")
    tables = [block.table for block in doc.blocks if block.table is not None]
    assert [table.texts() for table in tables] == [[["信息内容", "本年制发件数", "本年废止件数"], ["规章", "3", "1"]]]
    assert not [block.text for block in doc.blocks if block.table is None]
