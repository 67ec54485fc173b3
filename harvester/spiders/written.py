"""Markup a page writes with ``document.write``, as far as it can be known without running
the script.

TRS's older list templates write each list item from a script: the link's URL and title in
string variables, then ``document.write('<a href="' + str_url + '" title="…">')``. Those
scripts are straight lines of string assignments and concatenations, so following them gives
the markup a browser would put there; anything else (a call, a condition's other branch) is
left out rather than guessed.
"""

from __future__ import annotations

import re

_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_STRING = r"""(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
_NAME = r"[A-Za-z_$][\w$]*"
_TERM = rf"(?:{_STRING}|{_NAME})"
_EXPRESSION = rf"{_TERM}(?:\s*\+\s*{_TERM})*"
# An assignment of a string expression (``var a = "x" + b;``, ``a += "y";``), or a write.
_STATEMENT = re.compile(
    rf"(?:\b(?:var|let|const)\s+)?(?P<name>{_NAME})\s*(?P<op>\+?=)\s*(?P<value>{_EXPRESSION})\s*(?:;|\n|$)"
    rf"|document\.write(?:ln)?\s*\(\s*(?P<written>{_EXPRESSION})\s*\)",
    re.S,
)
_TERMS = re.compile(_TERM, re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)


def written_markup(html: str) -> str:
    """The markup the page's scripts write, script by script, in page order."""
    if "document.write" not in html:
        return ""
    return "".join(_script_writes(script) for script in _SCRIPT.findall(html) if "document.write" in script)


def _script_writes(script: str) -> str:
    values: dict[str, str] = {}
    written = []
    for statement in _STATEMENT.finditer(script):
        if statement.group("written") is not None:
            written.append(_value(statement.group("written"), values))
        else:
            value = _value(statement.group("value"), values)
            name = statement.group("name")
            values[name] = values.get(name, "") + value if statement.group("op") == "+=" else value
    return "".join(written)


def _value(expression: str, values: dict[str, str]) -> str:
    """A concatenation's value; a variable not assigned a string here reads as nothing."""
    parts = []
    for term in _TERMS.findall(expression):
        if term[0] in "'\"":
            parts.append(_ESCAPE.sub(r"\1", term[1:-1]))
        else:
            parts.append(values.get(term, ""))
    return "".join(parts)
