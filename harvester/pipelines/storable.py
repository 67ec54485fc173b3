"""Text every database stores: what the record pipeline writes and parse workers send back.

Lone surrogates (from decoders that keep bad bytes) cannot be encoded for any database, and
PostgreSQL refuses NUL in text and JSON; both become U+FFFD.
"""

from __future__ import annotations

import gc
import re
from functools import cache
from itertools import chain
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
    """Whether a JSON-like dict holds only plain dicts, lists, text, numbers, booleans and None,
    and no unstorable character in any text (keys included). What it cannot tell is left to
    the walk.

    Read a level of the tree at a time, the containers' contents listed by the garbage
    collector's traversal (a dict's values, a list's items; a dict of text keys leaves its
    keys out, so they are read from the dict) and all the text joined into one string
    checked once: half the cost of the JSON encoder, which made a string of every number
    and key and a piece of output for each, and a fraction of walking a report's every cell.
    """
    level: list[Any] = [value]
    texts: list[Any] = []
    for _ in range(_MAX_DEPTH):  # a dict that holds itself is left to the walk
        found = _referents(*level)
        if not _JSON_KINDS.issuperset(map(type, found)):
            return False
        texts += _chain([item for item in level if type(item) is dict])  # its keys
        texts += [item for item in found if type(item) is str]
        if not found:
            break
        level = found  # text and numbers have no referents: only the containers count
    else:
        return False
    try:
        text = "".join(texts)  # a key that is not text (an int) leaves the dict to the walk
        text.encode("utf-8")  # refuses a lone surrogate
    except (TypeError, UnicodeEncodeError):
        return False
    return "\x00" not in text


# The kinds the traversal above knows the contents of (or that have none): exact types only.
_JSON_KINDS = frozenset({dict, list, str, int, float, bool, type(None)})
_MAX_DEPTH = 100
_referents = gc.get_referents
_chain = chain.from_iterable

_AS_IS = frozenset({bytes, int, float, bool, type(None)})


@cache
def _init_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.init)
