"""Ruled PDF tables as grids: cells placed by their boxes against the column rulings.

pdfplumber gives each table's cell boxes (None where a merged cell covers a slot); the grid
is rebuilt from the boxes so that fragments of one table on two pages, whose boxes
pdfplumber numbers differently, share one set of columns.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from parsers.document import GridCell, Table

_SNAP = 1.5  # points: two rulings closer than this are one


@dataclass
class TableFragment:
    """One table as found on one page: cell boxes (x0, top, x1, bottom) and texts."""

    cells: list[tuple[tuple[float, float, float, float], str]]
    columns: list[float]  # x of every vertical ruling, left to right

    def continues_as(self, other: TableFragment, tolerance: float) -> bool:
        """True when ``other`` has the same outer edges and its rulings are among ours or ours among its."""
        if abs(self.columns[0] - other.columns[0]) > tolerance or abs(self.columns[-1] - other.columns[-1]) > tolerance:
            return False
        mine, theirs = self.columns, other.columns
        return _subset(mine, theirs, tolerance) or _subset(theirs, mine, tolerance)


def read_fragment(table: Any) -> TableFragment:
    texts = table.extract()
    cells = []
    for row, row_texts in zip(table.rows, texts):
        for box, text in zip(row.cells, row_texts):
            if box is not None:
                cells.append((tuple(box), (text or "").strip()))
    return TableFragment(cells=cells, columns=_snap(x for box, _ in cells for x in (box[0], box[2])))


def fragments_to_table(fragments: list[TableFragment]) -> Table:
    columns = _snap(x for fragment in fragments for x in fragment.columns)
    rows: list[list[GridCell]] = []
    for fragment in fragments:
        rows.extend(_grid(fragment, columns))
    return Table(rows)


def _grid(fragment: TableFragment, columns: list[float]) -> list[list[GridCell]]:
    tops = _snap(y for box, _ in fragment.cells for y in (box[1], box[3]))
    width, height = len(columns) - 1, len(tops) - 1
    grid: list[list[GridCell | None]] = [[None] * width for _ in range(height)]
    for (x0, top, x1, bottom), text in sorted(fragment.cells, key=lambda c: (c[0][1], c[0][0])):
        c0, c1 = _index(columns, x0), _index(columns, x1)
        r0, r1 = _index(tops, top), _index(tops, bottom)
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                if r < height and c < width and grid[r][c] is None:
                    grid[r][c] = GridCell(text, span_of=None if (r, c) == (r0, c0) else (r0, c0))
    return [[cell or GridCell("") for cell in row] for row in grid]


def _snap(values: Any) -> list[float]:
    snapped: list[float] = []
    for value in sorted(values):
        if not snapped or value - snapped[-1] > _SNAP:
            snapped.append(value)
    return snapped


def _index(boundaries: list[float], value: float) -> int:
    """The boundary nearest ``value``."""
    i = bisect_left(boundaries, value)
    if i == len(boundaries) or (i > 0 and value - boundaries[i - 1] < boundaries[i] - value):
        i -= 1
    return i


def _subset(small: list[float], big: list[float], tolerance: float) -> bool:
    return all(any(abs(x - y) <= tolerance for y in big) for x in small)
