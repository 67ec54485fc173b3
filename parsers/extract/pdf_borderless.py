"""PDF tables printed without ruling lines: rows and columns found from where the words stand.

Offices that save a borderless Word or web table as PDF leave no rulings for
``pdf_tables.find_tables`` to follow, so such a page is read this way only when it has no
ruled table. A line of a table breaks into words at gaps far wider than a space (the cells);
a run of lines with three or more such words is a table. Its columns are the vertical
"rivers" of white that the words of most of those lines leave free (a header or a label
spanning several columns crosses a river without closing it), its rows are the lines that
fill more than one column, and a line with words in one column only (a label wrapped in its
cell, the number beside it centred between the label's lines) joins the row nearest it. The
result is a ``TableFragment`` like a ruled table's, so the same grid building, page joining
and table parsers read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.cells import parse_cell
from parsers.extract.pdf_page import Char
from parsers.extract.pdf_tables import TableFragment

# Character sizes: a wider gap between two characters of a line separates cells. Narrow number
# columns leave half a digit between neighbours; Chinese prose sets its characters edge to edge.
_CELL_GAP = 0.4
_MIN_SPACED, _SPACED_SHARE = 3, 0.75  # a line of this many pieces, this share single characters, is letter-spaced
_DIGIT_GAP = 0.08  # a number is set without gaps: two digits further apart stand in two cells
_MIN_WORDS = 3  # words a line needs to be a table row
_MIN_ROWS = 2  # such lines a run needs to be a table
_MIN_COLUMNS = 3
_RIVER_SHARE = 0.34  # a column boundary may be crossed by at most this share of the table's rows
_INTERIOR_LINES = 3  # lines of other shapes a table may hold between two of its rows (wrapped labels)
_JOIN_PITCH = 1.05  # line pitches within which a one-column line joins its nearest row
_JOIN_UP_PITCH = 0.75  # line pitches within which it joins a row above it
_HEADER_LINES = 4  # lines above the first row that may be the table's header
_PARAGRAPH_SHARE = 0.5  # a line of the page's own text runs across most of the table's width
_SECTION_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}|\d{1,2})、")


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    chars: list[Char]


@dataclass
class _Line:
    words: list[_Word]

    @property
    def middle(self) -> float:
        return sum((w.top + w.bottom) / 2 for w in self.words) / len(self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


@dataclass
class _Row:
    lines: list[_Line] = field(default_factory=list)


def find_borderless_tables(page_lines: list[list[Char]]) -> list[tuple[tuple[float, float, float, float], TableFragment]]:
    """(bounding box, fragment) of every table a page prints without rulings, top to bottom,
    from its characters in lines (``pdf_page.char_lines``)."""
    lines = [_Line(words) for line in page_lines if (words := _words(line))]
    found = []
    for run in _runs(lines):
        for part in _split(run, lines):
            table = _table(part)
            if table is not None:
                found.append(table)
    return found


def _words(line: list[Char]) -> list[_Word]:
    """The line's characters cut at gaps wider than ``_CELL_GAP`` character sizes (white space is a gap)."""
    words: list[_Word] = []
    current: list[Char] = []
    for char in line:
        if char.text.isspace():
            continue
        gap = _DIGIT_GAP if char.text.isdigit() and current and current[-1].text.isdigit() else _CELL_GAP
        if current and char.x0 - current[-1].x1 > gap * max(char.size, current[-1].size):
            words.append(_word(current))
            current = []
        current.append(char)
    if current:
        words.append(_word(current))
    if len(words) >= _MIN_SPACED and sum(len(w.text) == 1 and not w.text.isdigit() for w in words) >= _SPACED_SHARE * len(words):
        # Text set with wide character spacing (字符间距加宽: a title, a heading, a whole
        # paragraph), each character standing alone: one piece of text, never a table's row.
        return [_word([char for word in words for char in word.chars])]
    return words


def _word(chars: list[Char]) -> _Word:
    return _Word("".join(c.text for c in chars), chars[0].x0, chars[-1].x1,
                 min(c.top for c in chars), max(c.bottom for c in chars), chars)


def _runs(lines: list[_Line]) -> list[list[_Line]]:
    """Runs of lines from a table row to a table row (or a row of a label and numbers), with at most ``_INTERIOR_LINES`` others
    between two rows, and the one-column lines right under the last row (its wrapped label)."""
    runs: list[list[_Line]] = []
    current: list[_Line] = []
    others: list[_Line] = []
    for line in lines:
        # Inside a table, a label and its one number is a row too (a section of two columns).
        if len(line.words) >= _MIN_WORDS or (current and len(line.words) > 1 and any(_is_number(w.text) for w in line.words)):
            current.extend(others)
            current.append(line)
            others = []
        elif current and len(others) < _INTERIOR_LINES:
            others.append(line)
        else:
            _close(runs, current, others)
            current, others = [], []
    _close(runs, current, others)
    return runs


