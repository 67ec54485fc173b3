"""An HTML <table> as a grid: rowspan/colspan expanded into copies that name their origin."""

from __future__ import annotations

from lxml import etree

from parsers.document import GridCell, Table

_MAX_SPAN = 100  # guards against colspan="9999" in hand-edited pages
_CELL_BREAKS = frozenset({"br", "p", "div", "li"})


def read_table(element: etree._Element) -> Table:
    grid: dict[tuple[int, int], GridCell] = {}
    widths: dict[int, int] = {}  # row -> slots filled so far (a rowspan fills rows below)
    for row_index, tr in enumerate(_rows(element)):
        col = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (row_index, col) in grid:
                col += 1
            rowspan, colspan = _span(td.get("rowspan")), _span(td.get("colspan"))
            text = cell_text(td)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(row_index + dr, col + dc)] = GridCell(text, span_of=None if dr == dc == 0 else (row_index, col))
                widths[row_index + dr] = max(widths.get(row_index + dr, 0), col + colspan)
            col += colspan
    height = max(widths, default=-1) + 1
    return Table([[grid.get((r, c)) or GridCell("") for c in range(widths.get(r, 0))] for r in range(height)])


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (thead/tbody/tfoot included, nested tables' rows not)."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int((value or "1").strip()), _MAX_SPAN))
    except ValueError:
        return 1


def cell_text(td: etree._Element) -> str:
    """The cell's text, a <br> or block element inside it a line break."""
    if not len(td):
        return (td.text or "").strip()
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
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
