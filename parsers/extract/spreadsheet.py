"""Extractor for spreadsheet attachments (.xlsx, and .xls from Excel 97 on), read with calamine.

A sheet is a grid without table boundaries: the same sheet may hold the report's prose in
full-width merged rows and its tables below. A run of non-empty rows is a table from its
first row that prints two or more cells, and a short one-cell row just above such a row
(a table caption printed inside the table, "第二十条第（一）项") belongs to it unless it is
a section heading; other one-cell rows are paragraphs. Merged ranges are expanded into
copies of their first slot, and the sheet's layout columns (Calc and Excel widen a merged
cell over many narrow columns) are folded into the table's own columns.
"""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

from parsers.document import Block, Document, GridCell, Table
from parsers.errors import ExtractionError
from parsers.locations import CellLocation, sheet_cell

_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）])")
_CAPTION_MAX = 40
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

    def printed(r: int) -> list[int]:
        return [c for c in range(width) if texts[r][c].strip() and origin.get((r, c), (r, c)) == (r, c)]

    kinds = [_row_kind(printed(r), texts[r]) for r in range(len(texts))]
    for r in range(len(kinds) - 1, -1, -1):  # bottom up: a caption joins the table row below it
        if kinds[r] == "caption":
            kinds[r] = "table" if r + 1 < len(kinds) and kinds[r + 1] == "table" else "paragraph"
    blocks: list[Block] = []
    run: list[int] = []
    for r, kind in enumerate([*kinds, "blank"]):
        if kind == "table":
            run.append(r)
            continue
        if run:
            blocks.append(Block("table", table=_table(sheet, texts, origin, run, width)))
            run = []
        if kind == "paragraph":
            blocks.append(Block("paragraph", text=" ".join(texts[r][c].strip() for c in printed(r))))
    return blocks


def _row_kind(printed: list[int], row: list[str]) -> str:
    if not printed:
        return "blank"
    if len(printed) >= 2:
        return "table"
    text = row[printed[0]].strip()
    if len(text) <= _CAPTION_MAX and "。" not in text and not _HEADING.match(text):
        return "caption"
    return "paragraph"


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
