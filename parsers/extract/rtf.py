"""Extractor for RTF files (portals serve them named .doc): paragraphs and tables.

RTF is read token by token: text, ``\\uN`` and ``\\'hh`` characters (the latter in the
document's ``\\ansicpg`` code page), ``\\par``/``\\line`` breaks, and the table words
``\\cell``/``\\row`` with the merge markers ``\\clmrg`` (merged into the cell on the left) and
``\\clvmrg`` (into the cell above). Groups that hold no body text (font and colour tables,
style sheets, document info, pictures, ``{\\*…}`` destinations) are skipped.
"""

from __future__ import annotations

import re

from parsers.document import Block, Document, GridCell, Table
from parsers.errors import ExtractionError
from parsers.limits import check

_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([\r\n]+)|([^\\{}\r\n]+)", re.S)
_SKIPPED = frozenset({b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"header", b"footer",
                      b"headerl", b"headerr", b"footerl", b"footerr", b"listtable", b"listoverridetable",
                      b"rsidtbl", b"generator", b"xmlnstbl", b"themedata", b"latentstyles", b"datastore"})
_CODEPAGES = {936: "gb18030", 950: "big5", 1252: "cp1252", 65001: "utf-8"}


class _Reader:
    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.blocks: list[Block] = []
        self.text: list[str] = []  # the paragraph or cell being read
        self.pending = bytearray()  # \'hh bytes waiting to be decoded together (a GBK character is two)
        self.rows: list[list[GridCell]] = []
        self.row: list[GridCell] = []
        self.merges: list[str] = []  # per cell of the row being defined: "", "h" or "v"
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
        merge = self.merges[col] if col < len(self.merges) else ""
        r = len(self.rows)
        origin = None
        if merge == "h" and self.row:
            origin = self.row[-1].span_of or (r, col - 1)
        elif merge == "v" and self.rows and col < len(self.rows[-1]):
            origin = self.rows[-1][col].span_of or (r - 1, col)
        spanned = self.rows_text(origin) if origin else None
        self.row.append(GridCell(text) if spanned is None else GridCell(spanned, span_of=origin))

    def rows_text(self, origin: tuple[int, int]) -> str | None:
        """The text of the cell a merge points at; None when it is not in this table (a
        paragraph mark ended the table halfway through a row: the merge has nothing to join)."""
        r, c = origin
        row = self.row if r == len(self.rows) else self.rows[r] if r < len(self.rows) else None
        return row[c].text if row is not None and c < len(row) else None

    def end_row(self) -> None:
        self.take_text()
        self.rows.append(self.row)
        self.row = []

    def end_table(self) -> None:
        if self.rows:
            self.blocks.append(Block("table", table=Table(self.rows)))
        self.rows = []
        self.in_table = False


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
        reader.merges = []
    elif word == b"clmrg":
        reader.next_merge = "h"
    elif word == b"clvmrg":
        reader.next_merge = "v"
    elif word == b"cellx":
        reader.merges.append(reader.next_merge)
        reader.next_merge = ""
    elif word == b"cell":
        reader.cell()
    elif word == b"row":
        reader.end_row()
    return 0

