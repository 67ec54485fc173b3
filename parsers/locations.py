"""Where a printed table cell sits in the file the parser read.

Every extractor records the same :class:`CellLocation` on the grid cells it builds (see
``GridCell.location``): the page and box where the format has pages (PDF, scans, pictures),
the sheet cell of a spreadsheet, the lines of a text file. The table, row and column of
the cell in the document's tables are added for every format in one place
(:func:`parsers.extract.numbering.number_tables`), so they are counted the same way
everywhere. The cell typer copies the location of the text it types onto the cell, and
``Cell.to_dict()`` writes it as the cell's ``"location"`` (README, "Parser output").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal

BoxUnit = Literal["pt", "px"]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 from the top left corner, y growing down

# Box origins as the JSON states them: both kinds of box are measured from the top left.
_ORIGIN = "top-left"


# Not frozen: a frozen dataclass's __init__ costs several times as much, and one is made for
# every grid cell of every document. Only extract()'s numbering fills fields in (table, row and
# column, which only it knows); after extraction a location is a value, replace() makes new ones.
@dataclass(slots=True)
class CellLocation:
    """One printed cell's place in its source; a field a format has no such thing for is None.

    * ``table``, ``row``, ``column``: 1-based; the table among the document's tables in
      reading order, the row of that table as printed (a table a page break split and the
      extractor joined counts on across the break), the grid column with merged cells
      expanded (a merged cell is at its first row and column).
    * ``page``: 1-based page of a PDF or a scanned PDF (a picture is page 1).
    * ``box``: (x0, y0, x1, y1) of the cell from the page's top left corner, y growing
      down; ``unit`` "pt" for PDF points, "px" for pixels of the page picture as OCR read it.
    * ``sheet``, ``cell``: a spreadsheet's sheet name and the A1-style cell reference.
    * ``lines``: (first, last) 1-based line numbers of a text file the cell is printed on.
    * ``joined_row``, ``joined_page``: the other half of the cell's row when a page break or
      a wrapped label printed the row as two (the label on one page, the values on the
      next, or the label's end under the values); the table parser fills these in when it
      joins the halves.
    * ``unruled``: the table printed no ruling lines, so the cell's column was judged from
      where its text stands (``parsers.layout_honesty`` says so in the findings).
    """

    table: int | None = None
    row: int | None = None
    column: int | None = None
    page: int | None = None
    box: Box | None = None
    unit: BoxUnit | None = None
    sheet: str | None = None
    cell: str | None = None
    lines: tuple[int, int] | None = None
    joined_row: int | None = None
    joined_page: int | None = None
    unruled: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: only the fields this format has, the box's origin stated with it."""
        # Field by field, not by a loop over their names: a report writes this for every cell.
        out: dict[str, Any] = {}
        if self.table is not None:
            out["table"] = self.table
        if self.row is not None:
            out["row"] = self.row
        if self.column is not None:
            out["column"] = self.column
        if self.page is not None:
            out["page"] = self.page
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.cell is not None:
            out["cell"] = self.cell
        if self.joined_row is not None:
            out["joined_row"] = self.joined_row
        if self.joined_page is not None:
            out["joined_page"] = self.joined_page
        if self.box is not None and all(math.isfinite(edge) for edge in self.box):  # JSON has no NaN or infinity
            out["box"] = [round(edge, 2) for edge in self.box]
            out["unit"] = self.unit
            out["origin"] = _ORIGIN
        if self.lines is not None:
            out["lines"] = list(self.lines)
        if self.unruled:
            out["unruled"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CellLocation:
        """The location a stored parse recorded (the inverse of :meth:`to_dict`)."""
        box = data.get("box")
        lines = data.get("lines")
        return cls(
            table=data.get("table"), row=data.get("row"), column=data.get("column"), page=data.get("page"),
            box=tuple(box) if box else None, unit=data.get("unit"), sheet=data.get("sheet"), cell=data.get("cell"),
            lines=tuple(lines) if lines else None, joined_row=data.get("joined_row"), joined_page=data.get("joined_page"),
            unruled=bool(data.get("unruled")),
        )

    def joined_with(self, other: CellLocation | None) -> CellLocation:
        """This location with the other half of its row at ``other`` (nothing changes when that is this row)."""
        if other is None or (other.row == self.row and other.page == self.page):
            return self
        return replace(self, joined_row=other.row, joined_page=other.page)


def sheet_cell(row: int, column: int) -> str:
    """A1-style reference of a 0-based sheet row and column ("B7")."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


def without_locations(report: dict[str, Any]) -> dict[str, Any]:
    """A ``Report.to_dict()`` with the cells' locations left out: what the report says, not where.

    Hand-read expected reports and accuracy scores compare what was read; where a cell is
    printed is checked on its own.
    """
    tables = report.get("tables")
    if not tables:
        return report
    return {**report, "tables": {name: _table_without_locations(table) for name, table in tables.items()}}


def _table_without_locations(table: Any) -> Any:
    if isinstance(table, dict):
        if "raw" in table and "state" in table:  # a cell
            return {key: value for key, value in table.items() if key != "location"}
        return {key: _table_without_locations(value) for key, value in table.items()}
    if isinstance(table, list):
        return [_table_without_locations(item) for item in table]
    return table
