"""Table 3 as agencies really lay it out: each value read under the applicant column printed above it.

Agencies retype the national template's header: 总计 first, the 法人或其他组织 sub-columns in an
order of their own or with one left out, 合计 for 总计, a 小计 column of their own. Each table
is made with python-docx as Word writes it (labels merged down and across, a row's empty
trailing cells left out) and read as Word saved it and as LibreOffice saves it again (Word,
web page, PDF, RTF). A column the table does not print is reported missing, never filled by
reading its neighbour's values. Page breaks Writer puts inside the table (in a header cell, in
a row's label, with the header repeated on every page) must not change what is read.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from conversions import word_and_saves
from parsers.api import parse_bytes
from word_tables import Merged, Spec, add_word_table


COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")
HEADER_NAMES = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "social_welfare": "社会公益组织",
                "legal_services": "法律服务机构", "other_org": "其他", "total": "总计"}
CHECK = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS = "三、本年度办理结果"
# 2021 template: (row key, printed label, group label or "").
ROWS = (
    ("granted", "（一）予以公开", ""),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("withheld.state_secret", "1．属于国家秘密", "（三）不予公开"),
    ("withheld.prohibited_by_law", "2．其他法律行政法规禁止公开", "（三）不予公开"),
    ("withheld.endangers_safety_stability", "3．危及“三安全一稳定”", "（三）不予公开"),
    ("withheld.third_party_rights", "4．保护第三方合法权益", "（三）不予公开"),
    ("withheld.internal_affairs", "5．属于三类内部事务信息", "（三）不予公开"),
    ("withheld.process_info", "6．属于四类过程性信息", "（三）不予公开"),
    ("withheld.enforcement_files", "7．属于行政执法案卷", "（三）不予公开"),
    ("withheld.query_matters", "8．属于行政查询事项", "（三）不予公开"),
    ("unable.not_held", "1．本机关不掌握相关政府信息", "（四）无法提供"),
    ("unable.needs_creation", "2．没有现成信息需要另行制作", "（四）无法提供"),
    ("unable.unclear_after_correction", "3．补正后申请内容仍不明确", "（四）无法提供"),
    ("not_processed.complaint_petition", "1．信访举报投诉类申请", "（五）不予处理"),
    ("not_processed.repeated", "2．重复申请", "（五）不予处理"),
    ("not_processed.publication", "3．要求提供公开出版物", "（五）不予处理"),
    ("not_processed.massive_repeated", "4．无正当理由大量反复申请", "（五）不予处理"),
    ("not_processed.confirm_reissue", "5．要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    ("other.overdue_correction", "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("other.overdue_fee", "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("other.other", "3．其他", "（六）其他处理"),
    ("total_processed", "（七）总计", ""),
)
OPENING = (("new_received", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量"))
CLOSING = ("carried_forward", "四、结转下年度继续办理")


def _counts() -> dict[str, dict[str, int]]:
    """Six applicant counts a row, each column's differing from its neighbours' so a shifted value
    shows, that add up as the table's rules say (so any error finding is a false one)."""
    leaves = [key for key, _, _ in ROWS[:-1]]
    rows = {key: {column: (3 * i + 2 * j) % 7 for j, column in enumerate(COLUMNS[:-1])} for i, key in enumerate(leaves)}
    rows["total_processed"] = {column: sum(rows[key][column] for key in leaves) for column in COLUMNS[:-1]}
    rows["carried_over"] = {column: j for j, column in enumerate(COLUMNS[:-1])}
    rows["carried_forward"] = {column: 6 - j for j, column in enumerate(COLUMNS[:-1])}
    rows["new_received"] = {column: rows["total_processed"][column] + 6 - 2 * j for j, column in enumerate(COLUMNS[:-1])}
    return {key: {**counts, "total": sum(counts.values())} for key, counts in rows.items()}


COUNTS = _counts()
PRINTED = {key: {column: str(count) for column, count in counts.items()} for key, counts in COUNTS.items()}


