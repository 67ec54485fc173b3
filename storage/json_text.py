"""The archive's JSON text: how values are written to its JSON columns and read back.

orjson encodes a stored parse (40-100 KB of JSON, some 200 cells) several times faster than
the standard library, and decodes it about twice as fast: encoding each new version's parse
was an eighth of the archive writer's CPU in a first crawl. Its text is compact (no space
after ``:`` and ``,``), which the standard library reads as well; archives written before
hold the standard library's text, which reads back the same.

What orjson refuses is written and read as the standard library does, so the choice of
encoder never loses a value: an integer beyond 64 bits, a string holding a lone surrogate,
text with ``NaN`` in it. It writes NaN and infinities as ``null`` (JSON has no such
numbers, and PostgreSQL refuses the standard library's ``NaN``).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS  # {1: ...} as {"1": ...}, as json.dumps writes it
# Chinese text as itself, not \uXXXX escapes: half the bytes, and readable in sqlite3.
_FALLBACK = json.JSONEncoder(ensure_ascii=False)


class JsonText(str):
    """JSON text made already, as ``to_json`` makes it (a parse worker encodes each report it
    sends): written to a JSON column as it is, rather than decoded and encoded again."""


def to_json(value: Any) -> str:
    """``value`` as the archive writes JSON."""
    if type(value) is JsonText:
        return value
    try:
        return orjson.dumps(value, option=_OPTIONS).decode()
    except (orjson.JSONEncodeError, UnicodeDecodeError):
        return _FALLBACK.encode(value)


def from_json(text: str | bytes) -> Any:
    """A value the archive wrote as JSON (by ``to_json`` or by earlier code)."""
    # orjson takes only exact bytes and str: a subclass (a parse worker's packed report,
    # ``JsonText``) it refuses as it refuses bad JSON, and the standard library read it at a
    # third of the speed (7 % of the archive writer's samples in a first crawl went to it).
    exact = text if type(text) is str or type(text) is bytes else memoryview(text) if isinstance(text, bytes) else str(text)
    try:
        return orjson.loads(exact)
    except orjson.JSONDecodeError:
        return json.loads(text)
