"""Ruled PDF tables as grids: cells found from the ruling lines, placed against the column rulings.

The cells are the smallest ruled rectangles (pdfplumber's table-finding functions, fed
with the rulings pdfium read, merged by ``pdf_rulings``); the grid is rebuilt from the cell
boxes, so a merged cell covers several slots and fragments of one table on two pages share
one set of columns.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from parsers.document import GridCell, PlacedText, Table
from parsers.extract.pdf_page import Char, text_lines
from parsers.extract.pdf_rulings import merge_edges
from parsers.limits import take_table_slots
from parsers.locations import CellLocation

_SNAP = 1.5  # points: two rulings closer than this are one
_TOLERANCE = 3  # points: rulings this close are snapped and joined, as pdfplumber does by default
_MIN_EDGE = 3  # points: shorter rulings are decoration, not table lines
# points: column boundaries of a table without rulings come from where its words stand,
# which moves with the widths of the numbers a page holds
_LOOSE_TOLERANCE = 12.0


@dataclass
class TableFragment:
    """One table as found on one page: cell boxes (x0, top, x1, bottom) and texts."""

    cells: list[tuple[tuple[float, float, float, float], str]]
    columns: list[float]  # x of every vertical ruling, left to right
    page: int | None = None  # 1-based, set by the extractor that knows which page it read
    loose: bool = False  # found without rulings (``pdf_borderless``): its columns are approximate

    def continues_as(self, other: TableFragment, tolerance: float) -> bool:
        """True when ``other`` has the same outer edges and its rulings are among ours or ours among its.

        Tables without rulings have no edges, only the boundaries between their columns, which
        must agree near enough where both pages have them (a page whose rows all start in an
        inner label column has none left of it)."""
        if self.loose != other.loose:
            return False
        mine, theirs = self.columns, other.columns
        if self.loose:
            tolerance = max(tolerance, _LOOSE_TOLERANCE)
            left = max(mine[0], theirs[0]) + tolerance
            mine, theirs = [x for x in mine[1:-1] if x >= left], [x for x in theirs[1:-1] if x >= left]
            if min(len(mine), len(theirs)) < 2:
                return False
        elif abs(mine[0] - theirs[0]) > tolerance or abs(mine[-1] - theirs[-1]) > tolerance:
            return False
        return _subset(mine, theirs, tolerance) or _subset(theirs, mine, tolerance)


def find_tables(edges: list[dict[str, Any]], chars: list[Char]) -> list[tuple[tuple[float, float, float, float], TableFragment]]:
    """(bounding box, fragment) of every ruled table on a page, top to bottom."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections

    if not edges:
        return []
    merged = [e for e in merge_edges(edges, _TOLERANCE) if (e["width"] if e["orientation"] == "h" else e["height"]) >= _MIN_EDGE]
    merged += _page_break_rulings(merged) + _unfinished_rulings(merged)
    boxes = cells_to_tables(_smallest_cells(edges_to_intersections(merged, _TOLERANCE, _TOLERANCE)))
    if not boxes:
        return []
    found = []
    middle_of = [(c.top + c.bottom) / 2 for c in chars]
    order = sorted(range(len(chars)), key=middle_of.__getitem__)  # each middle computed once
    by_top, middles = [chars[i] for i in order], [middle_of[i] for i in order]
    across = [(c.x0 + c.x1) / 2 for c in by_top]  # each char's middle across, for every cell of its row
    for cell_boxes in boxes:
        bbox = (min(b[0] for b in cell_boxes), min(b[1] for b in cell_boxes),
                max(b[2] for b in cell_boxes), max(b[3] for b in cell_boxes))
        cells = [(tuple(box), _cell_text(box, by_top, middles, across)) for box in cell_boxes]
        found.append((bbox, TableFragment(cells=cells, columns=_snap(x for box in cell_boxes for x in (box[0], box[2])))))
    return found


