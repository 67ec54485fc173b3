"""A report's table of contents (目录): the headings listed once before the text that they head.

Word's TOC field, a 目录 typed with dotted leaders, or a list of the headings without page
numbers: each line reads as a section heading, so the sections were opened by the list and
the real headings, coming again, were read as repeats (the whole report filed under 六).

A run of lines is a table of contents when it holds at least two headings that are printed
again as headings after it, made of nothing but headings, a "目录" line and short lines ending
in a page number; it is left out of the report's text like page furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.document import Block
from parsers.headings import read_heading

_CONTENTS_LINE = re.compile(r"目\s*录|目\s*次|contents", re.IGNORECASE)
# A page number after dotted leaders or a gap ("……3", "....12", "\t3"): a TOC's, never a heading's.
_PAGE_NUMBER = re.compile(r"(?:[.…·‥_\-—]{2,}|\s)\s*(?:\d{1,3}|[ivxIVX]{1,4})$")
_ENTRY_MAX_CHARS = 60


def without_contents(blocks: list[Block]) -> list[Block]:
    """``blocks`` without a table of contents, when they print one."""
    entries = [_entry(block) for block in blocks]
    headed: list[int | None] | None = None  # each block's heading number, read when a run first needs it
    start = 0
    while start < len(blocks):
        end, numbers = start, []
        while end < len(blocks) and (entry := entries[end]) is not None:
            number = _whole_heading(entry.text)
            if number is not None and number in numbers and not entry.paged:  # the text's first heading, under the list
                break
            if number is not None:
                numbers.append(number)
            end += 1
        # Most runs are a single heading: the headings after them are read only for a run
        # that could be a list, and then once for the whole document.
        if len(numbers) >= 2:
            headed = headed if headed is not None else [_heading_number(block) for block in blocks]
            if _printed_again(numbers, set(headed[end:])):
                return blocks[:start] + without_contents(blocks[end:])
        start = end + 1
    return blocks


@dataclass(frozen=True)
class _Entry:
    text: str  # without the page number
    paged: bool  # printed with a page number


def _entry(block: Block) -> _Entry | None:
    """The line as a contents entry: a heading, a "目录" line or a short line with a page number."""
    if block.table is not None:
        return None
    text = " ".join(block.text.split())
    if not text or len(text) > _ENTRY_MAX_CHARS or "。" in text:
        return None
    unpaged = _PAGE_NUMBER.sub("", text)
    if unpaged != text or _CONTENTS_LINE.fullmatch(text) or _whole_heading(text) is not None:
        return _Entry(unpaged, unpaged != text)
    return None


def _printed_again(listed: list[int], later: set[int | None]) -> bool:
    """Whether at least two of the headings a run lists are printed again after it."""
    return sum(number in later for number in listed) >= 2


def _whole_heading(text: str) -> int | None:
    heading = read_heading(text)
    return heading.number if heading is not None and not heading.rest else None


def _heading_number(block: Block) -> int | None:
    heading = read_heading(block.text) if block.table is None else None
    return heading.number if heading is not None else None
