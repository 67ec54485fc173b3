"""An HTML <table> as a grid: rowspan/colspan expanded into copies that name their origin.

Each printed cell gets an empty :class:`~parsers.locations.CellLocation` that its copies share;
``parsers.extract.numbering`` fills in the table, row and column in place, so no cell is built
twice (a page's tables hold hundreds of cells).
"""

from __future__ import annotations

from lxml import etree

from parsers.document import GridCell, PlacedText, Table
from parsers.limits import take_table_slots
from parsers.locations import CellLocation

_MAX_SPAN = 100  # guards against colspan="9999" in hand-edited pages
_CELL_BREAKS = ("br", "p", "div", "li")
_CELL_TAGS = frozenset({"td", "th"})


def read_table(element: etree._Element) -> Table:
    _mark_breaks(element)
    rows: list[list[GridCell | None]] = []
    for row_index, tr in enumerate(_rows(element)):
        while len(rows) <= row_index:
            rows.append([])
        row = rows[row_index]
        cells, slots = [], 0
        for td in tr:
            if td.tag in _CELL_TAGS:  # lxml makes a new string each time a tag is asked for
                rowspan, colspan = td.get("rowspan"), td.get("colspan")
                rowspan = 1 if rowspan is None else _span(rowspan)
                colspan = 1 if colspan is None else _span(colspan)
                cells.append((td, rowspan, colspan))
                slots += rowspan * colspan
        take_table_slots(slots)  # before the row's slots are made
        col = 0
        for td, rowspan, colspan in cells:
            while col < len(row) and row[col] is not None:  # slots a rowspan from above fills
                col += 1
            origin = GridCell.of_placed(PlacedText(_cell_text(td), CellLocation()))
            if rowspan == colspan == 1:
                if col < len(row):  # a gap left by a rowspan from above
                    row[col] = origin
                else:  # col is never past the row's end: the slots before it are filled
                    row.append(origin)
                col += 1
                continue
            copy = GridCell.of_placed(origin.text, (row_index, col))
            for dr in range(rowspan):
                while len(rows) <= row_index + dr:
                    rows.append([])
                target = rows[row_index + dr]
                if len(target) < col + colspan:
                    target.extend([None] * (col + colspan - len(target)))
                for dc in range(colspan):
                    target[col + dc] = origin if dr == dc == 0 else copy
            col += colspan
    return Table([[cell or GridCell.of_placed(PlacedText("", CellLocation())) for cell in row] for row in rows])


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (thead/tbody/tfoot included, nested tables' rows not)."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def _span(value: str) -> int:
    try:
        return max(1, min(int((value or "1").strip()), _MAX_SPAN))
    except ValueError:
        return 1


def _mark_breaks(table: etree._Element) -> None:
    """Put a line break at the start of every <br> and block element's text inside the table.

    A cell's text is then libxml2's serialisation of it (``_cell_text``) rather than a Python
    walk over its <p>, <font> and <span> elements. The page's tree is read once: nothing
    reads the table's elements after ``read_table``.
    """
    for element in table.iter(*_CELL_BREAKS):
        element.text = "\n" + (element.text or "")


def _cell_text(td: etree._Element) -> str:
    """The cell's text, a <br> or block element inside it a line break (marked by ``_mark_breaks``)."""
    if not len(td):
        return (td.text or "").strip()
    text = etree.tostring(td, method="text", encoding=str, with_tail=False).strip()
    if "\n" not in text:  # one line (the marks and the source's line breaks were around it)
        return text
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
