"""Extractor for RTF files (portals serve them named .doc): paragraphs and tables.

RTF is read token by token: text, ``\\uN`` and ``\\'hh`` characters (the latter in the
document's ``\\ansicpg`` code page), ``\\par``/``\\line`` breaks, and the table words
``\\cell``/``\\row`` with the merge markers ``\\clmrg`` (merged into the cell on the left) and
``\\clvmrg`` (into the cell above). Groups that hold no body text (font and colour tables,
style sheets, document info, pictures, ``{\\*…}`` destinations) are skipped.

Word writes a cell merged across columns as one wider cell, not with ``\\clmrg``: each row
lists its cells' right edges (``\\cellxN``), and a table's grid is every edge any of its rows
has. A cell covers the grid columns between its edges, so the values under a header merged
over five columns stand under it, and a cell merged down is the one above at its grid column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.document import Block, Document, GridCell, Table
from parsers.errors import ExtractionError
from parsers.limits import check, take_table_slots

_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([\r\n]+)|([^\\{}\r\n]+)", re.S)
_SKIPPED = frozenset({b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"header", b"footer",
                      b"headerl", b"headerr", b"footerl", b"footerr", b"listtable", b"listoverridetable",
                      b"rsidtbl", b"generator", b"xmlnstbl", b"themedata", b"latentstyles", b"datastore"})
_CODEPAGES = {936: "gb18030", 950: "big5", 1252: "cp1252", 65001: "utf-8"}
# Edges this close (in twips, 1/1440 inch) are one: writers round widths each row on its own.
_EDGE_TOLERANCE = 20


@dataclass(frozen=True)
class _Cell:
    """A cell as its row defines it: text, merge marker ("", "h" or "v"), and [left, right) edges
    (None where the row prints more cells than it defines)."""

    text: str
    merge: str
    left: int | None
    right: int | None


class _Reader:
    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.blocks: list[Block] = []
        self.text: list[str] = []  # the paragraph or cell being read
        self.pending = bytearray()  # \'hh bytes waiting to be decoded together (a GBK character is two)
        self.rows: list[list[_Cell]] = []
        self.row: list[_Cell] = []
        self.merges: list[str] = []  # per cell of the row being defined: "", "h" or "v"
        self.edges: list[int] = []  # per cell of the row being defined: its right edge
        self.row_left = 0  # the left edge of the row's first cell (\trleft)
        self.next_merge = ""  # the merge marker of the cell whose \cellx comes next
        self.in_table = False
        self.high_surrogate: int | None = None  # a \\uN high surrogate waiting for its low half

    def flush_bytes(self) -> None:
        if self.pending:
            self.text.append(bytes(self.pending).decode(self.encoding, errors="replace"))
            self.pending.clear()

    def add(self, text: str) -> None:
        self.flush_bytes()
        self.end_surrogate()
        self.text.append(text)

    def add_code(self, code: int) -> None:
        """A ``\\uN`` character; N is a signed 16-bit value, astral characters come as surrogate pairs."""
        if -0x8000 <= code < 0:
            code += 0x10000
        if 0xDC00 <= code < 0xE000 and self.high_surrogate is not None:
            code = 0x10000 + ((self.high_surrogate - 0xD800) << 10) + (code - 0xDC00)
            self.high_surrogate = None
        elif 0xD800 <= code < 0xDC00:
            self.end_surrogate()
            self.high_surrogate = code
            return
        # A lone surrogate or a number no character has would break every later UTF-8 encode.
        self.add(chr(code) if 0 <= code <= 0x10FFFF and not 0xD800 <= code < 0xE000 else "\ufffd")

    def end_surrogate(self) -> None:
        if self.high_surrogate is not None:
            self.high_surrogate = None
            self.text.append("\ufffd")

    def take_text(self) -> str:
        self.flush_bytes()
        self.end_surrogate()
        text = "".join(self.text)
        self.text.clear()
        return text

    def paragraph(self) -> None:
        if self.in_table:
            self.add("\n")  # a paragraph mark inside a cell
            return
        self.end_table()
        text = self.take_text().strip()
        if text:
            self.blocks.append(Block("paragraph", text=text))

    def cell(self) -> None:
        text = "\n".join(line.strip() for line in self.take_text().split("\n") if line.strip())
        col = len(self.row)
        defined = col < len(self.edges)
        left = (self.edges[col - 1] if col else self.row_left) if defined else None
        self.row.append(_Cell(text, self.merges[col] if defined else "", left, self.edges[col] if defined else None))

    def end_row(self) -> None:
        self.take_text()
        self.rows.append(self.row)
        self.row = []

    def end_table(self) -> None:
        if self.rows:
            self.blocks.append(Block("table", table=Table(_grid(self.rows))))
        self.rows = []
        self.in_table = False


def _grid(rows: list[list[_Cell]]) -> list[list[GridCell]]:
    """The table's rows on its grid: a cell covers a slot for each grid edge within its own;
    slots it covers past its first, and cells merged into another, point at where it starts."""
    edges = _grid_edges(rows)
    grid: list[list[GridCell]] = []
    for r, row in enumerate(rows):
        slots: list[GridCell] = []
        for cell in row:
            start = len(slots)
            origin = None
            if cell.merge == "h" and slots:
                origin = slots[-1].span_of or (r, start - 1)
            elif cell.merge == "v" and grid and start < len(grid[-1]):
                origin = grid[-1][start].span_of or (r - 1, start)
            text = cell.text if origin is None else (slots if origin[0] == r else grid[origin[0]])[origin[1]].text
            width = _width(cell, edges)
            take_table_slots(width)  # before they are made: one row may define thousands of edges
            slots.append(GridCell(text, span_of=origin))
            slots += [GridCell(text, span_of=origin or (r, start)) for _ in range(width - 1)]
        grid.append(slots)
    return grid


def _grid_edges(rows: list[list[_Cell]]) -> list[int]:
    edges: list[int] = []
    for edge in sorted({cell.right for row in rows for cell in row if cell.right is not None}):
        if not edges or edge - edges[-1] > _EDGE_TOLERANCE:
            edges.append(edge)
    return edges


def _width(cell: _Cell, edges: list[int]) -> int:
    """How many grid columns the cell covers: the grid edges past its left edge, up to its right one."""
    if cell.left is None or cell.right is None:
        return 1
    return max(1, sum(1 for edge in edges if cell.left + _EDGE_TOLERANCE < edge <= cell.right + _EDGE_TOLERANCE))


def extract_rtf(data: bytes) -> Document:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError("not an RTF file: no {\\rtf header")
    codepage = re.search(rb"\\ansicpg(\d+)", data[:2048])
    reader = _Reader(_CODEPAGES.get(int(codepage.group(1)), "gb18030") if codepage else "gb18030")
    stack: list[tuple[bool, int]] = []  # per open group: (skipped, \uc skip count)
    skipped, uc, to_skip = False, 1, 0
    for word, arg, hexbyte, symbol, brace, newline, text in _TOKEN.findall(data):
        if brace == b"{":
            stack.append((skipped, uc))
            check("nesting_depth", len(stack))
            continue
        if brace == b"}":
            skipped, uc = stack.pop() if stack else (False, 1)
            continue
        if newline:
            continue
        if to_skip and (text or hexbyte):  # the fallback characters after \uN
            if text:
                consumed = min(to_skip, len(text))
                text, to_skip = text[consumed:], to_skip - consumed
            else:
                to_skip -= 1
                continue
        if symbol == b"*":
            skipped = True
        elif word in _SKIPPED:
            skipped = True
        if skipped:
            continue
        if word:
            to_skip = _control(reader, word, arg, uc)
            if word == b"uc":
                uc = max(0, int(arg or 1))
        elif hexbyte:
            reader.pending.append(int(hexbyte, 16))
        elif symbol in (b"\\", b"{", b"}"):
            reader.add(symbol.decode())
        elif symbol == b"~":
            reader.add("\u00a0")
        elif text:
            reader.add(text.decode(reader.encoding, errors="replace"))
    reader.paragraph()
    reader.end_table()
    if not reader.blocks:
        raise ExtractionError("the RTF file has no text")
    return Document(blocks=reader.blocks, source_format="rtf")


def _control(reader: _Reader, word: bytes, arg: bytes, uc: int) -> int:
    """Apply one control word; returns how many fallback characters follow it."""
    if word == b"u":
        if not arg:
            return 0  # \u without its number is no character: ignored like an unknown word
        reader.add_code(int(arg))
        return uc
    if word == b"par":
        reader.paragraph()
    elif word in (b"line", b"sect", b"page"):
        if reader.in_table:
            reader.add("\n")
        else:
            reader.paragraph()
    elif word == b"tab":
        reader.add(" ")
    elif word == b"pard":
        reader.in_table = False  # paragraph properties reset; \intbl follows inside a table
    elif word == b"intbl":
        reader.in_table = True
    elif word == b"trowd":
        reader.merges, reader.edges, reader.row_left = [], [], 0
    elif word == b"trleft":
        reader.row_left = int(arg or 0)
    elif word == b"clmrg":
        reader.next_merge = "h"
    elif word == b"clvmrg":
        reader.next_merge = "v"
    elif word == b"cellx":
        reader.merges.append(reader.next_merge)
        reader.edges.append(int(arg or 0))
        reader.next_merge = ""
    elif word == b"cell":
        reader.cell()
    elif word == b"row":
        reader.end_row()
    return 0

