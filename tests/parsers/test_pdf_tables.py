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
