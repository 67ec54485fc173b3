"""The text-showing operators of a content stream, found without parsing the rest of it.

``pdf_blanks`` needs of a page's content only the font and the string of each operator
that shows text (``Tj``, ``TJ``, ``'``, ``"``). A full parse (pikepdf's) makes an object of
every number and operator, thousands a page where Chromium draws its tables. Here one
regular expression finds, in C, the few tokens that matter and steps over the rest: the
text-showing operators, the strings they show, the array a ``TJ`` shows, ``Tf`` with the
font name before it, ``q`` and ``Q`` (which save and restore the font), and the tokens
whose contents could pass for those (strings, comments, inline images).
"""

from __future__ import annotations

import re

_BEFORE_DELIMITER = rb"(?![^\s()<>\[\]{}/%])"  # a token ends at white space or a delimiter
_NAME = rb"[^\s()<>\[\]{}/%]+"
# Every alternative starts with a literal character, not a group or a class: re then knows
# the characters a token may start with and skips in C to the next of them, where otherwise
# it tries the whole pattern at every byte of the content (half the time of text_shows).
# An operator starts after white space or the end of a string or an array (the lookbehinds,
# placed after its first character for that reason); operators are the tokens without a
# group, each its own alternative (a group's name cannot be given twice).
_TOKENS = re.compile(
    rb"\((?P<literal>(?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*)\)(?P<literal_tj>\s*Tj" + _BEFORE_DELIMITER + rb")?"
    rb"|\((?P<unbalanced>)"  # nested deeper than one level: where the string ends is not worth finding here
    rb"|<(?<!<<)(?!<)(?P<hex>[0-9A-Fa-f\s]*)>(?P<hex_tj>\s*Tj" + _BEFORE_DELIMITER + rb")?"  # not a dictionary's << or >>
    rb"|\[(?P<array>)"
    rb"|%(?P<comment>[^\r\n]*)"
    rb"|/(?P<font>" + _NAME + rb")\s+[-+]?(?:\d+\.?\d*|\.\d+)\s+Tf" + _BEFORE_DELIMITER
    + rb"|T[jJf](?<=[\s)>\]]..)" + _BEFORE_DELIMITER
    + rb"|BI(?<=\sBI)" + _BEFORE_DELIMITER
    + b"".join(rb"|" + operator + rb"(?<=[\s)>\]].)" + _BEFORE_DELIMITER for operator in (b"'", b'"', b"q", b"Q")),
    re.S,
)
# An inline image's data runs from the white space after ID to EI: it is not tokens.
_INLINE_IMAGE_END = re.compile(rb"(?<![^\s])ID\s.*?\sEI" + _BEFORE_DELIMITER, re.S)
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|\n|(.))", re.S)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

Show = tuple[str | None, bytes]


def text_shows(content: bytes) -> list[Show] | None:
    """(font name, string bytes) of every text-showing operator in ``content`` that shows
    something, in order: the font as the last ``Tf`` named it (None where that had no
    name), ``Q`` restoring it as the matching ``q`` found it. None when a string is nested
    too deep to be read here or an inline image does not end."""
    content = b"\n" + content  # an operator at the start follows white space too
    shows: list[Show] = []
    font: str | None = None
    saved: list[str | None] = []
    strings: list[bytes] = []  # since the last operator, or the last '[' for TJ's array
    position: int | None = 0
    while position is not None:
        resume = None
        for token in _TOKENS.finditer(content, position):
            kind = token.lastgroup
            if kind == "hex_tj" or kind == "literal_tj":  # a string and its Tj, the commonest by far
                shown = _hex(token["hex"]) if kind == "hex_tj" else _literal(token["literal"])
                if shown:  # pdfium makes no text object of an empty string
                    shows.append((font, shown))
                strings = []
            elif kind == "hex":
                strings.append(_hex(token["hex"]))
            elif kind == "literal":
                strings.append(_literal(token["literal"]))
            elif kind == "font":
                font, strings = _name(token["font"]), []
            elif kind == "array":
                strings = []
            elif kind is None:  # an operator
                operator = token[0]
                if operator == b"q":
                    saved.append(font)
                elif operator == b"Q":
                    font = saved.pop() if saved else font
                elif operator == b"Tf":
                    font = None  # no name before its size: not a font pdfium can use
                elif operator == b"BI":
                    end = _INLINE_IMAGE_END.search(content, token.end())
                    if end is None:
                        return None
                    resume = end.end()
                    break
                else:
                    shown = b"".join(strings) if operator == b"TJ" else strings[-1] if strings else b""
                    if shown:
                        shows.append((font, shown))
                strings = []
            elif kind == "unbalanced":
                return None
        position = resume
    return shows


def _literal(body: bytes) -> bytes:
    """A literal string's bytes: escapes read, its line ends (CR, CR LF) as LF."""
    if b"\r" in body:
        body = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b"\\" not in body:
        return body
    return _ESCAPE.sub(_unescape, body)


def _unescape(escape: re.Match[bytes]) -> bytes:
    octal, other = escape.groups()
    if octal is not None:
        return bytes((int(octal, 8) & 0xFF,))
    if other is None:  # a backslash ending a line continues the string on the next
        return b""
    return _ESCAPED.get(other, other)


def _hex(body: bytes) -> bytes:
    try:
        return bytes.fromhex(body.decode())  # white space between two pairs of digits is skipped
    except ValueError:  # white space inside a pair, or an odd last digit (which stands for itself and 0)
        digits = b"".join(body.split())
        return bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode())


def _name(raw: bytes) -> str:
    """The font's name as a resources key, ``#xx`` escapes read."""
    if b"#" in raw:
        raw = _NAME_ESCAPE.sub(lambda escape: bytes((int(escape[1], 16),)), raw)
    return "/" + raw.decode("utf-8", "surrogateescape")
