"""Extractor for spreadsheet attachments (.xlsx, and .xls from Excel 97 on), read with calamine.

Merged ranges are expanded into copies of their first slot, the sheet's rows are cut into
paragraphs and tables (:mod:`parsers.extract.sheet_parts`), and the sheet's layout columns
(Calc and Excel widen a merged cell over many narrow columns) are folded into each table's
own columns.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from parsers.document import Block, Document, GridCell, Table
from parsers.errors import ExtractionError
from parsers.extract.sheet_parts import sheet_parts
from parsers.locations import CellLocation, sheet_cell

_Slot = tuple[int, int]


def extract_spreadsheet(data: bytes) -> Document:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(BytesIO(data))
        sheets = [workbook.get_sheet_by_index(i) for i in range(len(workbook.sheet_names))]
        blocks = [block for sheet in sheets
                  for block in _sheet_blocks(sheet.name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or [])]
    except CalamineError as exc:
        raise ExtractionError(f"damaged or unreadable spreadsheet: {str(exc).splitlines()[0]}") from exc
    if not blocks:
        raise ExtractionError("the spreadsheet has no text in it")
    return Document(blocks=blocks, source_format="spreadsheet")


def _sheet_blocks(sheet: str, values: list[list[object]], merges: list[tuple[_Slot, _Slot]]) -> list[Block]:
    width = max([len(row) for row in values] + [end[1] + 1 for _, end in merges], default=0)
    texts = [[_text(v) for v in row] + [""] * (width - len(row)) for row in values]
    origin: dict[_Slot, _Slot] = {}
    for (r0, c0), (r1, c1) in merges:
        for r in range(r0, min(r1, len(texts) - 1) + 1):
            for c in range(c0, c1 + 1):
                origin[(r, c)] = (r0, c0)

    printed = [[texts[r][c].strip() for c in range(width) if texts[r][c].strip() and origin.get((r, c), (r, c)) == (r, c)]
               for r in range(len(texts))]
    blocks: list[Block] = []
    for part in sheet_parts(printed):
        if part.kind == "table":
            blocks.append(Block("table", table=_table(sheet, texts, origin, part.rows, width)))
        else:
            blocks.append(Block("paragraph", text=" ".join(text for r in part.rows for text in printed[r])))
    return blocks


def _table(sheet: str, texts: list[list[str]], origin: dict[_Slot, _Slot], rows: list[int], width: int) -> Table:
    """The rows as a grid, keeping only columns where some printed cell of these rows starts; each
    cell located at the sheet cell it is printed in (a merged range: its first cell)."""
    columns = [c for c in range(width) if any(origin.get((r, c), (r, c)) == (r, c) and (texts[r][c].strip() or (r, c) in origin) for r in rows)]
    if not columns:
        columns = [0]
    index = {c: i for i, c in enumerate(columns)}
    first = rows[0]
    grid = []
    for r in rows:
        row = []
        for c in columns:
            r0, c0 = origin.get((r, c), (r, c))
            location = CellLocation(sheet=sheet, cell=sheet_cell(r0, c0))
            if (r0, c0) == (r, c) or r0 < first:
                row.append(GridCell(texts[r][c], location=location))
            else:
                row.append(GridCell(texts[r0][c0], (r0 - first, index.get(c0, 0)), location))
        grid.append(row)
    return Table(grid)


def _text(value: object) -> str:
    """A cell value as the sheet shows it: whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)
