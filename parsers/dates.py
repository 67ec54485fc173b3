"""Printed dates ("2021年1月29日", "二〇二一年一月二十九日", "2021-01-29 10:00") as ISO dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from parsers.labels import chinese_number

_YEAR_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN = "〇○零Ｏ一二三四五六七八九十"
# A year's digits typed one by one, the zero as 〇, ○, 零, a letter O or a digit 0 ("二0二一"):
# after NFKC a full-width Ｏ is a Latin O.
_YEAR = "〇○零ＯO0一二三四五六七八九"
_PRINTED = re.compile(rf"(\d{{4}}|[{_YEAR}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日")
_ISO_LIKE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def printed_year(text: str) -> int | None:
    """A year printed in digits or digit by digit in Chinese numerals ("二〇二〇")."""
    digits = "".join(_YEAR_DIGITS.get(ch, ch) for ch in text)
    return int(digits) if digits.isdigit() else None


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> str | None:
    """The first date printed in ``text`` as YYYY-MM-DD, or None."""
    text = unicodedata.normalize("NFKC", text)
    match = _PRINTED.search(text)
    if match:
        return _iso(printed_year(match.group(1)), chinese_number(match.group(2)), chinese_number(match.group(3)))
    match = _ISO_LIKE.search(text)
    if match:
        return _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return None


def ending_date(text: str) -> tuple[str, str] | None:
    """(what is printed before it, the date as YYYY-MM-DD) when ``text`` ends with a printed date."""
    folded = unicodedata.normalize("NFKC", text).rstrip()
    for pattern in (_PRINTED, _ISO_LIKE):
        for match in pattern.finditer(folded):
            if match.end() == len(folded):
                found = find_date(match.group(0))
                return (folded[: match.start()].strip(), found) if found else None
    return None


def is_date_line(text: str) -> bool:
    """True when the line is a date and nothing else (a signature date)."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    match = _PRINTED.fullmatch(folded) or _ISO_LIKE.fullmatch(folded)
    return match is not None and find_date(folded) is not None
