"""Text every database stores: what the record pipeline writes and parse workers send back.

Lone surrogates (from decoders that keep bad bytes) cannot be encoded for any database, and
PostgreSQL refuses NUL in text and JSON; both become U+FFFD.
"""

from __future__ import annotations

import json
import re
from functools import cache
from dataclasses import fields, is_dataclass, replace
from typing import Any

_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")


def storable(value: Any) -> Any:
    """``value`` (a capture and everything in it) with unstorable characters of its text
    replaced by U+FFFD; bytes, numbers and dates as they are. What has none comes back as the
    very object, so a clean report (almost every one) is never copied."""
    kind = type(value)  # the common kinds by their exact type first: a capture is walked per item
    if kind is str:
        return value if value.isascii() and "\x00" not in value else _UNSTORABLE.sub("\ufffd", value)
    if kind in _AS_IS:
        return value
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        if kind is dict and _encodes_clean(value):
            return value
        pairs = [(storable(key), storable(item)) for key, item in value.items()]
        if kind is dict and all(new is old for pair, was in zip(pairs, value.items()) for new, old in zip(pair, was)):
            return value
        return dict(pairs)
    if isinstance(value, list):
        items = [storable(item) for item in value]
        return value if kind is list and all(new is old for new, old in zip(items, value)) else items
    if is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for name in _init_fields(kind):
            old = getattr(value, name)
            new = storable(old)
            if new is not old:
                changed[name] = new
        # Unchanged, the very object (so too a plain dict or list above): a confirmation that
        # is its capture's parse stays it, and goes to the writer once in the same pickle.
        return replace(value, **changed) if changed else value
    return value


def _encodes_clean(value: dict[Any, Any]) -> bool:
    """Whether a JSON-like dict has no unstorable character, told by one pass of the JSON
    encoder (it writes NUL as ``\\u0000`` and a lone surrogate as it is, which UTF-8 then
    refuses: a quarter of the cost of a regex over the text), a fraction of the cost of
    walking a report's every cell. What it cannot encode is left to the walk."""
    try:
        text = json.dumps(value, ensure_ascii=False, check_circular=False)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        return False
    return "\\u0000" not in text


_AS_IS = frozenset({bytes, int, float, bool, type(None)})


@cache
def _init_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.init)
