"""Table 2 (主动公开政府信息情况): rows grouped under their 第二十条 items.

Each item prints a header row (信息内容 + its columns) and data rows (label + values);
rows a province added are kept under the item they are printed in.

A value belongs to the column printed above it. Word tables put a value in one of several
unmerged cells under a merged header cell, leave out a row's empty trailing cells, and
merge the header of one item differently from its rows, so values are placed by the grid
slots they share with the header's columns, not by counting cells.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from parsers.cells import parse_cell
from parsers.document import GridCell, Table
from parsers.labels import SIGNED_COLUMN, label_key, printed_label
from parsers.report import ActiveDisclosureRow, Cell
from parsers.tables.grid import is_value

_ITEM = re.compile(r"第二十条第?(?:[(（]([一二三四五六七八九十]+)[)）]|([一二三四五六七八九十]+)项)")
_HEADER_FIRST = "信息内容"
_COLUMN_WORD = re.compile(rf"数量|件数|金额|{SIGNED_COLUMN.pattern}")
_MONEY_COLUMN = re.compile(r"金额")
_UNIT = r"(亿元|万元|元|万)(?![\u4e00-\u9fff])"  # not the start of a longer word: 万元 before 万
# 本年收费金额（单位：万元）, 金额（万）, 金额/万元, 采购总金额 万元 (names come without white space).
_HEADER_UNIT = re.compile(rf"(?:单位[：:]?|金额[/／]?|[(（/／]){_UNIT}")
# A unit printed on its own under the header: 单位：万元, （单位：元）.
_UNIT_NOTE = re.compile(rf"^[(（]?单位[：:]{_UNIT}[)）]?$")
# What a caption may name after its item: the item's rows, joined by 和, 及, 、 or /.
_ITEM_ROWS = r"(?:规章|(?:行政)?规范性文件|行政许可|(?:其他)?对外管理服务事项|行政处罚|行政强制|行政事业性收费|政府集中采购)"
_CAPTION_ROWS = re.compile(rf"{_ITEM_ROWS}(?:[和及与、，,/]{_ITEM_ROWS})*")
# A unit printed after an item, in its caption or its cell: （单位：万元）, 单位：元.
_ITEM_UNIT = re.compile(rf"[（(]?单位[：:]{_UNIT}[)）]?")


def item_label(text: str) -> str | None:
    """"第二十条第（一）项" with full-width brackets, from any printed variant; None if not an item."""
    match = _ITEM.search(_normalized(text))
    return f"第二十条第（{match.group(1) or match.group(2)}）项" if match else None


def caption_item(text: str) -> str | None:
    """The item a paragraph names as a caption: the item alone, numbered ("1.第二十条第(五)项",
    "（一）第二十条第（一）项") or followed by the rows it covers ("第二十条第（一）项：规章和规范性文件");
    the caption of the table printed under it, where table 2 is one table an item."""
    normalized = _normalized(text)
    match = _ITEM.search(normalized)
    if match is None or label_key(normalized[: match.start()]):
        return None
    rest = normalized[match.end() :].removeprefix("项")
    rest = _ITEM_UNIT.sub("", rest).strip(" ：:。")  # "（单位：万元）" after the item or its rows
    rest = rest.removeprefix("（").removesuffix("）")
    return item_label(text) if not rest or _CAPTION_ROWS.fullmatch(rest) else None


def _item_unit(text: str) -> str | None:
    """The money unit an item's caption or cell prints after the item ("第二十条第（八）项（单位：万元）")."""
    normalized = _normalized(text)
    match = _ITEM.search(normalized)
    unit = _ITEM_UNIT.search(normalized, match.end()) if match else None
    return unit.group(1) if unit else None


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFKC", printed_label(text)).replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class _Printed:
    """A printed cell of a row and the grid slots [start, end) it covers."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Column:
    name: str
    start: int  # the grid slots [start, end) under the column's header cell
    end: int
    unit: str | None  # the money unit the header prints for it

    @property
    def money(self) -> bool:
        return bool(_MONEY_COLUMN.search(self.name))


@dataclass(frozen=True)
class _Header:
    """An item's header: its grid rows (more than one when cut by a page break or grouped),
    the slots before ``label_end`` holding the row labels, and the value columns after."""

    rows: tuple[list[GridCell], ...]
    label_end: int
    columns: tuple[_Column, ...]
    item_unit: str | None  # the unit the item prints for its columns, kept when the header continues

    @classmethod
    def read(cls, rows: tuple[list[GridCell], ...], label_end: int, item_unit: str | None) -> _Header:
        """The header ``rows`` print; columns printing no unit of their own take the item's."""
        columns = tuple(c if c.unit or not item_unit else replace(c, unit=item_unit) for c in _columns(rows, label_end))
        return cls(rows, label_end, columns, item_unit)

    def continued(self, row: list[GridCell]) -> _Header:
        return _Header.read((*self.rows, row), self.label_end, self.item_unit)

    def with_unit(self, note: _Printed, unit: str) -> _Header:
        """The columns under a unit note printed in a row of its own take its unit (the whole row's: all)."""
        columns = tuple(replace(c, unit=unit) if note.start < self.label_end or _overlap(c, note) else c
                        for c in self.columns)
        return replace(self, columns=columns)