def _close(runs: list[list[_Line]], current: list[_Line], others: list[_Line]) -> None:
    if sum(len(line.words) >= _MIN_WORDS for line in current) < _MIN_ROWS:
        return
    pitch = _pitch(current)
    last = current[-1]
    for line in others:  # the last row's label wrapped under it, not the text after the table
        if len(line.words) > 1 or line.middle - last.middle > _JOIN_PITCH * pitch or line.words[0].x0 > current[-1].words[0].x1:
            break
        current.append(line)
        last = line
    runs.append(current)


def _split(run: list[_Line], lines: list[_Line]) -> list[list[_Line]]:
    """The run cut at lines that read as the page's own (see ``_page_line``: a heading between
    two tables), each part with its header.

    A header is the lines right above a part's first row that are not the page's own text
    either: lines of two or more words, or a word standing in from the left edge (a title
    centred over the value columns).
    """
    rows = [line for line in run if len(line.words) >= _MIN_WORDS]
    columns = _columns(rows)
    parts: list[list[_Line]] = [[]]
    for line in run:
        if len(line.words) == 1 and _page_line(line.words[0], columns):
            parts.append([])
        else:
            parts[-1].append(line)
    out = []
    for index, part in enumerate(parts):
        first = next((i for i, line in enumerate(part) if len(line.words) >= _MIN_WORDS), None)
        if first is None:
            continue
        # Above the first row: the part's own lines, and for the first part the page's lines above the run.
        above = part[:first] if index else lines[max(0, lines.index(part[0]) - _HEADER_LINES) : lines.index(part[0])] + part[:first]
        header: list[_Line] = []
        for line in reversed(above[-_HEADER_LINES:]):
            if len(line.words) == 1 and (_page_line(line.words[0], columns) or line.words[0].x0 <= columns[0] + 1):
                break
            header.insert(0, line)
        out.append(header + part[first:])
    return out


def _page_line(word: _Word, columns: list[float]) -> bool:
    """A heading of the report ("三、收到和处理…") or a paragraph line running across the columns."""
    if word.x0 > columns[0] + 1:
        return False
    crossed = sum(word.x0 < x < word.x1 for x in columns[1:-1])
    across = crossed >= 2 and word.x1 - word.x0 >= _PARAGRAPH_SHARE * (columns[-1] - columns[0])
    # A heading runs past the label column; a label "三、本年度办理结果" wraps inside it.
    return across or (crossed >= 1 and bool(_SECTION_HEADING.match(word.text)))


