"""Table rows printed on one line without tabs: ``一、本年新收政府信息公开申请数量 16 0 0 0 0 0 16``.

Text copied out of a PDF or a plain-text export keeps a row on one line, its cells
separated by spaces (a browser's copy of a table: by tabs, an empty cell between two tabs).
The values are the trailing run of numbers and dashes; the label is everything before them
(labels may contain spaces). Where the text does not say which cell a value is in, the row
keeps only its label and says so: values glued together ("1600000016"), except where the
digits are exactly one per column, and a space-separated row of a wide table (tables 3 and
4) printing fewer values than the table has columns, whose blank cells left no trace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.extract.cell_lines import is_value

_GLUED = re.compile(r"^(?P<label>.*?\D)(?P<digits>\d{2,})$")
_PROSE = re.compile(r"[。；;]")  # labels have commas and colons, sentences end
_MAX_LABEL = 60
_WIDE_TABLE = 5  # tables 3 and 4: a short row cannot be a narrower item as in table 2


@dataclass
class RunRow:
    label: str
    values: list[str]
    glued: str | None = None  # digits printed without separators
    tabbed: bool = False  # cells separated by tabs: an empty cell is printed, not lost


def read_run_row(line: str) -> RunRow | None:
    """The row a line prints, or None when the line is not a table row."""
    tabbed = "\t" in line
    tokens = [t.strip() for t in line.split("\t")] if tabbed else line.split()
    split = len(tokens)
    while split > 0 and is_value(tokens[split - 1]):
        split -= 1
    label = " ".join(tokens[:split])
    if len(label) > _MAX_LABEL or _PROSE.search(label):
        return None
    values = tokens[split:]
    if len(values) >= 2 or (label and values):
        return RunRow(label, values, tabbed=tabbed)
    glued = _GLUED.match(label)
    if glued and not values and not _PROSE.search(glued.group("label")) and re.search(r"[\u4e00-\u9fff]", glued.group("label")):
        return RunRow(glued.group("label").strip(), [], glued.group("digits"))
    return None


def run_table(rows: list[RunRow | str]) -> tuple[list[list[str]], list[str]]:
    """Rows of cells for a run of row lines and short label lines (headers, items), and notes on glued digits."""
    width = max((len(r.values) for r in rows if isinstance(r, RunRow)), default=0)
    cells: list[list[str]] = []
    notes: list[str] = []
    for row in rows:
        if isinstance(row, str):
            cells.append(row.split())
        elif row.glued is not None and len(row.glued) == width:
            cells.append([row.label, *row.glued])  # one digit per column: nothing to guess
        elif row.glued is not None:
            cells.append([row.label])
            notes.append(f"row {row.label!r}: digits printed without separators ({row.glued}); its cells cannot be told apart")
        elif row.label and not row.tabbed and width >= _WIDE_TABLE and len(row.values) < width:
            cells.append([row.label])
            notes.append(f"row {row.label!r}: {len(row.values)} values for {width} columns ({' '.join(row.values)}); "
                         "which cells are blank cannot be told")
        else:
            cells.append([row.label, *row.values] if row.label else row.values)
    return cells, notes