def _header(order: tuple[str, ...], *, rows: int = 3, renamed: dict[str, str] | None = None,
            own: tuple[str, ...] = ()) -> list[Spec]:
    """The template's header over ``order``'s columns (three rows with 申请人情况 above, or
    two without), 法人或其他组织 over the organisations, ``own`` columns the agency added after them;
    ``renamed``: column -> the words the agency prints for it."""
    names = {**HEADER_NAMES, **(renamed or {})}
    organisations = [names[c] for c in order if c not in ("natural_person", "total")] + list(own)
    tops = {"natural_person": [Merged("自然人", rows=2)], "total": [Merged(names["total"], rows=2)]}
    second: list[str | Merged] = []
    for column in order:
        if column in tops:
            second += tops[column]
        elif not any(isinstance(cell, Merged) and cell.text == "法人或其他组织" for cell in second):
            second.append(Merged("法人或其他组织", cols=len(organisations)))
    if rows == 2:
        return [[Merged(CHECK, cols=3, rows=2), *second], organisations]
    return [[Merged(CHECK, cols=3, rows=3), Merged("申请人情况", cols=len(second) + len(organisations) - 1)], second,
            organisations]


def _body(order: tuple[str, ...], printed: dict[str, dict[str, str]], own: dict[str, str] | None = None,
          labels: dict[str, str] | None = None) -> list[Spec]:
    """The data rows as Word prints them: 三 merged down beside every result row, each group merged
    down beside its rows, values in ``order`` (``own``: the agency's own column's value, after the
    organisations; ``labels``: rows the agency labels otherwise)."""
    def values(key: str) -> list[str]:
        cells = [printed[key][column] for column in order]
        if own is not None:
            cells.insert(len(order) - 1, own[key])
        return cells

    rows: list[Spec] = [[Merged(label, cols=3), *values(key)] for key, label in OPENING]
    groups_started: set[str] = set()
    for index, (key, label, group) in enumerate(ROWS):
        label = (labels or {}).get(key, label)
        lead: list[str | Merged] = [Merged(RESULTS, rows=len(ROWS))] if index == 0 else []
        if not group:
            rows.append([*lead, Merged(label, cols=2), *values(key)])
            continue
        if group not in groups_started:
            lead.append(Merged(group, rows=sum(1 for _, _, g in ROWS if g == group)))
            groups_started.add(group)
        rows.append([*lead, label, *values(key)])
    key, label = CLOSING
    rows.append([Merged(label, cols=3), *values(key)])
    return rows


def _word_report(path: Path, width: int, rows: list[Spec], *, padding: int = 0, header_rows: int = 0) -> Path:
    """A report whose section 三 is a ``width``-column Word table of ``rows``, after ``padding``
    paragraphs of section 一 (moving the page breaks), its first ``header_rows`` rows repeated at
    the top of every page; a row listing fewer cells than its grid leaves its trailing cells out,
    as Word does with empty ones."""
    document = docx.Document()
    for text in ("某某县人民政府2022年政府信息公开工作年度报告", "一、总体情况", *["本年度政府信息公开工作有序推进。"] * (1 + padding),
                 "二、主动公开政府信息情况", "本年度主动公开政府信息1200条。", "三、收到和处理政府信息公开申请情况"):
        document.add_paragraph(text)
    add_word_table(document, width, rows, header_rows=header_rows)
    for text in ("四、政府信息公开行政复议、行政诉讼情况", "本年度未发生政府信息公开行政复议、行政诉讼。",
                 "五、存在的主要问题及改进情况", "政府信息公开工作仍有不足。", "六、其他需要报告的事项", "无。"):
        document.add_paragraph(text)
    document.save(path)
    return path


