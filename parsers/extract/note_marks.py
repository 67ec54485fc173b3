"""Footnote and endnote marks: what a superscript prints when it refers to a note.

Word, WPS and portal editors set a note's mark beside what it annotates, raised and smaller:
"15¹", "20373①", "64*", "3注1". Read as text of the same line, the mark became digits of
the value ("15" read as 151, "①" folded by NFKC to 1), a wrong number nobody was told
about. Each extractor leaves out a superscript shaped like a mark (this module says which
are), except after a Latin letter, where it is a unit's power (m², km³).
"""

from __future__ import annotations

import re

# A mark: digits, circled or bracketed numbers, or the signs notes use, with 注 or 注释 before
# them ("注1"), in brackets or not ("[1]", "（2）").
_MARK = re.compile(r"^[\[［(（〔]?(?:注释?)?[0-9①-⑳*＊※†‡§#＃,，、]+[\]］)）〕]?$")
# Every character a mark may hold: a cheap test before a page's characters are looked at closer.
MARK_CHARACTERS = frozenset("0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳*＊※†‡§#＃,，、注释[［(（〔]］)）〕")


def is_note_mark(text: str) -> bool:
    """Whether ``text``, printed as a superscript, is a note's mark."""
    return _MARK.match(text.strip()) is not None


def follows_unit(before: str) -> bool:
    """Whether a superscript after ``before`` (the text printed just before it) is a unit's power, not a mark."""
    return before[-1:].isascii() and before[-1:].isalpha()
