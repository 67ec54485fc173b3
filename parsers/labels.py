"""Label normalisation: how printed row/column labels and headings are compared.

Printed labels drift in white space (line breaks inside cells), bracket width, the style of
their numbering (1． 1. 1、) and notes in parentheses; every table parser compares labels
through :func:`label_key` so the same drift is forgiven everywhere.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from parsers.extract.seedtext import strip_artefacts

_SPACE = re.compile(r"\s+")
# Table 2's signed 本年增/减 column as printed: 本年增/减, 本年增（减）, 增、减, 增减, 增加或减少.
SIGNED_COLUMN = re.compile(r"增[/／、(（]?减|增加[/／、或]?减少")
# Leading numbering: 一、 （一） (1) 1） 1． 1. 1、 ① ...; Chinese numbers up to 十. Circled
# numbers are matched before NFKC, which folds ① into a bare 1.
_NUMBERING = re.compile(r"^(?:[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．，,]|\d{1,2}\s*[、.．，,)）](?!\d))\s*")
_CIRCLED_NUMBER = re.compile(r"^[①-⑳]\s*")
_NOTE = re.compile(r"[(（][^()（）]*[)）]")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」《》")
_CN_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


# Cached (here and in label_key): every report prints the same few hundred labels, and the
# results are plain strings whatever the text carried (a cell's location stays with the cell).
@functools.lru_cache(maxsize=8192)
def printed_label(text: str) -> str:
    """A label as output: the printed text with all white space and export artefacts removed."""
    return _SPACE.sub("", strip_artefacts(text))


@functools.lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A label reduced for matching: NFKC, no white space, numbering, notes or quotes."""
    folded = unicodedata.normalize("NFKC", _CIRCLED_NUMBER.sub("", printed_label(text)))
    folded = _NUMBERING.sub("", folded)
    previous = None
    while previous != folded:  # nested notes "（…（…）…）"
        previous, folded = folded, _NOTE.sub("", folded)
    return folded.translate(_QUOTES)


def starts_numbered(text: str) -> bool:
    """True when a label starts with a row number (一、 （一） 1． 1、 …): the start of a row, not a wrapped tail."""
    label = printed_label(text)
    return bool(_CIRCLED_NUMBER.match(label) or _NUMBERING.match(unicodedata.normalize("NFKC", label)))


def compact(text: str) -> str:
    """NFKC with white space removed, for substring tests on labels and table text."""
    # Labels (column names, row labels) recur in every report and are cached; a whole
    # table's text is long and never seen twice, so it is not.
    return _compact_label(text) if len(text) <= _LABEL_MAX_CHARS else _compact(text)


_LABEL_MAX_CHARS = 64


@functools.lru_cache(maxsize=4096)
def _compact_label(text: str) -> str:
    return _compact(text)


def _compact(text: str) -> str:
    return unicodedata.normalize("NFKC", _SPACE.sub("", text))


def chinese_number(text: str) -> int | None:
    """1-99 from "三", "十二", "二十一" or arabic digits; None for anything else."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_NUMBER for ch in text):
        return None
    if len(text) == 1:
        return _CN_NUMBER[text]
    tens, _, units = text.partition("十")
    if "十" not in text or len(units) > 1 or len(tens) > 1:
        return None
    return (_CN_NUMBER[tens] if tens else 1) * 10 + (_CN_NUMBER[units] if units else 0)


# A printed label this short is matched only exactly: one wrong character in "总计" or
# "其他" makes another word ("小计"), not a typo.
_FUZZY_MIN_CHARS = 4
# Edits allowed per character of the standard label: a dropped or wrong character in a
# 4-7 character label, up to three in the long ones ("其他法律行政止公开" for
# "其他法律行政法规禁止公开" drops 法规禁).
_FUZZY_EDITS_PER_CHAR = 0.25


def closest_label(key: str, standard: dict[str, str]) -> str | None:
    """The value of the one ``standard`` label key ``key`` is a misprint of, or None.

    ``key`` and the keys of ``standard`` are :func:`label_key` forms. A label matches when
    its edit distance to a standard label is small for that label's length, and smaller
    than to any other standard label (a tie names no row).
    """
    scored = sorted(
        (edit_distance(key, candidate), candidate)
        for candidate in standard
        if len(candidate) >= _FUZZY_MIN_CHARS and abs(len(candidate) - len(key)) <= _allowed_edits(candidate)
    )
    if not scored:
        return None
    distance, best = scored[0]
    if distance > _allowed_edits(best) or (len(scored) > 1 and scored[1][0] == distance):
        return None
    return standard[best]


def _allowed_edits(candidate: str) -> int:
    return max(1, int(len(candidate) * _FUZZY_EDITS_PER_CHAR))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions and substitutions of one character)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]
