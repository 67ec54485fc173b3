"""A file holding two reports: an agency puts two years, or its own report and a department's,
one after the other in one PDF or Word file.

Read as one, the second report's tables stood in for the first's (table 2's rows, keyed by
item and label, took the later values), its table 3 was read as "extra" rows no check
looks at, its text was section 六's, and the file passed as one complete, consistent report.
The first report is the file's report; the second is said to be there, never merged in.

A second report is a section 一 printed after the first report's 五 or 六; it starts at its
title, or after the date signing the first.
"""

from __future__ import annotations

from parsers.dates import is_date_line
from parsers.document import Block
from parsers.headings import read_heading
from parsers.title import parse_report_title

_TITLE_MAX_CHARS = 60
_TITLE_LINES = 2  # an agency's name over "2020年政府信息公开工作年度报告"
_FIRST_HEADING_WITHIN = 8  # lines from a title to its 一 (a note on the period, contacts)


def second_report_start(blocks: list[Block]) -> int | None:
    """Where a second report starts among ``blocks`` (its title, or the line after the first
    report's signature date), or None."""
    last = 0
    for index, block in enumerate(blocks):
        heading = read_heading(block.text) if block.table is None else None
        if heading is None or heading.rest:
            continue
        if heading.number == 1 and last >= 5:
            return _start_above(blocks, index)
        last = max(last, heading.number)
    return None


def _start_above(blocks: list[Block], first_heading: int) -> int:
    """The start of the report whose 一 is at ``first_heading``: its title, else the line after
    the date that signs the report before it, else the heading itself."""
    start = first_heading
    for index in range(first_heading - 1, max(-1, first_heading - _FIRST_HEADING_WITHIN - 1), -1):
        block = blocks[index]
        if block.table is not None or read_heading(block.text) is not None:
            break
        text = block.text.strip()
        if _is_title(text):
            above = blocks[index - 1] if index else None
            joined = above is not None and above.table is None and not is_date_line(above.text) \
                and read_heading(above.text) is None and _is_title(above.text.strip() + text)
            return index - 1 if joined else index
        if is_date_line(text):
            return index + 1
    return start


def _is_title(text: str) -> bool:
    return 0 < len(text) <= _TITLE_MAX_CHARS * _TITLE_LINES and "。" not in text and ("报告" in text or "年报" in text) \
        and parse_report_title(text) is not None
