"""An HTML <table> as a grid: rowspan/colspan expanded into copies that name their origin."""

from __future__ import annotations

import lxml.html

from parsers.document import GridCell, Table

_MAX_SPAN = 100  # guards against colspan="9999" in hand-edited pages
_CELL_BREAKS = frozenset({"br", "p", "div", "li"})


def read_table(element: lxml.html.HtmlElement) -> Table:
    grid: dict[tuple[int, int], GridCell] = {}
    row_index = 0
    for tr in _rows(element):
        col = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (row_index, col) in grid:
                col += 1
            rowspan, colspan = _span(td.get("rowspan")), _span(td.get("colspan"))
            text = cell_text(td)
            for dr in range(rowspan):
                for dc in range(colspan):
                    origin = None if dr == dc == 0 else (row_index, col)
                    grid[(row_index + dr, col + dc)] = GridCell(text, span_of=origin)
            col += colspan
        row_index += 1
    height = max((r for r, _ in grid), default=-1) + 1
    rows = []
    for r in range(height):
        width = max((c for rr, c in grid if rr == r), default=-1) + 1
        rows.append([grid.get((r, c), GridCell("")) for c in range(width)])
    return Table(rows)


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's own rows (thead/tbody/tfoot included, nested tables' rows not)."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def _span(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), _MAX_SPAN))
    except ValueError:
        return 1


def cell_text(td: lxml.html.HtmlElement) -> str:
    """The cell's text, a <br> or block element inside it a line break."""
    parts: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        if isinstance(element.tag, str) and element.tag in _CELL_BREAKS and parts:
            parts.append("\n")
        parts.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")

    walk(td)
    lines = [line.strip() for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)
