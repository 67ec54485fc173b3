"""Reading a paragraph as one of the six section headings: which section its wording names,
the number printed before it and in which style, and any text printed after it on the same line.

The wording is what decides, in two kinds. The national templates' wordings and the variants
portals print are headings with or without a number ("收到和处理政府信息公开申请情况").
Looser wordings ("五、主要问题及改进情况", "三、依申请公开政府信息情况", "二、主动公开政府信息")
are headings only after the number of the section they name: alone they are a phrase of the
text. A heading may carry a note in brackets ("（详见下表）") and be followed on its line by
the section's first sentence ("一、总体情况。根据…", or a bold heading run into its paragraph),
which is kept as that section's text; only a heading printed with a top-level number ("一、",
"第一部分") is read that way, a bracketed one ("（一）主动公开…") being a sub-item too often.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from parsers.labels import chinese_number

Style = Literal["top", "part", "paren", "arabic", "none"]

_NUMBER = re.compile(
    r"^(?:[(（]\s*(?P<paren>[一二三四五六七八九十]{1,2}|\d{1,2})\s*[)）]"
    r"|第(?P<part>[一二三四五六七八九十]{1,2})部分\s*[、.．，,:：]?"
    r"|(?P<top>[一二三四五六七八九十]{1,2}|\d{1,2})(?![\d年])\s*[、.．，,:：]?)\s*"
)
_WORDING = {
    1: re.compile(r"(?:政府信息公开(?:工作)?)?(?:总体情况|概述)"),
    2: re.compile(r"主动公开政府信息(?:的)?情况"),
    3: re.compile(r"收到和处理政府信息公开申请(?:的)?情况"),
    4: re.compile(r"(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议[、和及与]?(?:提起)?行政诉讼(?:的)?情况"),
    5: re.compile(r"(?:政府信息公开工作)?存在的?主要问题[及和与](?:其)?改进(?:情况|措施)"),
    6: re.compile(r"其他需要报告的?事项|需要报告的其他事项"),
}
_NUMBERED_WORDING = {
    1: re.compile(r"(?:政府信息公开(?:工作)?)?(?:基本情况|总体概况|工作概况|概况)"),
    2: re.compile(r"主动公开(?:政府)?信息(?:的)?(?:情况)?|主动公开(?:工作)?情况"),
    3: re.compile(r"(?:依申请公开|政府信息公开申请(?:的)?(?:办理|处理|受理)?)(?:政府信息)?(?:工作)?(?:的)?情况"
                  r"|收到和处理政府信息公开申请"),
    4: re.compile(r"(?:政府信息公开)?(?:被申请)?行政复议[、和及与]?(?:被?提起)?行政诉讼(?:的)?(?:情况)?"),
    5: re.compile(r"(?:存在的?)?(?:主要)?问题[及和与、]?(?:其)?(?:改进|整改)(?:情况|措施|计划)?"),
    6: re.compile(r"其他(?:需要)?(?:报告|说明)的?事项|其他事项"),
}
_SPACES = re.compile(r"\s+")
_NOTE = re.compile(r"[（(][^（）()]{1,20}[)）]$")  # "（详见下表）" after a heading
_STOPS = "。.:：;；"
_MAX_CHARS = 40
_MAX_PRINTED = 80  # the longest printed heading (number, spaces, wording, note) worth testing
_INLINE_STYLES = ("top", "part")
_TOP_NUMBER_STARTS = frozenset("一二三四五六七八九十第0123456789０１２３４５６７８９")


@dataclass(frozen=True)
class Heading:
    number: int  # the section its wording names
    printed: int | None  # the number printed before it
    style: Style
    text: str  # the heading as printed
    rest: str  # what its paragraph prints after it ("" when the paragraph is the heading)


@functools.lru_cache(maxsize=2048)
def read_heading(text: str) -> Heading | None:
    """``text`` as a section heading, or None. Cached (a Heading is frozen): a parse asks it of
    every paragraph four or five times (contents, twice; a second report; the sections)."""
    text = text.strip()
    whole = _whole(text[: _MAX_PRINTED + 1])
    if whole is not None:
        return whole
    return _inline(text)


def is_whole_heading(text: str) -> bool:
    """Whether ``text`` is a heading and nothing more: a line no paragraph runs into."""
    heading = read_heading(text)
    return heading is not None and not heading.rest


@functools.lru_cache(maxsize=4096)  # the same short lines (headings, 附件, 联系电话 …) recur in every report
def _whole(text: str) -> Heading | None:
    if len(text) > _MAX_PRINTED:
        return None
    folded = _fold(text)
    printed, style, words = _numbered(folded)
    words = _NOTE.sub("", words.rstrip(_STOPS)).rstrip(_STOPS)
    if not words or len(words) > _MAX_CHARS:
        return None
    for number, wording in _WORDING.items():
        if wording.fullmatch(words):
            return Heading(number, printed, style, text, "")
    if printed is not None:
        for number, wording in _NUMBERED_WORDING.items():
            if number == printed and wording.fullmatch(words):
                return Heading(number, printed, style, text, "")
    return None


def _inline(text: str) -> Heading | None:
    """A heading with a top-level number that its section's first words follow on the line."""
    if not text or text[0] not in _TOP_NUMBER_STARTS:  # most paragraphs, at a glance
        return None
    folded = _fold(text[:_MAX_PRINTED])
    printed, style, words = _numbered(folded)
    if style not in _INLINE_STYLES:
        return None
    for number, wording in _WORDING.items():
        found = wording.match(words)
        if found is None and number == printed:
            found = _NUMBERED_WORDING[number].match(words)
        if found is not None:
            end = len(folded) - len(words) + found.end()
            cut = _printed_position(text, end)
            rest = text[cut:].lstrip(" \t\u3000" + _STOPS + "，,")
            return Heading(number, printed, style, text[:cut].strip(), rest) if rest else None
    return None


def _fold(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def _numbered(folded: str) -> tuple[int | None, Style, str]:
    """The printed number, its style and the words after it."""
    match = _NUMBER.match(folded)
    if not match or not match.group(0):
        return None, "none", folded
    for style in ("paren", "part", "top"):
        if match.group(style):
            digits = match.group(style).isdigit()
            kind: Style = "arabic" if digits and style == "top" else style  # type: ignore[assignment]
            return chinese_number(match.group(style)), kind, folded[match.end():]
    return None, "none", folded


def _printed_position(text: str, folded_length: int) -> int:
    """Where in ``text`` the first ``folded_length`` characters of its folded form end."""
    seen = 0
    for index, char in enumerate(text):
        if seen >= folded_length:
            return index
        if not char.isspace():
            seen += len(unicodedata.normalize("NFKC", char))
    return len(text)
