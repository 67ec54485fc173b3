"""Table 2 as Word tables are really drawn: each value is read under the column printed above it.

Agencies fill the national template in Word, and their tables are not the template's grid:
a header cell merged over two columns stands above two unmerged cells of the rows below
(the value typed in either), Word leaves a row's empty trailing cells out, an item's header
names its one column in the item's own cell, or groups sub-columns under one cell, and the
amount's unit is printed in a form of its own. Each table is made with python-docx as Word
writes it and read as Word saved it and as LibreOffice saves it again (Word, web page, PDF).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from conversions import word_and_saves
from parsers.api import parse_bytes
from parsers.labels import SIGNED_COLUMN
from word_tables import Merged, Spec, add_word_table


def _word_report(path: Path, width: int, rows: list[Spec]) -> Path:
    """A report whose section 二 is a ``width``-column Word table of ``rows``; a row listing fewer
    cells than its grid leaves its trailing cells out, as Word does with empty ones."""
    document = docx.Document()
    for text in ("某某县2020年政府信息公开工作年度报告", "一、总体情况", "本年度政府信息公开工作有序推进。", "二、主动公开政府信息情况"):
        document.add_paragraph(text)
    add_word_table(document, width, rows)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    document.add_paragraph("本年度未收到政府信息公开申请。")
    document.save(path)
    return path


ITEM_1, ITEM_5, ITEM_6, ITEM_8, ITEM_9 = (f"第二十条第（{n}）项" for n in "一五六八九")

# 2019 template with headers merged one way and rows another (defects: a value in the first of
# several unmerged cells was dropped; items （八）（九） read shifted, with false errors).
MERGED_DIFFERENTLY = (5, [
    [Merged(ITEM_1, 5)],
    ["信息内容", Merged("本年新制作数量", 2), "本年新公开数量", "对外公开总数量"],
    ["规章", "5", "", "3", "4"],
    ["规范性文件", "", "2", "7", "9"],
    [Merged(ITEM_5, 5)],
    ["信息内容", "上一年项目数量", "本年增/减", Merged("处理决定数量", 2)],
    ["行政许可", "40", "-1", "39", ""],
    ["其他对外管理服务事项", "2", "0", "", "2"],
    [Merged(ITEM_6, 5)],
    ["信息内容", "上一年项目数量", "本年增/减", Merged("处理决定数量", 2)],
    ["行政处罚", "8", "+2", Merged("10", 2)],
    ["行政强制", "1", "0", Merged("0", 2)],
    [Merged(ITEM_8, 5)],
    ["信息内容", Merged("上一年项目数量", 2), Merged("本年增/减", 2)],
    ["行政事业性收费", "6", "", "-1", ""],
    [Merged(ITEM_9, 5)],
    ["信息内容", Merged("采购项目数量", 2), Merged("采购总金额（万元）", 2)],
    ["政府集中采购", "", "3", "120.5", ""],
])
MERGED_DIFFERENTLY_READ = {
    (ITEM_1, "规章"): {"本年新制作数量": "5", "本年新公开数量": "3", "对外公开总数量": "4"},
    (ITEM_1, "规范性文件"): {"本年新制作数量": "2", "本年新公开数量": "7", "对外公开总数量": "9"},
    (ITEM_5, "行政许可"): {"上一年项目数量": "40", "本年增/减": "-1", "处理决定数量": "39"},
    (ITEM_5, "其他对外管理服务事项"): {"上一年项目数量": "2", "本年增/减": "0", "处理决定数量": "2"},
    (ITEM_6, "行政处罚"): {"上一年项目数量": "8", "本年增/减": "+2", "处理决定数量": "10"},
    (ITEM_6, "行政强制"): {"上一年项目数量": "1", "本年增/减": "0", "处理决定数量": "0"},
    (ITEM_8, "行政事业性收费"): {"上一年项目数量": "6", "本年增/减": "-1"},
    (ITEM_9, "政府集中采购"): {"采购项目数量": "3", "采购总金额（万元）": "120.5"},
}

# 2021 template with Word's ragged rows and an item cell heading its one column (defects: a row
# missing its trailing cell read one column to the right; the item-headed header was a data row).
RAGGED = (4, [
    [Merged(ITEM_1, 4)],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "1"],
    ["行政规范性文件", "12", "3"],
    [ITEM_5, Merged("本年处理决定数量", 3)],
    ["行政许可", "2418", "", ""],
    [Merged(ITEM_6, 4)],
    ["信息内容", Merged("本年处理决定数量", 3)],
    ["行政处罚", "644"],
    ["行政强制", Merged("64", 3)],
    [Merged(ITEM_8, 4)],
    ["信息内容", Merged("本年收费金额（单位：万元）", 3)],
    ["行政事业性收费", Merged("0", 3)],
])
RAGGED_READ = {
    (ITEM_1, "规章"): {"本年制发件数": "0", "本年废止件数": "0", "现行有效件数": "1"},
    (ITEM_1, "行政规范性文件"): {"本年制发件数": "12", "本年废止件数": "3", "现行有效件数": ""},
    (ITEM_5, "行政许可"): {"本年处理决定数量": "2418"},
    (ITEM_6, "行政处罚"): {"本年处理决定数量": "644"},
    (ITEM_6, "行政强制"): {"本年处理决定数量": "64"},
    (ITEM_8, "行政事业性收费"): {"本年收费金额（单位：万元）": "0"},
}

# A header of two rows: 本年新公开数量 groups two sub-columns, the other cells merged down.
GROUPED = (5, [
    [Merged(ITEM_1, 5)],
    [Merged("信息内容", rows=2), Merged("本年新制作数量", rows=2), Merged("本年新公开数量", cols=2),
     Merged("对外公开总数量", rows=2)],
    ["政府网站", "其他方式"],
    ["规章", "2", "1", "1", "9"],
    ["规范性文件", "4", "3", "0", "20"],
])
GROUPED_READ = {
    (ITEM_1, "规章"): {"本年新制作数量": "2", "本年新公开数量政府网站": "1", "本年新公开数量其他方式": "1", "对外公开总数量": "9"},
    (ITEM_1, "规范性文件"): {"本年新制作数量": "4", "本年新公开数量政府网站": "3", "本年新公开数量其他方式": "0",
                         "对外公开总数量": "20"},
}


def _amount_table(header: list[Spec], item_row: Spec | None = None) -> tuple[int, list[Spec]]:
    """Item （九） with the amount's unit printed as ``header`` (or the item's own row) prints it."""
    return 3, [item_row or [Merged(ITEM_9, 3)], *header, ["政府集中采购", "2", "35.6"]]


_PLAIN_HEADER: list[Spec] = ["信息内容", "采购项目数量", "采购总金额"]


# The amount's unit as headers print it (defect: read without a unit, 35.6 could be 元).
UNIT_HEADERS = {
    "in_brackets_short": _amount_table([["信息内容", "采购项目数量", "采购总金额（万）"]]),
    "after_a_slash": _amount_table([["信息内容", "采购项目数量", "采购总金额/万元"]]),
    "after_a_space": _amount_table([["信息内容", "采购项目数量", "采购总金额 万元"]]),
    "in_a_row_under_its_column": _amount_table([["信息内容", "采购项目数量", "采购总金额"], ["", "", "单位：万元"]]),
    "in_a_row_across": _amount_table([["信息内容", "采购项目数量", "采购总金额"], [Merged("（单位：万元）", 3)]]),
    # printed with the item, for its columns (defect: read without a unit; beside the item, a row "单位：万元")
    "after_the_item": _amount_table([_PLAIN_HEADER], [Merged(f"{ITEM_9}（单位：万元）", 3)]),
    "beside_the_item": _amount_table([_PLAIN_HEADER], [ITEM_9, Merged("单位：万元", 2)]),
    "between_the_item_and_its_header": _amount_table([[Merged("单位：万元", 3)], _PLAIN_HEADER]),
    # ... over a header of two rows (defect: the second row read the header again without the item's unit)
    "after_the_item_over_two_header_rows": _amount_table(
        [[Merged("信息内容", rows=2), Merged("采购项目数量", rows=2), "采购"], ["总金额"]],
        [Merged(f"{ITEM_9}（单位：万元）", 3)]),
}

# Two values typed in the unmerged cells under one header cell: which one the column means
# cannot be known, and neither may be lost (defect: right alignment read a blank for both).
TWO_VALUES_UNDER_ONE = (4, [
    [Merged(ITEM_5, 4)],
    ["信息内容", Merged("本年处理决定数量", 3)],
    ["行政许可", "2418", "15", ""],
])

LAYOUTS = {"merged_differently": MERGED_DIFFERENTLY, "ragged": RAGGED, "grouped": GROUPED, "two_values": TWO_VALUES_UNDER_ONE,
           **{f"unit_{name}": table for name, table in UNIT_HEADERS.items()}}
TARGETS = ["word", "docx", "writer-html", "pdf", "rtf"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(layout, target) -> the report file: Word's own, and LibreOffice's saves of it."""
    workdir = tmp_path_factory.mktemp("table2_layouts")
    word = {name: _word_report(workdir / f"{name}.docx", width, rows) for name, (width, rows) in LAYOUTS.items()}
    return word_and_saves(word, TARGETS, workdir)