def parse_active_disclosure(pieces: list[Table]) -> list[ActiveDisclosureRow]:
    rows: list[ActiveDisclosureRow] = []
    item = ""
    item_unit: str | None = None  # the money unit the item's own cell or caption prints
    header: _Header | None = None
    header_item = ""  # the item the header was printed in
    header_open = False  # the row before was a header row: a page break or a group may continue it
    for piece in pieces:
        for grid_row in piece.rows:
            cells = _printed(grid_row)
            printed_item = item_label(cells[0].text) if cells else None
            body = cells[1:] if printed_item else cells
            if printed_item:
                item, item_unit = printed_item, _item_unit(cells[0].text) or _unit_note(body)
                if item_unit and not (body and _is_header(body, True)):
                    continue  # the item's row prints only its unit ("第二十条第（八）项 | 单位：万元")
            if not any(cell.text.strip() for cell in body):
                continue
            if _is_header(body, bool(printed_item)):
                header = _Header.read((grid_row,), _label_end(cells, body, bool(printed_item)), item_unit)
                header_open, header_item = True, item
                continue
            unit = _unit_note(body)
            if unit is not None and (header is None or header_item != item):  # above the item's header
                item_unit = unit
                continue
            if header is not None and unit is not None:
                header = header.with_unit(next(c for c in body if c.text.strip()), unit)
                continue
            if header is not None and header_open and _continues_header(header, grid_row, body):
                header = header.continued(grid_row)
                continue
            header_open = False
            label = printed_label(body[0].text)
            if label:
                rows.append(ActiveDisclosureRow(item=item, label=label, cells=_cells(header, body[1:])))
    return rows


def _printed(row: list[GridCell]) -> list[_Printed]:
    """The row's printed cells with their slots; slots that merely repeat a merged cell widen it."""
    cells: list[_Printed] = []
    for slot, cell in enumerate(row):
        if cell.span_of is None:
            cells.append(_Printed(cell.text, slot, slot + 1))
        elif cells and cells[-1].end == slot and cell.span_of[1] == cells[-1].start:
            cells[-1] = _Printed(cells[-1].text, cells[-1].start, slot + 1)  # not replace(): a few hundred a table
    return cells


def _is_header(body: list[_Printed], item_printed: bool) -> bool:
    """信息内容 + column names; a header printed without 信息内容 is all labels naming quantities,
    the first naming the label column (or the item cell before them doing so)."""
    texts = [cell.text for cell in body]
    if label_key(texts[0]) == _HEADER_FIRST:
        return True
    if not all(t.strip() and not is_value(t) for t in texts):
        return False
    return any(_COLUMN_WORD.search(label_key(t)) for t in (texts if item_printed else texts[1:]))


def _label_end(cells: list[_Printed], body: list[_Printed], item_printed: bool) -> int:
    """Where the header's value columns start: after 信息内容 (or whatever heads the labels),
    after the item cell when that heads them ("第二十条第（五）项 | 本年处理决定数量")."""
    first = label_key(body[0].text)
    item_heads_labels = item_printed and first != _HEADER_FIRST and bool(_COLUMN_WORD.search(first))
    return cells[0].end if item_heads_labels else body[0].end


def _columns(rows: tuple[list[GridCell], ...], label_end: int) -> list[_Column]:
    """The value columns the header rows print: a run of slots under the same cells of every row
    is one column, named by those cells' texts top to bottom (a group, then its sub-column)."""
    width = max(len(row) for row in rows)
    origins = [_origins(row, width) for row in rows]
    columns: list[_Column] = []
    previous: tuple[int, ...] | None = None
    for slot in range(label_end, width):
        key = tuple(row_origins[slot] for row_origins in origins)
        if key == previous:
            columns[-1] = replace(columns[-1], end=slot + 1)
        else:
            name = _slot_name(rows, slot)
            unit = _HEADER_UNIT.search(name)
            columns.append(_Column(name, slot, slot + 1, unit.group(1) if unit else None))
        previous = key
    return columns


