"""Word tables as Word writes them, for tests: merged cells, and a row's empty trailing cells left out."""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.oxml.ns import qn


@dataclass(frozen=True)
class Merged:
    """A cell merged over ``cols`` grid columns and ``rows`` table rows."""

    text: str
    cols: int = 1
    rows: int = 1


Spec = list[str | Merged]


def add_word_table(document: Document, width: int, rows: list[Spec], *, header_rows: int = 0) -> None:
    """A ``width``-column table of ``rows`` at the end of ``document``, its first ``header_rows``
    rows repeated at the top of every page; a row listing fewer cells than its grid leaves its
    trailing cells out, as Word does with empty ones."""
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for row in table.rows[:header_rows]:
        properties = row._tr.get_or_add_trPr()
        properties.append(properties.makeelement(qn("w:tblHeader"), {}))
    covered: set[tuple[int, int]] = set()  # slots a cell merged down from a row above covers
    left_out: list[tuple[int, int]] = []
    for r, spec in enumerate(rows):
        col = 0
        for item in spec:
            cell = item if isinstance(item, Merged) else Merged(item)
            while (r, col) in covered:
                col += 1
            merged = table.cell(r, col).merge(table.cell(r + cell.rows - 1, col + cell.cols - 1))
            merged.text = cell.text
            covered |= {(r + i, col + j) for i in range(cell.rows) for j in range(cell.cols)}
            col += cell.cols
        left_out.append((r, width - sum(1 for c in range(width) if (r, c) in covered)))
    for r, count in left_out:
        tr = table.rows[r]._tr
        for tc in tr.findall(qn("w:tc"))[len(tr.findall(qn("w:tc"))) - count :]:
            tr.remove(tc)
