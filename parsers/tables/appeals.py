"""Table 4 (行政复议、行政诉讼): fifteen values in three blocks of five.

Printed as one table with a two- or three-row header and one row of values, as three small
tables (one per block), or as a bare row of values without header; the block of a small
table is read from its header words, a full row of fifteen is in the standard order.
"""

from __future__ import annotations

from parsers.cells import parse_cell
from parsers.document import Table
from parsers.labels import compact
from parsers.report import APPEAL_BLOCKS, APPEAL_OUTCOMES, Cell
from parsers.tables.grid import is_value, printed_cells

_BLOCK_SIZE = len(APPEAL_OUTCOMES)


def parse_appeals(pieces: list[Table]) -> dict[str, Cell]:
    rows: list[tuple[str | None, list[str]]] = []  # (block the row or its piece names, value cells)
    for piece in pieces:
        piece_rows = _value_rows(piece)
        piece_block = _block_named(" ".join(cell.text for row in piece.rows for cell in row))
        for label, run in piece_rows:
            rows.append((_block_named(label) or (piece_block if len(piece_rows) == 1 else None), run))
    cells: dict[str, Cell] = {}
    full = next((run for _, run in rows if len(run) >= _BLOCK_SIZE * len(APPEAL_BLOCKS)), None)
    if full is not None:
        flat = full[-_BLOCK_SIZE * len(APPEAL_BLOCKS) :]
        for b, block in enumerate(APPEAL_BLOCKS):
            _fill(cells, block, flat[b * _BLOCK_SIZE : (b + 1) * _BLOCK_SIZE])
        return cells
    for index, (named, run) in enumerate(rows):
        block = named or (APPEAL_BLOCKS[index] if index < len(APPEAL_BLOCKS) else None)
        if block is not None and f"{block}.total" not in cells:
            _fill(cells, block, run[-_BLOCK_SIZE:])
    return cells


def _fill(cells: dict[str, Cell], block: str, row: list[str]) -> None:
    for outcome, text in zip(APPEAL_OUTCOMES, row):
        cells[f"{block}.{outcome}"] = parse_cell(text)


def _block_named(text: str) -> str | None:
    """The block a header or row label is about, when it names exactly one."""
    text = compact(text)
    named = []
    if "未经复议" in text or "直接起诉" in text:
        named.append("litigation_direct")
    if "复议后起诉" in text:
        named.append("litigation_after_review")
    if "行政复议" in text:
        named.append("review")
    return named[0] if len(named) == 1 else None


def _value_rows(piece: Table) -> list[tuple[str, list[str]]]:
    """(label text, trailing values) of every row ending in five or more values, one of them printed.

    A table whose values are all blank has no such row; then its last row made of values
    only (blank cells, no label) is the value row.
    """
    found: list[tuple[str, list[str]]] = []
    blank_row: list[str] = []
    for grid_row in piece.rows:
        texts = printed_cells(grid_row)
        split = len(texts)
        while split > 0 and is_value(texts[split - 1]):
            split -= 1
        run = texts[split:]
        if len(run) >= _BLOCK_SIZE and any(t.strip() for t in run):
            found.append((" ".join(texts[:split]), run))
        elif split == 0 and len(run) >= _BLOCK_SIZE:
            blank_row = run
    return found or ([("", blank_row)] if blank_row else [])
