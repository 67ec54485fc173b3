"""Characters that act instead of printing, left out of what portals send us and of what we show.

A list's link title, an agency's name or a sentence is the portal's text: an ESC sequence in it
moves the cursor, clears or retitles a terminal; a carriage return overwrites the line; a
bidirectional override reorders what is shown; zero-width characters make equal titles differ.
"""

from __future__ import annotations

import re

# C0 but tab and line feed, DEL and C1, zero-width and direction marks, embeddings, overrides
# and isolates, the byte-order mark.
_CONTROLS = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u200b-\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff]")


def without_controls(text: str) -> str:
    """``text`` without the characters above; line breaks and tabs are kept."""
    return _CONTROLS.sub("", text)
