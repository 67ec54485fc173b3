"""Extractor for report text copied from a page: paragraphs, and tables in any of the shapes copying gives.

* one cell per line, blank lines between cells and rows (:mod:`parsers.extract.cell_lines`);
* a row per line, cells separated by spaces (:mod:`parsers.extract.text_runs`);
* Markdown pipe tables (:mod:`parsers.extract.pipe_tables`).

Line breaks may be CR only (as some portals' text is saved). Outside tables every line is
a paragraph. Where the text does not say where a cell ends, the document carries a note
(``Document.notes``) and the cells are left out rather than guessed.
"""

from __future__ import annotations

import re
from itertools import groupby

from parsers.document import Block, Document, GridCell, Table, on_lines
from parsers.errors import ExtractionError
from parsers.extract.cell_lines import TextBlock, cell_gap, read_cell_table
from parsers.extract.pipe_tables import is_pipe_row, read_pipe_table
from parsers.extract.text_runs import RunRow, read_run_row, run_table
from parsers.sections import heading_number

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PADDING = " \u3000\xa0"  # stripped from lines; tabs are kept, they separate cells
_PROSE_CHARS = 60
_LABEL_CHARS = 40
_MIN_CELLS = 4  # fewer blank-separated lines are a signature or a stray link, not a table
_MIN_RUN_ROWS = 2


def extract_plaintext(data: bytes) -> Document:
    lines = _LINE_BREAK.split(_decode(data))
    blocks: list[Block] = []
    notes: list[str] = []
    first_line = 1  # of the group: cells are placed on the lines they are printed on
    for pipe, grouped in groupby(lines, key=is_pipe_row):
        group = list(grouped)
        if pipe:
            blocks.append(_table_block(read_pipe_table(group, first_line)))
        else:
            _plain_lines(group, first_line, blocks, notes)
        first_line += len(group)
    if not blocks:
        raise ExtractionError("no text in the file")
    return Document(blocks=blocks, source_format="text", notes=notes)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _table_block(rows: list[list[str]]) -> Block:
    return Block("table", table=Table([[GridCell(text) for text in row] for row in rows]))


def _text_blocks(lines: list[str], first_line: int) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    gap = 0
    previous_blank = True
    for number, line in enumerate(lines, first_line):
        if not line.strip():
            gap += 1
            previous_blank = True
            continue
        if previous_blank or not blocks:
            blocks.append(TextBlock([line.strip(_PADDING)], gap, number))
        else:
            blocks[-1].lines.append(line.strip(_PADDING))
        gap, previous_blank = 0, False
    return blocks


def _is_prose(line: str) -> bool:
    return len(line) > _PROSE_CHARS or "。" in line or heading_number(line) is not None


def _plain_lines(lines: list[str], first_line: int, out: list[Block], notes: list[str]) -> None:
    """Paragraphs and the tables among them, in printed order (``lines`` start at line ``first_line``)."""
    blocks = _text_blocks(lines, first_line)
    gap = cell_gap(blocks)
    index = 0
    while index < len(blocks):
        end = index
        if gap is not None and blocks[index].gap >= gap and not _has_prose(blocks[index]):
            while end + 1 < len(blocks) and not _has_prose(blocks[end + 1]):
                end += 1
        region = blocks[index : end + 1]
        if gap is not None and len(region) >= _MIN_CELLS:
            table = read_cell_table(region, gap)
            out.append(_table_block(table.rows))
            notes += table.notes
        else:
            _line_rows([(b.first_line + i, line) for b in region for i, line in enumerate(b.lines)], out, notes)
        index = end + 1


def _has_prose(block: TextBlock) -> bool:
    return any(_is_prose(line) for line in block.lines)


def _line_rows(lines: list[tuple[int, str]], out: list[Block], notes: list[str]) -> None:
    """Paragraphs, and runs of lines that print a table row each (``lines``: (line number, text))."""
    pending: list[RunRow | str] = []  # the table being read: rows, and short label lines (headers, items)
    numbers: list[int] = []  # the line each of them is printed on

    def flush() -> None:
        rows = sum(1 for r in pending if isinstance(r, RunRow))
        last_row = max((i for i, r in enumerate(pending) if isinstance(r, RunRow)), default=-1)
        if rows >= _MIN_RUN_ROWS:
            cells, glued = run_table(pending[: last_row + 1])  # a row of cells for each of them
            out.append(_table_block([[on_lines(text, n, n) for text in row] for row, n in zip(cells, numbers)]))
            notes.extend(glued)
            tail = pending[last_row + 1 :]
        else:
            tail = pending
        out.extend(Block("paragraph", text=r if isinstance(r, str) else _run_text(r)) for r in tail)
        pending.clear()
        numbers.clear()

    for number, line in lines:
        row = None if heading_number(line) is not None else read_run_row(line)
        if row is not None:
            pending.append(row)
            numbers.append(number)
        elif len(line) <= _LABEL_CHARS and not _is_prose(line):
            pending.append(line)
            numbers.append(number)
        else:
            flush()
            out.append(Block("paragraph", text=line))
    flush()


def _run_text(row: RunRow) -> str:
    return " ".join(p for p in (row.label, *row.values, row.glued or "") if p)