def _origins(row: list[GridCell], width: int) -> list[int]:
    """Per slot, the slot where the header cell covering it starts; a blank cell or a missing
    trailing one belongs to the cell on its left (Word pads a header narrower than its rows)."""
    origins: list[int] = []
    for slot in range(width):
        cell = row[slot] if slot < len(row) else None
        if cell is not None and cell.span_of is not None:
            origins.append(cell.span_of[1])
        elif origins and (cell is None or not cell.text.strip()):
            origins.append(origins[-1])
        else:
            origins.append(slot)
    return origins


def _slot_name(rows: tuple[list[GridCell], ...], slot: int) -> str:
    parts: list[str] = []
    for row in rows:
        text = printed_label(row[slot].text) if slot < len(row) else ""
        if text and (not parts or parts[-1] != text):  # a cell merged down repeats its text
            parts.append(text)
    return "".join(parts)


def _unit_note(body: list[_Printed]) -> str | None:
    """The unit a row prints as its only text ("单位：万元"), else None."""
    printed = [printed_label(cell.text) for cell in body if cell.text.strip()]
    match = _UNIT_NOTE.match(unicodedata.normalize("NFKC", printed[0])) if len(printed) == 1 else None
    return match.group(1) if match else None


def _continues_header(header: _Header, row: list[GridCell], body: list[_Printed]) -> bool:
    """The rest of a header row cut by a page break, or the sub-columns of a grouped header:
    nothing new under 信息内容, only words under the columns."""
    under_columns = [cell.text for cell in body if cell.start >= header.label_end]
    under_labels = [cell.text for cell in body if cell.start < header.label_end]
    return (len(row) == len(header.rows[0]) and not any(t.strip() for t in under_labels)
            and any(t.strip() for t in under_columns) and not any(is_value(t) for t in under_columns if t.strip()))


def _cells(header: _Header | None, values: list[_Printed]) -> dict[str, Cell]:
    if header is None or not header.columns:  # no header: the columns are only numbered
        return {f"列{i + 1}": parse_cell(value.text) for i, value in enumerate(values)}
    texts, extra = _placed(header.columns, values)
    cells = {column.name: parse_cell(text, money=column.money, header_unit=column.unit)
             for column, text in zip(header.columns, texts)}
    # values no column could take, kept under the grid column they are printed in
    cells.update({f"列{value.start + 1}": parse_cell(value.text) for value in extra})
    return cells


def _placed(columns: tuple[_Column, ...], values: list[_Printed]) -> tuple[list[str], list[_Printed]]:
    """Each column's printed text and the values left over.

    Each value goes under the column it shares most slots with. Two values under one column
    mean the row's grid does not match the header's (a row ruled apart from it); its values
    then go in printed order when they are as many as the columns, its blank cells left out
    if that makes them so; failing that, the first under each column stays and the others
    are returned, never dropped.
    """
    under: list[list[_Printed]] = [[] for _ in columns]
    for value in values:
        under[_column_of(columns, value)].append(value)
    printed = [[value for value in cells if value.text.strip()] for cells in under]
    if all(len(filled) <= 1 for filled in printed):  # a blank cell keeps its place when nothing is printed there
        return [(filled or cells)[0].text if cells else "" for filled, cells in zip(printed, under)], []
    for candidates in (values, [value for value in values if value.text.strip()]):
        if len(candidates) == len(columns):
            return [value.text for value in candidates], []
    return [filled[0].text if filled else "" for filled in printed], [value for filled in printed for value in filled[1:]]


def _column_of(columns: tuple[_Column, ...], value: _Printed) -> int:
    """The column sharing most slots with ``value`` (the leftmost of equals: a cell Word widened
    over a row's missing trailing cells starts under its own column); past either edge, the nearest."""
    best = max(range(len(columns)), key=lambda i: (_overlap(columns[i], value), -i))
    if _overlap(columns[best], value):
        return best
    return 0 if value.end <= columns[0].start else len(columns) - 1


def _overlap(column: _Column, cell: _Printed) -> int:
    return max(0, min(column.end, cell.end) - max(column.start, cell.start))
