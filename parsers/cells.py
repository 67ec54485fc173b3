"""Reading one printed table value into a typed :class:`~parsers.report.Cell`.

The printed text is kept; the typed value is read from it and never invented: a blank, a
dash or "/" is not 0, and text that is not a number stays text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from parsers.document import OcrText, PlacedText
from parsers.report import Cell, CellState

# What a printed "nothing here" is made of, one mark or several ("——", "— —", "//"): the slashes,
# hyphens, dashes and rules of Word, WPS and GB2312 input methods. GB2312 has no U+2014, and
# text converted from it prints "——" as two horizontal bars (U+2015); "−" is Word's minus.
DASH_MARKS = frozenset("/／\\＼-－‐‑‒–—―−﹣─━")

_NUMBER = re.compile(
    r"""^(?P<sign>[+\-−])?
        (?P<digits>\d[\d,]*(?:\.\d+)?)
        (?P<unit>万元|亿元|万|元|件|个|条|项|次|人次|人)?
        (?:\(.*\))?$""",
    re.VERBOSE,
)

# A note's mark typed as its own character after a value: superscript digits and circled
# numbers, which NFKC folds into digits ("15¹", "20373①" read as 151 and 203731). The value is
# read without it; the printed text keeps it.
_NOTE_MARK = re.compile(r"(?<=[^\s¹²³⁰-⁹①-⑳])\s*[¹²³⁰-⁹①-⑳]+$")

# Money units as printed -> the unit we record, and the factor to 万元.
_MONEY_UNITS = {"万元": ("万元", 1), "万": ("万元", 1), "元": ("元", 0.0001), "亿元": ("亿元", 10000)}


# Characters that print nothing: zero-width spaces and joiners, a byte-order mark, a soft
# hyphen. Pasted from web pages and WPS into a cell, they made "5" text that no rule checked.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def clean_raw(text: str) -> str:
    """The printed text with white space (ideographic and no-break spaces too) folded and
    characters that print nothing left out.

    Every format must give the same raw text for the same printed cell, and extractors
    differ only in white space, so white space is folded here.
    """
    return " ".join(text.translate(_INVISIBLE).split())


def parse_cell(text: str, *, money: bool = False, header_unit: str | None = None) -> Cell:
    """Type one printed value.

    ``money`` marks a column of amounts (采购总金额, 收费金额); ``header_unit`` is the unit the
    column header prints (e.g. "万元" from "（单位：万元）"), used when the cell prints none.
    """
    raw = clean_raw(text)
    value, unit, state, value_wan = _typed(raw, money, header_unit)
    cell = Cell(raw, value, unit, state, value_wan, money)  # by position: a table parser makes hundreds
    if isinstance(text, PlacedText):
        cell.location = text.location
        if isinstance(text, OcrText):
            cell.ocr_confidence = text.confidence
            cell.ocr_flagged = text.flagged or _misread_shape(raw, state)
    return cell


@lru_cache(maxsize=4096)
def cell_state(text: str) -> CellState:
    """``parse_cell(text).state`` without making the cell; cached, tables ask it of every slot, often twice."""
    return _typed(clean_raw(text), False, None)[2]


def _misread_shape(raw: str, state: CellState) -> bool:
    """An OCR reading shaped like a misreading, however sure the engine was: a number with
    white space inside ("0 0": two cells read as one where a ruling was lost) or text with
    digits in it ("1o", "/0")."""
    if state == "number":
        return " " in raw
    return state == "text" and any(ch.isdigit() for ch in raw)


@lru_cache(maxsize=4096)
def _typed(raw: str, money: bool, header_unit: str | None) -> tuple[int | float | None, str | None, CellState, int | float | None]:
    """(value, unit, state, value_wan) of a folded printed value; cached, tables repeat "0" hundreds of times."""
    if not raw:
        return None, None, "blank", None
    if _is_dash(raw):
        return None, None, "dash", None
    folded = unicodedata.normalize("NFKC", _NOTE_MARK.sub("", raw)).replace(" ", "").replace("，", ",")
    match = _NUMBER.match(folded)
    if match is None:
        return None, None, "text", None
    digits = match.group("digits").replace(",", "")
    value: int | float = float(digits) if "." in digits else int(digits)
    if match.group("sign") in ("-", "−"):  # Word's minus sign (U+2212), which NFKC leaves as it is
        value = -value
    unit = match.group("unit") or (header_unit if money else None)
    value_wan: int | float | None = None
    if money:
        if unit in _MONEY_UNITS:
            unit, factor = _MONEY_UNITS[unit]
            value_wan = tidy_number(value * factor)
        elif value == 0:
            value_wan = 0
    return value, unit, "number", value_wan


def _is_dash(raw: str) -> bool:
    return len(raw) <= 6 and all(char in DASH_MARKS or char == " " for char in raw) and raw.strip() != ""


def tidy_number(number: float) -> int | float:
    """Round away float noise (251000 * 0.0001) and give integers back as int."""
    rounded = round(number, 6)
    return int(rounded) if float(rounded).is_integer() else rounded
