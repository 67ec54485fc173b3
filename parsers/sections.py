"""Cutting a document into title block, preamble, the six sections and a signature.

A heading is recognised by its wording (:mod:`parsers.headings`), and a printed number, if
any, must be the canonical one: seed 001 prints "（1） 主动公开政府信息情况" as a sub-heading
inside section 1, which must not start section 2 (see ``_starts_section`` for the exceptions).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from parsers.dates import ending_date, find_date, is_date_line
from parsers.document import Block, Document, GridCell, Table
from parsers.headings import Heading, read_heading
from parsers.labels import chinese_number
from parsers.page_furniture import without_furniture
from parsers.table_of_contents import without_contents
from parsers.tables.active_disclosure import caption_item
from parsers.title import parse_report_title

_FREE_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．]\S")
_TITLE_MAX_PARAGRAPHS = 4
_TITLE_LINE_MAX_CHARS = 60
_TITLE_SEARCH_PARAGRAPHS = 60
# A bracketed year or date printed on its own line under a title.
_UNDER_TITLE = re.compile(r"^[（(]\s*(?:\d{4}|[〇○零OＯ0一二三四五六七八九]{4})\s*年(?:度|\s*\S{1,3}\s*月\s*\S{1,3}\s*日)?\s*[)）]$")
_SIGNATURE_MAX_CHARS = 30
_CLOSING_LINES = 3
_CLOSING_MAX_CHARS = 60
# What 公文 print after the signature's date: a publication note, an attachment, contacts.
_CLOSING = re.compile(r"^[（(]?\s*(?:此件|附件|附表|联系|地址|电话|邮编|邮箱|电子邮箱|传真)")
_FREE_HEADING_MAX_CHARS = 40
_SENTENCE_PUNCTUATION = re.compile(r"[。，,；;：:]")


@dataclass
class SectionSpan:
    number: int
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Layout:
    """The document's parts in reading order; ``tables`` pairs each table with the section it sits in (0 = before any)."""

    title_lines: list[str]
    preamble: list[str]
    sections: list[SectionSpan]
    tables: list[tuple[int, Table]]
    signature_agency: str | None = None
    signed_date: str | None = None


def heading_number(text: str) -> int | None:
    """The section number when ``text`` is one of the six headings, whole, printed with its own number or none."""
    heading = read_heading(text)
    if heading is None or heading.rest or heading.printed not in (None, heading.number):
        return None
    return heading.number


