"""Extractor for the text export of a report's DOCX (the format of ``shared/seeds``).

The export writes a paragraph per line and a table cell per tab-led line; a cell may run
over several lines (the lines after a tab-led line, up to the next tab-led or blank line,
continue it), a blank line ends a table row, and two blank lines in a row end the table.
Merged cells are not marked: a vertically merged cell prints as an empty cell in the
rows it covers and a horizontally merged one prints once, so rows come out ragged.
``[image: …]`` and ``[bookmark: …]`` are export artefacts and are dropped.
"""

from __future__ import annotations

import re

from parsers.document import Block, Document, GridCell, Table, on_lines
from parsers.errors import ExtractionError

_ARTEFACT = re.compile(r"\[(?:image|bookmark):[^\]]*\]")


def strip_artefacts(text: str) -> str:
    return _ARTEFACT.sub("", text)


def extract_seedtext(data: bytes) -> Document:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractionError(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    blocks: list[Block] = []
    rows: list[list[tuple[str, int, int]]] = []  # the table being read
    row: list[tuple[str, int, int]] = []  # the row being read: each cell's text, first and last line
    blanks = 0  # blank lines seen since the last non-blank one

    def end_row() -> None:
        nonlocal row
        if row:
            rows.append(row)
            row = []

    def end_table() -> None:
        nonlocal rows
        end_row()
        if rows:
            table = Table([[GridCell(on_lines(strip_artefacts(text).strip(), first, last)) for text, first, last in r] for r in rows])
            blocks.append(Block("table", table=table))
            rows = []

    for number, line in enumerate(lines, 1):
        if not line.strip(" "):
            blanks += 1
            end_row()
            if blanks >= 2:
                end_table()
            continue
        if line.startswith("\t"):
            row.append((line[1:], number, number))
        elif row and blanks == 0:
            text, first, _ = row[-1]
            row[-1] = (text + "\n" + line, first, number)
        else:
            end_table()
            paragraph = strip_artefacts(line).strip()
            if paragraph:
                blocks.append(Block("paragraph", text=paragraph))
        blanks = 0
    end_table()
    if not blocks:
        raise ExtractionError("no text in the file")
    return Document(blocks=blocks, source_format="seedtext")