REORDERED = ("natural_person", "commercial", "research", "social_welfare", "other_org", "legal_services", "total")
TOTAL_FIRST = ("total", *COLUMNS[:-1])
NO_RESEARCH = tuple(c for c in COLUMNS if c != "research")
NO_RESEARCH_NOR_LEGAL = tuple(c for c in COLUMNS if c not in ("research", "legal_services"))
NO_NATURAL_PERSON = {key: {**row, "natural_person": ""} for key, row in PRINTED.items()}
SUBTOTALS = {key: str(sum(COUNTS[key][c] for c in COLUMNS[1:-1])) for key in COUNTS}

# Rows numbered 1） or ①, and 合计 for （七）总计 (were extra rows, the standard ones reported missing).
RELABELLED = {"not_processed.repeated": "2）重复申请", "withheld.state_secret": "①属于国家秘密", "total_processed": "（七）合计"}

LAYOUTS = {
    "organisations_reordered": (10, _header(REORDERED) + _body(REORDERED, PRINTED)),
    "total_first": (10, _header(TOTAL_FIRST, rows=2) + _body(TOTAL_FIRST, PRINTED)),
    "no_research_column": (9, _header(NO_RESEARCH) + _body(NO_RESEARCH, PRINTED)),
    "two_columns_left_out": (8, _header(NO_RESEARCH_NOR_LEGAL, rows=2) + _body(NO_RESEARCH_NOR_LEGAL, PRINTED)),
    "heji_for_total": (10, _header(COLUMNS, renamed={"total": "合计"}) + _body(COLUMNS, PRINTED)),
    "other_organisations_worded": (10, _header(COLUMNS, renamed={"other_org": "其他组织"}) + _body(COLUMNS, PRINTED)),
    "own_subtotal_column": (11, _header(COLUMNS, own=("小计",)) + _body(COLUMNS, NO_NATURAL_PERSON, SUBTOTALS)),
    "labels_numbered_otherwise": (10, _header(COLUMNS) + _body(COLUMNS, PRINTED, labels=RELABELLED)),
}
TARGETS = ["word", "docx", "writer-html", "pdf", "rtf"]


# Where Writer's PDF breaks the page in the table, moved by the paragraphs before it (these
# LibreOffice and font versions): (columns, padding paragraphs, header rows repeated on each page).
PAGE_BREAKS = {
    # "4．无正当理由大量" | repeated header | "反复申请", one letter from 重复申请
    "label_end_under_repeated_header": (COLUMNS, 20, 3),
    # "3．其" | "他": the rest of （六）'s 3.其他 alone is no row's label
    "short_label_broken": (COLUMNS, 23, 0),
    # the header's "社会公益" and "法律服务" on one page, "组织" and "机构" on the next
    "header_cell_broken": (COLUMNS, 18, 0),
    "reordered_header_repeated": (REORDERED, 0, 3),
    "reordered_header_broken": (REORDERED, 18, 0),
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(layout, target) -> the report file: Word's own, and LibreOffice's saves of it."""
    workdir = tmp_path_factory.mktemp("table3_layouts")
    word = {name: _word_report(workdir / f"{name}.docx", width, rows) for name, (width, rows) in LAYOUTS.items()}
    for name, (order, padding, header_rows) in PAGE_BREAKS.items():
        word[name] = _word_report(workdir / f"{name}.docx", 10, _header(order) + _body(order, PRINTED),
                                  padding=padding, header_rows=header_rows)
    return word_and_saves(word, TARGETS, workdir)


def _read(path: Path) -> dict:
    return parse_bytes(path.read_bytes(), filename=path.name)[1].to_dict()


def _cells(report: dict) -> dict[str, dict[str, str]]:
    return {key: {column: cell["raw"] for column, cell in row["cells"].items()}
            for key, row in report["tables"]["applications"]["rows"].items()}


def _errors(report: dict) -> list[str]:
    return [f"{f['rule']} {f['row']} {f['column']}" for f in report["findings"]
            if f["table"] == "applications" and f["severity"] == "error"]


def _only(columns: tuple[str, ...], printed: dict[str, dict[str, str]] = PRINTED) -> dict[str, dict[str, str]]:
    return {key: {column: printed[key][column] for column in COLUMNS if column in columns} for key in printed}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("layout", ["organisations_reordered", "total_first"])
def test_values_read_under_columns_printed_in_an_order_of_their_own(saved: dict, layout: str, target: str) -> None:
    """Was: read in the template's order, 法律服务机构 and 其他 swapped (or every value one column
    over, with 25 false T3.row_total errors), and the table called complete."""
    report = _read(saved[layout, target])
    cells = _cells(report)
    assert cells == PRINTED
    granted = cells["granted"]
    assert (granted["legal_services"], granted["other_org"], granted["total"]) == ("1", "3", "16")
    assert _errors(report) == []
    assert report["completeness"]["applications"]["status"] == "complete"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(("layout", "missing"), [("no_research_column", ["research"]),
                                                 ("two_columns_left_out", ["research", "legal_services"])])
def test_a_column_left_out_is_reported_missing_not_filled_by_shifting(saved: dict, layout: str, missing: list[str],
                                                                       target: str) -> None:
    """Was: the label read as 自然人's value and every value one column over, rows lost, false errors."""
    report = _read(saved[layout, target])
    printed = tuple(c for c in COLUMNS if c not in missing)
    assert _cells(report) == _only(printed)
    assert _cells(report)["withheld.state_secret"] == _only(printed)["withheld.state_secret"]
    assert report["completeness"]["applications"] == {"status": "partial", "missing_rows": [], "missing_columns": missing}
    assert _errors(report) == []


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(("layout", "column"), [("heji_for_total", "total"), ("other_organisations_worded", "other_org")])
def test_header_words_retyped_name_the_same_column(saved: dict, layout: str, column: str, target: str) -> None:
    """合计 for 总计 and 其他组织 for 其他 name those columns, none of them left out (the header read
    by its words must not lose a column that reading the values in printed order kept)."""
    report = _read(saved[layout, target])
    assert _cells(report) == PRINTED
    assert _cells(report)["total_processed"][column] == str(COUNTS["total_processed"][column])
    assert report["completeness"]["applications"]["status"] == "complete"


