"""CSV fields a spreadsheet opens as text, whatever a portal printed into them."""

from __future__ import annotations

import re
from typing import Any

# What a spreadsheet opening a CSV reads as the start of a formula. A portal prints what it
# likes into a cell or an agency's name ("=HYPERLINK(…)", "+cmd|…"), and a journalist opens
# the export in Excel or LibreOffice: such text is written after an apostrophe (as OWASP
# advises for CSV), so it is read as text and never run. A signed number (本年增/减 "-1")
# stays a number.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a CSV field no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _SIGNED_NUMBER.match(value):
        return "'" + value
    return value