def free_heading_number(text: str) -> int | None:
    """The printed number of a top-level "一、…" heading of a free-form (pre-2019) outline."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    match = _FREE_HEADING.match(folded)
    if not match or len(folded) > _FREE_HEADING_MAX_CHARS or "。" in folded:
        return None
    return chinese_number(match.group(1))


def split_layout(doc: Document, *, free_outline: bool = False) -> Layout:
    """Cut the document into its parts.

    ``free_outline`` reads a pre-2019 report: its sections are the top-level "一、…"
    headings in printed order (一, 二, 三, … without gaps), whatever their wording.
    """
    blocks = without_contents(without_furniture(doc.blocks))
    texts = [b for b in blocks if b.table is None]
    title_start, title_end = _title_block(texts)
    title_lines = [b.text.strip() for b in texts[title_start:title_end]]
    under_title, signed_under, dated_under = _under_title(texts, title_end)
    title_lines += [line for line in under_title if _UNDER_TITLE.match(line) and find_date(line) is None]  # "（2020年度）"
    signature_blocks, signature_agency, signed_date = _signature(blocks)
    signature_agency, signed_date = signature_agency or signed_under, signed_date or dated_under

    preamble: list[str] = []
    sections: list[SectionSpan] = []
    tables: list[tuple[int, Table]] = []
    skip = {id(b) for b in texts[title_start:title_end + len(under_title)]} | signature_blocks
    caption: str | None = None  # a table 2 item's caption printed above its table
    headings = {} if free_outline else _headings(blocks, skip)
    top_level = {h.number for h in headings.values() if h.style in ("top", "part")}
    for index, block in enumerate(blocks):
        if id(block) in skip:
            continue
        if block.table is not None:
            table = block.table if caption is None else _with_caption(block.table, caption)
            tables.append((sections[-1].number if sections else 0, table))
            caption = None
            continue
        text = block.text.strip()
        # the caption row keeps the paragraph's words: a unit printed after the item is the item's
        caption = text if _next_is_table(blocks, index) and caption_item(text) else None
        if caption is not None:
            continue
        last = sections[-1].number if sections else 0
        if free_outline:
            number = free_heading_number(text)
            heading = Heading(number, number, "top", text, "") if number == last + 1 else None
        else:
            heading = headings.get(index)
            heading = heading if heading is not None and _starts_section(heading, last, top_level) else None
        if heading is not None:
            sections.append(SectionSpan(heading.number, heading.text, [heading.rest] if heading.rest else []))
        elif text:
            (sections[-1].paragraphs if sections else preamble).append(text)
    return Layout(title_lines, preamble, sections, tables, signature_agency, signed_date)


def _starts_section(heading: Heading, last: int, top_level: set[int]) -> bool:
    """Whether ``heading`` opens its section after section ``last``; ``top_level``: the sections
    the document heads with a top-level number ("二、", "第二部分").

    A bracketed or arabic-numbered heading of a section that also has a top-level one is an
    item of the text ("（二）主动公开政府信息情况" inside 总体情况). A number that does not agree
    with the wording stops a heading, except a top-level one below it: a number printed twice
    ("三、…" again for 四) or one left where a section is missing.
    """
    if heading.number <= last:
        return False
    if heading.style in ("paren", "arabic") and heading.number in top_level:
        return False
    if heading.printed is None or heading.printed == heading.number:
        return True
    return heading.style in ("top", "part") and not heading.rest and heading.printed < heading.number


def _headings(blocks: list[Block], skip: set[int]) -> dict[int, Heading]:
    """The paragraphs that read as headings, by their index in ``blocks``."""
    found = {}
    for index, block in enumerate(blocks):
        if block.table is None and id(block) not in skip:
            heading = read_heading(block.text)
            if heading is not None:
                found[index] = heading
    return found


def _next_is_table(blocks: list[Block], index: int) -> bool:
    return index + 1 < len(blocks) and blocks[index + 1].table is not None


def _with_caption(table: Table, caption: str) -> Table:
    """``table`` with ``caption`` as its first row, one cell across, as table 2 prints an item inside the table."""
    width = max((len(row) for row in table.rows), default=1)
    first = GridCell(caption)
    return Table([[first, *(GridCell(caption, span_of=(0, 0)) for _ in range(width - 1))], *table.rows])


def _title_block(texts: list[Block]) -> tuple[int, int]:
    """Where the title block is among the leading paragraphs (start, end); (0, 0) when there is none.

    It ends at the first line saying 报告/年报, and starts at the lines above it that read with
    it as a report's title naming its agency ("威海经济技术开发区" / "2020年…年度报告"). Lines
    above that are not the title: a page printed from a browser starts with the portal's
    navigation ("首页|政务公开…当前位置：…政府信息公开年报"), a document with "附件1".
    """
    lines: list[str] = []
    first_end = 0
    for index, block in enumerate(texts[:_TITLE_MAX_PARAGRAPHS]):
        text = block.text.strip()
        if len(text) > _TITLE_LINE_MAX_CHARS or "。" in text or heading_number(text) is not None:
            break
        lines.append(text)
        if "报告" in text or "年报" in text:
            found = _title_start(lines)
            if found is not None:
                return found, index + 1
            first_end = first_end or index + 1
    if first_end:
        return 0, first_end
    return _title_further_down(texts)


def _title_further_down(texts: list[Block]) -> tuple[int, int]:
    """A title line below what is not the report, before its first heading: a page printed
    from a browser opens with the portal's navigation, tens of short lines."""
    for index, block in enumerate(texts[:_TITLE_SEARCH_PARAGRAPHS]):
        text = block.text.strip()
        if heading_number(text) is not None:
            break
        if len(text) <= _TITLE_LINE_MAX_CHARS and "。" not in text and ("报告" in text or "年报" in text):
            found = parse_report_title(text)
            if found is not None and found.agency:
                return index, index + 1
    return 0, 0