def _pitch(lines: list[_Line], smallest: bool = False) -> float:
    """The median (or smallest) distance between consecutive lines."""
    gaps = sorted(b.middle - a.middle for a, b in zip(lines, lines[1:]))
    if not gaps:
        return 0.0
    return gaps[0] if smallest else gaps[len(gaps) // 2]


def _table(run: list[_Line]) -> tuple[tuple[float, float, float, float], TableFragment] | None:
    columns = _columns([line for line in run if len(line.words) >= _MIN_WORDS])
    if len(columns) - 1 < _MIN_COLUMNS:
        return None
    rows = _rows(run, columns)
    # Lines in columns without a number among them (a header standing apart, a list set in
    # columns) are left to be read as text.
    filled = [row for row in rows if len(_slots(row, columns)) > 1]
    if len(filled) < _MIN_ROWS or not any(_is_number(w.text) for row in filled for line in row.lines for w in line.words):
        return None
    middles = [sum(line.middle for line in row.lines) / len(row.lines) for row in rows]
    top, bottom = min(line.top for line in run), max(line.bottom for line in run)
    edges = [top] + [(a + b) / 2 for a, b in zip(middles, middles[1:])] + [bottom]
    cells = []
    for row, (row_top, row_bottom) in zip(rows, zip(edges, edges[1:])):
        for (first, last), text in _slots(row, columns).items():
            cells.append(((columns[first], row_top, columns[last + 1], row_bottom), text))
    bbox = (columns[0], top, columns[-1], bottom)
    return bbox, TableFragment(cells=cells, columns=columns, loose=True)


def _columns(rows: list[_Line]) -> list[float]:
    """Column boundaries, left to right: the table's outer edges and the right bank of every river."""
    words = [word for line in rows for word in line.words]
    left, right = min(w.x0 for w in words), max(w.x1 for w in words)
    # Sweep the word edges: how many rows have ink at each x between two edges.
    xs = sorted({x for w in words for x in (w.x0, w.x1)})
    allowed = _RIVER_SHARE * len(rows)
    boundaries = [left]
    river_start: float | None = None
    for a, b in zip(xs, xs[1:]):
        middle = (a + b) / 2
        crossing = sum(any(w.x0 < middle < w.x1 for w in line.words) for line in rows)
        if crossing <= allowed:
            river_start = a if river_start is None else river_start
        elif river_start is not None:
            # At the river's right bank, where the next column's words start: labels run
            # left-aligned into a river, values stand clear of it.
            boundaries.append(max(river_start, a - 1.0))
            river_start = None
    boundaries.append(right)
    return boundaries


def _rows(run: list[_Line], columns: list[float]) -> list[_Row]:
    """The table's rows: each line holding a number is a row; the lines above the first of
    them make the header row; a line with words only left of the value columns (a label
    wrapped in its cell) joins the nearest numbered line within ``_JOIN_PITCH`` line pitches,
    the one below on a tie; any other line is a row of its own (a sub-header)."""
    numbered = [line for line in run if any(_is_number(w.text) for w in line.words)]
    # Between two numbered lines: a row of one line's height at least (sub-headings may stand
    # between most), where a wrapped label puts a line of its own half a pitch from its number.
    pitch = _pitch(numbered, smallest=True)
    values = {_span(w, columns)[0] for line in numbered for w in line.words if _is_number(w.text)}
    first_value = min(values, default=len(columns))
    rows: dict[int, _Row] = {id(line): _Row([line]) for line in numbered}
    ordered: list[_Row] = []
    header = _Row()
    for line in run:
        if id(line) in rows:
            ordered.append(rows[id(line)])
        elif not ordered and numbered:
            header.lines.append(line)
        elif all(_span(w, columns)[1] < first_value for w in line.words) and (near := _nearest(line, numbered, pitch)):
            rows[id(near)].lines.append(line)
        else:
            ordered.append(_Row([line]))
    for row in ordered:
        row.lines.sort(key=lambda line: line.middle)
    return ([header] if header.lines else []) + ordered


def _nearest(line: _Line, numbered: list[_Line], pitch: float) -> _Line | None:
    """The numbered line nearest ``line`` (below it within ``_JOIN_PITCH`` pitches, above it within
    ``_JOIN_UP_PITCH``); the lower one on a tie."""
    # Upwards only from half a pitch: a one-column line a full line under a row is more often
    # a sub-heading of the table than the end of a label whose number stood on its first line.
    near = [n for n in numbered if 0 <= n.middle - line.middle <= _JOIN_PITCH * pitch
            or 0 < line.middle - n.middle <= _JOIN_UP_PITCH * pitch]
    return min(near, key=lambda n: (round(abs(n.middle - line.middle) / (0.1 * pitch)), -n.middle), default=None)


def _is_number(text: str) -> bool:
    return parse_cell(text).state == "number"


def _span(word: _Word, columns: list[float]) -> tuple[int, int]:
    """The first and last column a word stands in (by more than a sliver)."""
    inside = [i for i in range(len(columns) - 1)
              if min(word.x1, columns[i + 1]) - max(word.x0, columns[i]) > 0.25 * min(word.x1 - word.x0, columns[i + 1] - columns[i])]
    if not inside:  # a word in a river: the column its middle is nearest
        middle = (word.x0 + word.x1) / 2
        nearest = min(range(len(columns) - 1), key=lambda i: abs((columns[i] + columns[i + 1]) / 2 - middle))
        return nearest, nearest
    return inside[0], inside[-1]


def _slots(row: _Row, columns: list[float]) -> dict[tuple[int, int], str]:
    """The row's text by column span; lines of one cell joined with newlines."""
    slots: dict[tuple[int, int], list[str]] = {}
    for line in row.lines:
        by_span: dict[tuple[int, int], list[str]] = {}
        for word in (piece for word in line.words for piece in _cut_at_columns(word, columns)):
            by_span.setdefault(_span(word, columns), []).append(word.text)
        for span, texts in by_span.items():
            slots.setdefault(span, []).append("".join(texts))
    return {span: "\n".join(texts) for span, texts in sorted(slots.items())}


def _cut_at_columns(word: _Word, columns: list[float]) -> list[_Word]:
    """A word cut where a column boundary falls in a gap between two of its characters: the
    texts of two narrow cells set close together. A label spanning columns is set without gaps."""
    pieces: list[_Word] = []
    start = 0
    for i in range(1, len(word.chars)):
        before, after = word.chars[i - 1], word.chars[i]
        if after.x0 - before.x1 > _DIGIT_GAP * max(before.size, after.size) and any(
            before.x1 - 1 <= x <= after.x0 + 1 for x in columns[1:-1]
        ):
            pieces.append(_word(word.chars[start:i]))
            start = i
    return [*pieces, _word(word.chars[start:])] if pieces else [word]
