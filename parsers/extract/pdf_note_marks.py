"""Note marks on a PDF page: superscripts told by their characters' size and baseline.

A note's mark printed beside a value ("26" with a raised "1", Word's footnote reference or a
superscript run) is a smaller character standing higher than the one before it; its middle
is far enough above the value's to be read as a line of its own, and a cell printed "1 26",
read as 126. Such characters, shaped like a mark (``parsers.extract.note_marks``), are left
out of a page's characters as either reader (pdfium or pdfminer) gives them, before its
tables and lines are found.
"""

from __future__ import annotations

from operator import attrgetter

from parsers.extract.note_marks import MARK_CHARACTERS, follows_unit, is_note_mark
from parsers.extract.pdf_page import Char

# A mark is printed at most this share of the size of the character it follows (LibreOffice
# sets superscripts at 58%, Word at about two thirds), its bottom raised above that
# character's by at least this share of that character's size (a third, by both); text set
# smaller on the same line shares its baseline.
_SMALLER, _RAISED = 0.85, 0.15
# Sizes of the character before a mark that the mark may stand right of it, or overlap it.
_GAP, _OVERLAP = 0.5, 0.2
_SIZE = attrgetter("size")


def without_note_marks(chars: list[Char]) -> list[Char]:
    """``chars`` (a page's, in the order its content prints them) without the characters of
    note marks printed as superscripts after other text.

    A mark is looked for right after the character it follows in that order, where Word,
    WPS and LibreOffice print it: looking for it by where it stands cost a twentieth of a
    PDF's reading, the digits of every table being smaller than a page's title.
    """
    if not chars:
        return chars
    limit = _SMALLER * max(map(_SIZE, chars))
    candidates = [index for index, char in enumerate(chars) if char.text in MARK_CHARACTERS and char.size <= limit]
    if not candidates:  # most pages: one size of text, or no small digits or signs
        return chars
    marks: set[int] = set()
    # The character a mark follows, widened over the mark: the gap the mark leaves read as a
    # space ("11210 条") where the mark was.
    widened: dict[int, Char] = {}
    for run in _runs(chars, candidates):
        base = _base(chars, run)
        if base is not None and is_note_mark("".join(chars[index].text for index in run)):
            marks.update(run)
            last = chars[run[-1]]
            widened[id(base)] = Char(base.text, base.x0, max(base.x1, last.x1), base.top, base.bottom, base.size)
    if not marks:
        return chars
    return [widened.get(id(char), char) for index, char in enumerate(chars) if index not in marks]


def _runs(chars: list[Char], candidates: list[int]) -> list[list[int]]:
    """The ``candidates`` (positions in ``chars``) in runs printed one after another at one
    size and baseline ("注1", "12")."""
    runs: list[list[int]] = []
    for index in candidates:
        if runs and runs[-1][-1] == index - 1:
            char, last = chars[index], chars[index - 1]
            if abs(char.bottom - last.bottom) <= _OVERLAP * char.size and abs(char.size - last.size) <= _OVERLAP:
                runs[-1].append(index)
                continue
        runs.append([index])
    return runs


def _base(chars: list[Char], run: list[int]) -> Char | None:
    """The character printed before ``run`` when the run is a superscript to it: larger, ending
    just left of it, its bottom well below the run's, and no letter of a unit (m², km³)."""
    index = run[0] - 1
    while index >= 0 and chars[index].text.isspace():
        index -= 1
    if index < 0:
        return None
    base, mark = chars[index], chars[run[0]]
    size = base.size
    if mark.size > _SMALLER * size or not -_OVERLAP * size <= mark.x0 - base.x1 <= _GAP * size:
        return None
    if base.bottom - mark.bottom < _RAISED * size or mark.top < base.top - _GAP * size or follows_unit(base.text):
        return None
    return base
