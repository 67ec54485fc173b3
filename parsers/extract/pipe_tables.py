"""Markdown pipe tables, as PDF-to-Markdown converters print a report's tables.

``| a | b |`` rows, an optional ``|---|:--:|`` alignment row (dropped), ``\\|`` for a
printed bar and ``<br>`` for a line break inside a cell. Converters print a merged cell
either once with empty cells beside it or repeated; both reach the table parsers as
printed, which match rows by their labels.
"""

from __future__ import annotations

import re

from parsers.document import on_lines

_ALIGNMENT = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_BAR = re.compile(r"(?<!\\)\|")


def is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1


def read_pipe_table(lines: list[str], first_line: int = 1) -> list[list[str]]:
    """The rows of one pipe table (its consecutive ``|…|`` lines, the first at line ``first_line``),
    each cell placed on its line."""
    rows = []
    for number, line in enumerate(lines, first_line):
        stripped = line.strip()
        if _ALIGNMENT.match(stripped):
            continue
        cells = _BAR.split(stripped[1:-1])
        rows.append([on_lines(_BREAK.sub("\n", cell).replace("\\|", "|").strip(), number, number) for cell in cells])
    return rows
