"""Table 2 (主动公开政府信息情况): rows grouped under their 第二十条 items.

Each item prints a header row (信息内容 + its columns) and data rows (label + values);
rows a province added are kept under the item they are printed in.
"""

from __future__ import annotations

import re
import unicodedata

from parsers.cells import parse_cell
from parsers.document import Table
from parsers.labels import label_key, printed_label
from parsers.report import ActiveDisclosureRow, Cell
from parsers.tables.grid import is_value, printed_cells

_ITEM = re.compile(r"第二十条第?(?:[(（]([一二三四五六七八九十]+)[)）]|([一二三四五六七八九十]+)项)")
_HEADER_FIRST = "信息内容"
_COLUMN_WORD = re.compile(r"数量|件数|金额|增/?减")
_MONEY_COLUMN = re.compile(r"金额")
_HEADER_UNIT = re.compile(r"单位[：:]?\s*(万元|元|亿元)|[(（](万元|元|亿元)[)）]")


def item_label(text: str) -> str | None:
    """"第二十条第（一）项" with full-width brackets, from any printed variant; None if not an item."""
    match = _ITEM.search(_normalized(text))
    return f"第二十条第（{match.group(1) or match.group(2)}）项" if match else None


def caption_item(text: str) -> str | None:
    """The item a paragraph names when it says nothing else ("第二十条第（一）项", "第二十条第(五)项："):
    the caption of the table printed under it, where table 2 is one table an item."""
    item = item_label(text)
    return item if item and not _ITEM.sub("", _normalized(text), count=1).removeprefix("项").strip(" ：:。") else None


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFKC", printed_label(text)).replace("(", "（").replace(")", "）")


def parse_active_disclosure(pieces: list[Table]) -> list[ActiveDisclosureRow]:
    rows: list[ActiveDisclosureRow] = []
    item = ""
    columns: list[str] = []
    header_open = False  # the row before was a header row, which a page break may have cut in two
    for piece in pieces:
        for grid_row in piece.rows:
            texts = printed_cells(grid_row)
            printed_item = item_label(texts[0]) if texts else None
            if printed_item:
                item, texts = printed_item, texts[1:]
            if not any(t.strip() for t in texts):
                continue
            if _is_header(texts):
                columns = [printed_label(t) for t in texts[1:]]
                header_open = True
                continue
            if header_open and _continues_header(texts, columns):
                columns = [name + printed_label(t) for name, t in zip(columns, texts[1:])]
                continue
            header_open = False
            label = printed_label(texts[0])
            if not label:
                continue
            rows.append(ActiveDisclosureRow(item=item, label=label, cells=_cells(columns, texts[1:])))
    return rows


def _is_header(texts: list[str]) -> bool:
    """信息内容 + column names; a header printed without 信息内容 is all labels naming quantities."""
    if label_key(texts[0]) == _HEADER_FIRST:
        return True
    all_labels = all(t.strip() and not is_value(t) for t in texts)
    return all_labels and any(_COLUMN_WORD.search(label_key(t)) for t in texts[1:])


def _continues_header(texts: list[str], columns: list[str]) -> bool:
    """The rest of a header row cut by a page break: nothing under 信息内容, only words under the columns."""
    printed = [t for t in texts[1:] if t.strip()]
    return (len(texts) == len(columns) + 1 and not texts[0].strip() and bool(printed)
            and not any(is_value(t) for t in printed))


def _cells(columns: list[str], values: list[str]) -> dict[str, Cell]:
    """Values aligned to the right of the columns (a ragged row lacks leading cells, not trailing ones)."""
    names = columns or [f"列{i + 1}" for i in range(len(values))]
    values = values[-len(names) :] if len(values) > len(names) else [""] * (len(names) - len(values)) + values
    cells: dict[str, Cell] = {}
    for name, text in zip(names, values):
        money = bool(_MONEY_COLUMN.search(name))
        unit_match = _HEADER_UNIT.search(name)
        header_unit = (unit_match.group(1) or unit_match.group(2)) if unit_match else None
        cells[name] = parse_cell(text, money=money, header_unit=header_unit)
    return cells