def _under_title(texts: list[Block], title_end: int) -> tuple[list[str], str | None, str | None]:
    """The lines printed under a title that belong to it, the agency and the date they name:
    a bracketed year ("（2020年度）"), a bracketed date ("（2021年1月29日）"), or the signing
    agency with the date under it, as 公文 print them under a title."""
    if not title_end:
        return [], None, None
    lines = [block.text.strip() for block in texts[title_end:title_end + 2]]
    if lines and _UNDER_TITLE.match(lines[0]):
        return lines[:1], None, find_date(lines[0])
    if len(lines) == 2 and _signs(lines[0]) and (_UNDER_TITLE.match(lines[1]) or is_date_line(lines[1])):
        date = find_date(lines[1])
        return (lines, re.sub(r"\s+", "", lines[0]), date) if date else ([], None, None)
    return [], None, None


def _title_start(lines: list[str]) -> int | None:
    """The first of the lines (the last says 报告) from which they read as a report's title:
    the longest run naming an agency, else the shortest that is a title at all."""
    starts = range(max(0, len(lines) - _TITLE_MAX_PARAGRAPHS + 1), len(lines))
    parsed = {start: parse_report_title("".join(lines[start:])) for start in starts}
    named = [start for start in starts if parsed[start] is not None and parsed[start].agency]
    if named:
        return named[0]
    titled = [start for start in starts if parsed[start] is not None]
    return titled[-1] if titled else None


def _signature(blocks: list[Block]) -> tuple[set[int], str | None, str | None]:
    """The signature at the document's end: a date line and the agency line above it (or below
    it, or the two on one line). A few closing lines may follow the date, as 公文 print them:
    "（此件公开发布）", "附件：…统计表", the contact lines; they stay the last section's text."""
    tail = [b for b in blocks if b.table is not None or b.text.strip()]
    for at in range(len(tail) - 1, max(len(tail) - 2 - _CLOSING_LINES, -1), -1):
        block = tail[at]
        if block.table is not None:
            break
        line = block.text.strip()
        if is_date_line(line):
            taken, agency = {id(block)}, None
            for beside in (at - 1, at + 1):  # above the date, else right below it
                if 0 <= beside < len(tail) and tail[beside].table is None and _signs(tail[beside].text):
                    agency = re.sub(r"\s+", "", tail[beside].text)
                    taken.add(id(tail[beside]))
                    break
            return taken, agency, find_date(line)
        signed = ending_date(line)
        if signed is not None and signed[0] and _signs(signed[0]):  # "XX局　2021年1月29日"
            return {id(block)}, re.sub(r"\s+", "", signed[0]), signed[1]
        if not _closes(line):
            break
    return set(), None, None


def _signs(line: str) -> bool:
    """Whether a line may be the signing agency's name."""
    line = line.strip()
    return (0 < len(line) <= _SIGNATURE_MAX_CHARS and not _SENTENCE_PUNCTUATION.search(line)
            and heading_number(line) is None and not _CLOSING.match(line))


def _closes(line: str) -> bool:
    """Whether a line may follow a signature's date: a short note or an attachment or contact line."""
    if len(line) > _CLOSING_MAX_CHARS or heading_number(line) is not None:
        return False
    return _CLOSING.match(line) is not None or "。" not in line
