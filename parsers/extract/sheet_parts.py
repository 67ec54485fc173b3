"""Where a sheet's tables begin and end, and which of its rows are text.

A sheet is a grid without table boundaries. Besides its tables it may hold the report's prose
in full-width merged rows, a title and a "填报单位：…  单位：件" line above a table, captions
("表二：收到和处理政府信息公开申请情况") between tables, and tables stacked with no blank row
between them. Rows are told apart by what they print:

* a row whose printed cells are each a "key：value" note (填报单位：…, 单位：件, 填报人：…,
  联系电话：…) or a table's name (表二：…, …申请情况统计表) is text, however many cells it prints;
* a row printing one cell is also text when it reads as prose (a sentence, a section heading,
  a line too long for a label); other one-cell rows may sit inside a table (table 2 prints its
  items, 第二十条第（五）项, as one merged row);
* any other row is a table row.

Consecutive table rows make a run, which holds a new table from each row that names a standard
table other than the one the rows above it named (table 3 stacked right under table 2, no
blank row between). A table starts at its first row of two or more cells, or at a table-2 item
printed just above it; one-cell rows before that and after its last row of cells are text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from parsers.document import GridCell, Table
from parsers.labels import compact
from parsers.tables.active_disclosure import caption_item
from parsers.tables.classify import table_kind

_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）])")
_LABEL_MAX = 40
_NOTE = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:[（(][\u4e00-\u9fff]{1,4}[)）])?[：:]")
# "表二：…", "附表3 …" name a table by its number; "…申请情况", "…统计表" by its subject. A
# header cell such as 申请人情况 is shorter than any table's name.
_TABLE_NUMBER = re.compile(r"^附?表[一二三四五六七八九十\d]{1,2}(?!\d)")
_TABLE_SUBJECT = re.compile(r"(?:情况|情况表|统计表|一览表)$")
_TABLE_SUBJECT_MIN = 8


@dataclass(frozen=True)
class SheetPart:
    kind: Literal["paragraph", "table"]
    rows: list[int]  # sheet row indexes; a paragraph is one row


def sheet_parts(printed: list[list[str]]) -> list[SheetPart]:
    """The sheet's paragraphs and tables in reading order, from the texts each row prints
    (a merged range counted once, at its first row; empty cells left out)."""
    parts: list[SheetPart] = []
    run: list[int] = []
    for r, texts in enumerate([*printed, []]):
        if texts and not _is_text(texts):
            run.append(r)
            continue
        for table in _tables_of_run(run, printed):
            parts += _table_and_its_text_rows(table, printed)
        run = []
        if texts:
            parts.append(SheetPart("paragraph", [r]))
    return parts


def _is_text(texts: list[str]) -> bool:
    folded = [compact(text) for text in texts]
    if all(_NOTE.match(text) or _names_a_table(text) for text in folded):
        return True
    return len(folded) == 1 and (len(folded[0]) > _LABEL_MAX or "。" in folded[0] or bool(_HEADING.match(folded[0])))


def _names_a_table(text: str) -> bool:
    return bool(_TABLE_NUMBER.match(text)) or (len(text) >= _TABLE_SUBJECT_MIN and bool(_TABLE_SUBJECT.search(text)))


def _tables_of_run(run: list[int], printed: list[list[str]]) -> list[list[int]]:
    tables: list[list[int]] = []
    named: str | None = None
    for r in run:
        kind = table_kind(Table([[GridCell(text) for text in printed[r]]]))
        if not tables or (kind and named and kind != named):
            tables.append([])
            named = None
        named = named or kind
        tables[-1].append(r)
    return tables


def _table_and_its_text_rows(rows: list[int], printed: list[list[str]]) -> list[SheetPart]:
    with_cells = [i for i, r in enumerate(rows) if len(printed[r]) > 1]
    if not with_cells:
        return [SheetPart("paragraph", [r]) for r in rows]
    first = next(i for i, r in enumerate(rows) if len(printed[r]) > 1 or caption_item(printed[r][0]))
    last = with_cells[-1]
    return ([SheetPart("paragraph", [r]) for r in rows[:first]]
            + [SheetPart("table", rows[first:last + 1])]
            + [SheetPart("paragraph", [r]) for r in rows[last + 1:]])
