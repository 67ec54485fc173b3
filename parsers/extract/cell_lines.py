"""Tables copied from a report page as one cell per line (what a browser's copy or a crawler's text gives).

A portal's HTML table copied as text prints every cell on its own line(s), a fixed number
of blank lines between the cells of a row, a few more between rows, and an empty line
where a cell is blank. Counting the blank lines between two printed cells therefore says
how many blank cells lie between them and whether a row ends there:

* within a row the gap is ``s + k·p`` (``s`` blank lines between cells, ``p = s + 1`` lines
  per cell, ``k`` blank cells in between);
* at a row break it is ``s + e + k·p`` (``e`` more blank lines end a row).

``s`` and ``e`` are read from the table itself (the most common gaps), never assumed. Where
the arithmetic cannot tell a row break from blank cells (``e`` a multiple of ``p``), rows
start at labels instead and the table says so in a note.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from parsers.cells import parse_cell
from parsers.document import on_lines


@dataclass
class TextBlock:
    """Consecutive non-blank lines, the number of blank lines printed before them, and the
    line number of the first (1-based; None where the text does not say)."""

    lines: list[str]
    gap: int
    first_line: int | None = None


@dataclass
class CellTable:
    rows: list[list[str]]
    notes: list[str]


def is_value(text: str) -> bool:
    """A number, a dash or a blank: what fills a table's value cells."""
    return parse_cell(text).state != "text"


def cell_text(block: TextBlock) -> str:
    """The block's lines as one cell's text, placed on its lines when the block knows where they are."""
    text = "\n".join(block.lines)
    if block.first_line is None:
        return text
    return on_lines(text, block.first_line, block.first_line + len(block.lines) - 1)


def cell_gap(blocks: list[TextBlock]) -> int | None:
    """The number of blank lines between two cells of a row: the most common non-zero gap."""
    gaps = Counter(block.gap for block in blocks if block.gap > 0)
    if not gaps:
        return None
    gap, count = gaps.most_common(1)[0]
    return gap if count >= 4 else None


def read_cell_table(blocks: list[TextBlock], gap: int) -> CellTable:
    """Rows of cells from the blocks of one table; the first block's gap (before the table) is ignored."""
    pitch = gap + 1
    row_extra = _row_extra(blocks[1:], gap, pitch)
    if row_extra is None:
        return _rows_by_labels(blocks, gap, pitch)
    rows: list[list[str]] = [[cell_text(blocks[0])]]
    notes: list[str] = []
    for block in blocks[1:]:
        text = cell_text(block)
        breaks, blanks = _split_gap(block.gap, gap, pitch, row_extra)
        if breaks is None:
            notes.append(f"cannot tell blank cells from row breaks before {text[:20]!r} ({block.gap} blank lines)")
            breaks, blanks = 1, 0
        if breaks == 0:
            rows[-1] += [""] * blanks + [text]
            continue
        # Blank cells at a row break: values of the row before when the next row starts with its
        # label (rows of tables 2 and 3 lead with labels), else leading cells of a row of values
        # (table 4's value row, which has no label).
        leading = blanks if is_value(text) else 0
        rows[-1] += [""] * (blanks - leading)
        rows += [[] for _ in range(breaks - 1)]
        rows.append([""] * leading + [text])
    return CellTable([row for row in rows if row], notes)


def _row_extra(blocks: list[TextBlock], gap: int, pitch: int) -> int | None:
    """How many more blank lines end a row than separate two cells; None when that cannot be read.

    A break followed by blank cells adds whole cells to the gap, so the smallest extra is the break itself.
    """
    extras = [block.gap - gap for block in blocks if block.gap > gap and (block.gap - gap) % pitch]
    return min(extras) if extras else None


def _split_gap(printed: int, gap: int, pitch: int, row_extra: int) -> tuple[int | None, int]:
    """(row breaks, blank cells) that account for ``printed`` blank lines, fewest breaks first."""
    for breaks in range(4):
        rest = printed - gap - breaks * row_extra
        if rest >= 0 and rest % pitch == 0:
            return breaks, rest // pitch
    return None, 0


def _rows_by_labels(blocks: list[TextBlock], gap: int, pitch: int) -> CellTable:
    """Rows when blank lines do not mark them: a label after a value starts a row."""
    rows: list[list[str]] = []
    notes: list[str] = []
    for index, block in enumerate(blocks):
        text = cell_text(block)
        blanks = 0
        if index:
            blanks, odd = divmod(block.gap - gap, pitch) if block.gap >= gap else (0, 1)
            if odd:
                notes.append(f"cannot tell how many blank cells precede {text[:20]!r} ({block.gap} blank lines)")
        if rows and not is_value(text) and (blanks or any(is_value(c) for c in rows[-1])):
            rows[-1] += [""] * blanks  # blank cells before a label are the values of the row it ends
            rows.append([text])
        elif rows:
            rows[-1] += [""] * blanks + [text]
        else:
            rows.append([text])
    notes.append("rows are not marked by blank lines: rows were started at labels")
    return CellTable(rows, notes)