def _smallest_cells(intersections: dict[tuple[float, float], dict[str, list[dict[str, Any]]]]) -> list[tuple[float, float, float, float]]:
    """The cells pdfplumber's ``intersections_to_cells`` finds, in its order, without its cost.

    For each crossing of rulings (top left first) the smallest rectangle whose sides are
    rulings through it; pdfplumber compares the rulings of two crossings as sets built anew
    for every pair it tries, and looks for the crossings below and right of each one through
    all the others, which takes most of a page's reading on pages with a large table.
    """
    points = sorted(intersections)
    vertical = {point: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in found["v"]} for point, found in intersections.items()}
    horizontal = {point: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in found["h"]} for point, found in intersections.items()}
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for point in points:  # sorted by x, then y: each list in the order pdfplumber walks it
        by_x.setdefault(point[0], []).append(point)
        by_y.setdefault(point[1], []).append(point)
    across = {point: index for row in by_y.values() for index, point in enumerate(row)}  # where each stands in its row

    def connected(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return (a[0] == b[0] and not vertical[a].isdisjoint(vertical[b])) or (
            a[1] == b[1] and not horizontal[a].isdisjoint(horizontal[b]))

    cells = []
    for column in by_x.values():  # the points in their sorted order: column by column, each top down
        for index, point in enumerate(column):
            row = by_y[point[1]]
            cells.extend(_smallest_cell(point, column[index + 1 :], row[across[point] + 1 :], intersections, connected))
    return cells


def _smallest_cell(point: tuple[float, float], below: list[tuple[float, float]], right: list[tuple[float, float]],
                   intersections: dict, connected: Any) -> list[tuple[float, float, float, float]]:
    """[the cell whose top left corner is ``point``], or [] where the rulings close none."""
    for under in below:
        if not connected(point, under):
            continue
        for beside in right:
            if not connected(point, beside):
                continue
            corner = (beside[0], under[1])
            if corner in intersections and connected(corner, beside) and connected(corner, under):
                return [(point[0], point[1], corner[0], corner[1])]
    return []


def _page_break_rulings(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The horizontal rulings a page break leaves out, where a table row runs over the page edge.

    Browsers print a row cut by a page break without its top ruling on the next page (and
    its bottom one on the page before): the columns' vertical rulings run to the page's
    text edge and stop there. Without a closing ruling no cell is found and the row falls
    out of the table as loose lines; the ruling is drawn where two or more vertical
    rulings start (or end) above (or below) every horizontal one.
    """
    horizontal = [e["top"] for e in edges if e["orientation"] == "h"]
    vertical = [e for e in edges if e["orientation"] == "v"]
    if not horizontal or not vertical:
        return []
    added = []
    top, bottom = min(e["top"] for e in vertical), max(e["bottom"] for e in vertical)
    if top < min(horizontal) - _TOLERANCE:
        added += _ruling_across([e for e in vertical if e["top"] - top <= _TOLERANCE], top)
    if bottom > max(horizontal) + _TOLERANCE:
        added += _ruling_across([e for e in vertical if bottom - e["bottom"] <= _TOLERANCE], bottom)
    return added


def _unfinished_rulings(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rest of a table's top or bottom ruling where it stops short of vertical rulings ending there.

    Word and LibreOffice draw each cell's borders, and a cell may lack one, most often the
    header's first cell its top ("信息内容" under a caption that was cut off the table). The
    column rulings still start at the table's top: without a ruling across them the cell is
    not closed, and its text, inside the table yet in none of its cells, is lost. A ruling
    ending on a vertical one that ends at it is carried on over the other vertical rulings that
    end at the same height beyond it.
    """
    horizontal = [e for e in edges if e["orientation"] == "h"]
    vertical = [e for e in edges if e["orientation"] == "v"]
    added = []
    for ruling in horizontal:
        y = ruling["top"]
        ending = sorted(v["x0"] for v in vertical if min(abs(v["top"] - y), abs(v["bottom"] - y)) <= _TOLERANCE)
        if not any(abs(x - ruling["x0"]) <= _TOLERANCE for x in ending) and not any(abs(x - ruling["x1"]) <= _TOLERANCE for x in ending):
            continue
        before = [x for x in ending if x < ruling["x0"] - _TOLERANCE]
        after = [x for x in ending if x > ruling["x1"] + _TOLERANCE]
        if before:
            added.append(_horizontal_ruling(before[0], ruling["x0"], y))
        if after:
            added.append(_horizontal_ruling(ruling["x1"], after[-1], y))
    return added


def _ruling_across(vertical: list[dict[str, Any]], y: float) -> list[dict[str, Any]]:
    """A horizontal ruling at ``y`` from the first of ``vertical`` to the last; none for fewer than two."""
    if len(vertical) < 2:
        return []
    return [_horizontal_ruling(min(e["x0"] for e in vertical), max(e["x0"] for e in vertical), y)]


def _horizontal_ruling(x0: float, x1: float, y: float) -> dict[str, Any]:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "doctop": y, "width": x1 - x0, "height": 0.0, "orientation": "h"}


def outside(chars: list[Char], boxes: list[tuple[float, float, float, float]]) -> list[Char]:
    """The chars whose middle lies in none of ``boxes``, each middle computed once (a page's every char is tested)."""
    out = []
    for char in chars:
        x, y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        for x0, top, x1, bottom in boxes:  # a loop, not any(): a generator made for every char costs more than the test
            if x0 <= x <= x1 and top <= y <= bottom:
                break
        else:
            out.append(char)
    return out


def _cell_text(box: tuple[float, float, float, float], by_top: list[Char], middles: list[float], across: list[float]) -> str:
    """The text of the chars whose middle lies in the box; ``by_top`` is sorted by ``middles``,
    ``across`` their middles across."""
    left, right = box[0], box[2]  # the band's middles are inside the box's top and bottom
    band = range(bisect_left(middles, box[1]), bisect_right(middles, box[3]))
    inside = [by_top[i] for i in band if left <= across[i] <= right]
    if len(inside) < 2:  # most cells print one digit or nothing: no lines to group
        return "".join(char.text for char in inside if not char.text.isspace())
    return "\n".join(line.text for line in text_lines(inside))


def fragments_to_table(fragments: list[TableFragment]) -> Table:
    if fragments[0].loose:  # the pages of a table without rulings take the columns of its most divided page
        widest = max(fragments, key=lambda fragment: len(fragment.columns)).columns
        fragments = [_aligned(fragment, widest) for fragment in fragments]
    columns = _snap(x for fragment in fragments for x in fragment.columns)
    rows: list[list[GridCell]] = []
    for fragment in fragments:
        rows.extend(_grid(fragment, columns, len(rows)))
    return Table(rows)


def _aligned(fragment: TableFragment, columns: list[float]) -> TableFragment:
    def nearest(x: float) -> float:
        return columns[_index(columns, x)]

    cells = [((nearest(x0), top, nearest(x1), bottom), text) for (x0, top, x1, bottom), text in fragment.cells]
    return TableFragment(cells, columns, page=fragment.page, loose=True)


def _grid(fragment: TableFragment, columns: list[float], first_row: int) -> list[list[GridCell]]:
    """The fragment's rows; ``first_row`` is the table row it starts at (copies name their origin in the table)."""
    tops = _snap(y for box, _ in fragment.cells for y in (box[1], box[3]))
    width, height = len(columns) - 1, len(tops) - 1
    take_table_slots(width * height)
    grid: list[list[GridCell | None]] = [[None] * width for _ in range(height)]
    for (x0, top, x1, bottom), text in sorted(fragment.cells, key=lambda c: (c[0][1], c[0][0])):
        c0, c1 = _index(columns, x0), _index(columns, x1)
        r0, r1 = _index(tops, top), _index(tops, bottom)
        location = CellLocation(page=fragment.page, box=(x0, top, x1, bottom), unit="pt", unruled=fragment.loose)
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                if r < height and c < width and grid[r][c] is None:
                    grid[r][c] = GridCell.of_placed(PlacedText(text, location), None if (r, c) == (r0, c0) else (first_row + r0, c0))
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
