"""Every table cell of a document told its table, row and column, the same way for every format.

Extractors record what only they know (a PDF cell's page and box, a spreadsheet's sheet
cell, the lines of a text file); where the cell sits in the document's tables is counted
here once, so "table 3, row 5, column 2" means the same thing whatever the format was.
"""

from __future__ import annotations

from parsers.document import Document, GridCell, Table
from parsers.locations import CellLocation


def number_tables(doc: Document) -> Document:
    """Put the table, row and column (1-based) in every grid cell's location; returns ``doc``.

    A copy slot of a merged cell is located at its origin, the printed cell it repeats. An
    extractor's location is completed in place: each printed cell has a location object of
    its own (the copies of a merged cell share their origin's, which gets the same numbers).
    """
    number = 0
    for block in doc.blocks:
        if block.table is not None:
            number += 1
            block.table = _numbered(block.table, number)
    return doc


def _numbered(table: Table, number: int) -> Table:
    rows = table.rows
    placed: list[list[GridCell]] = []
    for r, row in enumerate(rows):
        placed_row = []
        for c, cell in enumerate(row):
            origin = cell.span_of if cell.span_of is not None and _inside(rows, cell.span_of) else (r, c)
            if cell.location is None:
                cell = GridCell(cell.text, cell.span_of, CellLocation(number, origin[0] + 1, origin[1] + 1))
            else:  # filled in where it is: the cell's text carries this very object
                cell.location.table, cell.location.row, cell.location.column = number, origin[0] + 1, origin[1] + 1
            placed_row.append(cell)
        placed.append(placed_row)
    return Table(placed)


def _inside(rows: list[list[GridCell]], slot: tuple[int, int]) -> bool:
    return 0 <= slot[0] < len(rows) and 0 <= slot[1] < len(rows[slot[0]])