@pytest.mark.parametrize("layout", list(PAGE_BREAKS))
def test_a_table_broken_across_pages(saved: dict, layout: str) -> None:
    """Was: "反复申请" after the repeated header taken for a misprint of 重复申请 and "他" for no row,
    so the halves were not joined (two rows of the province's own, a standard row missing); the
    broken header's "组织 … 机构" read as a row of the province's own; the header Word repeats on
    every page read as one header printing each name twice (no layout: values in template order)."""
    report = _read(saved[layout, "pdf"])
    assert _cells(report) == PRINTED
    assert _cells(report)["not_processed.massive_repeated"] == {"natural_person": "6", "commercial": "1", "research": "3",
                                                                "social_welfare": "5", "legal_services": "0",
                                                                "other_org": "2", "total": "17"}
    assert report["completeness"]["applications"]["status"] == "complete"
    assert _errors(report) == []


@pytest.mark.parametrize("target", TARGETS)
def test_a_column_of_the_agencys_own_does_not_move_the_others(saved: dict, target: str) -> None:
    """A 小计 column after the organisations and 自然人 left blank: was read as if the blank were
    a filler cell, each value one column to the left (商业企业's under 自然人, 小计 under 其他)."""
    report = _read(saved["own_subtotal_column", target])
    assert _cells(report) == NO_NATURAL_PERSON
    assert _cells(report)["granted"] == {"natural_person": "", "commercial": "2", "research": "4", "social_welfare": "6",
                                         "legal_services": "1", "other_org": "3", "total": "16"}
    assert _errors(report) == []


@pytest.mark.parametrize("target", TARGETS)
def test_rows_numbered_otherwise_or_totalled_as_heji_are_the_standard_rows(saved: dict, target: str) -> None:
    report = _read(saved["labels_numbered_otherwise", target])
    assert _cells(report) == PRINTED
    assert report["completeness"]["applications"]["status"] == "complete"
    assert _errors(report) == []
