"""Tables recognised by content and rows by label, in the layouts real reports print."""

import pytest

from parsers.api import parse_document
from parsers.document import Block, Document, GridCell, Table
from parsers.sections import heading_number

OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _table(rows: list[list[str]]) -> Block:
    return Block("table", table=Table([[GridCell(text) for text in row] for row in rows]))


def _doc(*blocks: Block) -> Document:
    return Document(blocks=[Block("paragraph", text="某某县2021年政府信息公开工作年度报告"), *blocks], source_format="test")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一、总体情况", 1), ("2、 主动公开政府信息情况", 2), ("4． 政府信息公开行政复议、行政诉讼情况", 4),
        ("3、 收到和处理政府信息公开申请情况", 3), ("（4）政府信息公开行政复议、行政诉讼情况", 4),
        ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 4), ("五、政府信息公开工作存在的主要问题及改进情况", 5),
        ("六、需要报告的其他事项", 6), ("主动公开政府信息情况", 2), ("第三部分 收到和处理政府信息公开申请情况", 3),
        ("（1） 主动公开政府信息情况", None),  # printed number is not the section's
        ("（一）主动公开情况", None), ("一是加强组织领导", None),
        ("二、主动公开政府信息情况。2020年共公开信息514条，其中政策文件12件，规范性文件3件。", None),
    ],
)
def test_heading_numbers(text: str, number: int | None) -> None:
    assert heading_number(text) == number


def test_table_4_split_into_three_small_tables() -> None:
    doc = _doc(
        Block("paragraph", text="四、政府信息公开行政复议、行政诉讼情况"),
        _table([["行政复议"], OUTCOMES, ["1", "0", "0", "0", "1"]]),
        _table([["行政诉讼（未经复议直接起诉）"], OUTCOMES, ["0", "0", "0", "2", "2"]]),
        _table([["行政诉讼（复议后起诉）"], OUTCOMES, ["0", "1", "0", "0", "1"]]),
    )
    cells = parse_document(doc).appeals.cells
    assert [cells[f"{b}.total"].value for b in ("review", "litigation_direct", "litigation_after_review")] == [1, 2, 1]
    assert cells["litigation_direct.pending"].value == 2 and cells["litigation_after_review.corrected"].value == 1


def test_table_4_without_header_row() -> None:
    doc = _doc(
        Block("paragraph", text="四、政府信息公开行政复议、行政诉讼情况"),
        _table([[str(i % 3) for i in range(15)]]),
    )
    report = parse_document(doc)
    assert [report.appeals.cells[f"review.{o}"].value for o in ("upheld", "corrected", "other", "pending", "total")] == [0, 1, 2, 0, 1]
    assert any(f.rule == "T4.block_total" and f.row == "review" for f in report.findings)  # 0+1+2+0 != 1


def test_table_3_province_rows_and_ragged_cells() -> None:
    header = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
              ["", "自然人", "法人或其他组织", "总计"], ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]]
    rows = [
        ["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "1", "4"],
        ["其中：网上申请", "2", "0", "0", "0", "0", "0", "2"],  # a row of the province's own
        ["三、本年度办理结果", "(一)予以公开", "3", "0", "0", "0", "0", "1", "4"],  # half-width brackets
        ["", "（三）不予公开", "1、属于国家秘密", "0", "0", "0", "0", "0", "0", "0"],
        ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "0", "0", "0", "0", "0", "0", "0"],
        ["", "", "3.其他", "/", "/", "/", "/", "/", "/", "/"],
        ["", "（七）总计", "3", "0", "0", "0", "0", "1", "4"],
        ["四、结转下年度继续办理", "0", "0", "0", "0", "0", "0", "0"],
    ]
    report = parse_document(_doc(_table(header + rows)))
    table = report.applications
    assert list(table.rows) == ["new_received", "extra.1", "granted", "withheld.state_secret", "other.overdue_correction",
                                "other.other", "total_processed", "carried_forward"]
    assert table.rows["extra.1"].label == "其中：网上申请" and table.rows["extra.1"].cells["total"].value == 2
    assert table.rows["granted"].label == "(一)予以公开"
    assert table.rows["other.other"].cells["total"].state == "dash"
    assert table.template == "2021"


def test_table_2_added_rows_and_merged_item_cells() -> None:
    item = "第二十条第(一)项"
    table = Table([
        [GridCell(item), GridCell(item, (0, 0)), GridCell(item, (0, 0)), GridCell(item, (0, 0))],
        [GridCell(t) for t in ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")],
        [GridCell(t) for t in ("规章（设区的市、自治州人民政府应提供相关数据）", "0", "0", "0")],
        [GridCell(t) for t in ("行政规范性文件", "5", "1", "22（其中修订16件）")],
        [GridCell(t) for t in ("其他主动公开文件", "12", "", "—")],
    ])
    rows = parse_document(_doc(Block("table", table=table))).active_disclosure.rows
    assert [(r.item, r.label) for r in rows] == [
        ("第二十条第（一）项", "规章（设区的市、自治州人民政府应提供相关数据）"),
        ("第二十条第（一）项", "行政规范性文件"),
        ("第二十条第（一）项", "其他主动公开文件"),
    ]
    assert rows[1].cells["现行有效件数"].value == 22
    assert (rows[2].cells["本年废止件数"].state, rows[2].cells["现行有效件数"].state) == ("blank", "dash")


def test_tables_found_by_content_not_position() -> None:
    appeals = _table([["行政复议", "行政诉讼"], OUTCOMES + OUTCOMES + OUTCOMES, ["0"] * 15])
    other = _table([["序号", "事项"], ["1", "建议提案"]])
    report = parse_document(_doc(Block("paragraph", text="一、总体情况"), other, appeals))
    assert report.appeals is not None and report.applications is None and report.active_disclosure is None


@pytest.mark.parametrize("printed", ["第二十条第（一）项", "第二十条第(一)项", "第二十条 第 （一） 项", "第二十条第一项"])
def test_item_labels(printed: str) -> None:
    from parsers.tables.active_disclosure import item_label

    assert item_label(printed) == "第二十条第（一）项"