def _read(path: Path) -> dict:
    return parse_bytes(path.read_bytes(), filename=path.name)[1].to_dict()


def _rows(report: dict) -> dict[tuple[str, str], dict[str, str]]:
    return {(row["item"], row["label"]): {column: cell["raw"] for column, cell in row["cells"].items()}
            for row in report["tables"]["active_disclosure"]["rows"]}


def _table2_findings(report: dict) -> list[str]:
    return [f"{f['rule']} {f['row']} {f['column']}" for f in report["findings"] if f["table"] == "active_disclosure"]


# (layout, what it reads): a header merged otherwise than its rows; rows missing trailing cells
# and an item cell heading its one column.
COMPLETE_LAYOUTS = {"merged_differently": MERGED_DIFFERENTLY_READ, "ragged": RAGGED_READ}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("layout", list(COMPLETE_LAYOUTS))
def test_each_value_under_the_column_printed_above_it(saved: dict, layout: str, target: str) -> None:
    report = _read(saved[layout, target])
    assert _rows(report) == COMPLETE_LAYOUTS[layout]
    assert _table2_findings(report) == []
    assert report["completeness"]["active_disclosure"]["status"] == "complete"


@pytest.mark.parametrize("target", TARGETS)
def test_a_header_of_two_rows_grouping_sub_columns(saved: dict, target: str) -> None:
    report = _read(saved["grouped", target])
    assert _rows(report) == GROUPED_READ
    assert _table2_findings(report) == []


