"""Text every database stores: what the record pipeline writes and parse workers send back.

Lone surrogates (from decoders that keep bad bytes) cannot be encoded for any database, and
PostgreSQL refuses NUL in text and JSON; both become U+FFFD.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from functools import cache
from typing import Any

import orjson

from storage.json_text import to_json

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


def storable_json(report: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """``storable(report)`` and its JSON as the archive writes it (``storage.json_text``),
    encoded once: a clean report's is the encoding that told it clean."""
    encoded = _clean_json(report)
    if encoded is not None:
        return report, encoded
    cleaned = storable(report)
    return cleaned, to_json(cleaned).encode()


def _encodes_clean(value: dict[Any, Any]) -> bool:
    return _clean_json(value) is not None


def _clean_json(value: dict[Any, Any]) -> bytes | None:
    """The JSON of a JSON-like dict that holds only plain dicts, lists, text, numbers, booleans
    and None, and no unstorable character in any text (keys included); None for any other.
    What it cannot tell is left to the walk.

    orjson encodes a report several times faster than walking it (a fifth of the cost of the
    garbage collector's traversal that read it before, a level at a time), and refuses what
    the walk must see: a lone surrogate, a key that is not text, a type that is not JSON's
    (subclasses, dataclasses and dates included, which it would otherwise encode), a number
    beyond 64 bits, a dict that holds itself (a tuple it encodes as a list: the walk leaves
    tuples as they are either way). NUL it writes as an escape, looked for in its
    output (a text holding a backslash and "u0000" is then walked too, and found clean).
    """
    try:
        encoded = orjson.dumps(value, option=_PLAIN_JSON_ONLY)
    except orjson.JSONEncodeError:
        return None
    # With text keys only (else it refused), the bytes ``storage.json_text.to_json`` writes.
    return None if b"\\u0000" in encoded else encoded


_PLAIN_JSON_ONLY = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS

_AS_IS = frozenset({bytes, int, float, bool, type(None)})


@cache
def _init_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.init)