@pytest.mark.parametrize("target", TARGETS)
def test_two_values_under_one_column_are_both_kept(saved: dict, target: str) -> None:
    # the first stays the column's; the other is kept under the grid column it is printed in
    assert _rows(_read(saved["two_values", target])) == {(ITEM_5, "行政许可"): {"本年处理决定数量": "2418", "列3": "15"}}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("layout", list(UNIT_HEADERS))
def test_the_amount_unit_as_headers_print_it(saved: dict, layout: str, target: str) -> None:
    report = _read(saved[f"unit_{layout}", target])
    [row] = report["tables"]["active_disclosure"]["rows"]
    assert (row["item"], row["label"]) == (ITEM_9, "政府集中采购")
    amount = next(cell for column, cell in row["cells"].items() if "金额" in column)
    assert (amount["raw"], amount["unit"], amount["value_wan"]) == ("35.6", "万元", 35.6)
    assert row["cells"]["采购项目数量"]["raw"] == "2"
    assert _table2_findings(report) == []


@pytest.mark.parametrize("printed", ["本年增/减", "本年增／减", "本年增（减）", "本年增(减)", "本年增、减", "本年增减", "增加或减少"])
def test_the_signed_change_column_as_printed(printed: str) -> None:
    assert SIGNED_COLUMN.search(printed)


@pytest.mark.parametrize("printed", ["上一年项目数量", "处理决定数量", "本年新增数量"])
def test_other_columns_are_not_the_signed_one(printed: str) -> None:
    assert not SIGNED_COLUMN.search(printed)


def test_a_change_column_printed_with_brackets_is_signed_for_every_rule(tmp_path: Path) -> None:
    """本年增（减） is the 本年增/减 column: its -1 is no negative count, the item is not missing a
    column, and 上一年项目数量 0 with -1 still gives the change rule's warning."""
    header = ["信息内容", "上一年项目数量", "本年增（减）", "处理决定数量"]
    path = _word_report(tmp_path / "bracketed_change.docx", 4, [
        [Merged(ITEM_1, 4)],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "0", "0", "0"],
        ["规范性文件", "2", "2", "9"],
        [Merged(ITEM_5, 4)], header,
        ["行政许可", "0", "-1", "39"],
        ["其他对外管理服务事项", "2", "0", "2"],
        [Merged(ITEM_6, 4)], header,
        ["行政处罚", "8", "-2", "10"],
        ["行政强制", "1", "0", "0"],
        [Merged(ITEM_8, 4)], header[:3],
        ["行政事业性收费", "6", "-1"],
        [Merged(ITEM_9, 4)],
        ["信息内容", "采购项目数量", Merged("采购总金额（万元）", 2)],
        ["政府集中采购", "3", Merged("120.5", 2)],
    ])
    report = _read(path)
    assert _rows(report)[ITEM_5, "行政许可"] == {"上一年项目数量": "0", "本年增（减）": "-1", "处理决定数量": "39"}
    assert report["metadata"]["template"] == "2019"
    assert report["completeness"]["active_disclosure"]["status"] == "complete"
    assert _table2_findings(report) == ["T2.items_after_change 行政许可 本年增（减）"]
