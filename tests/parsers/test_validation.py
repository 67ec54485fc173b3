"""Validation rules on seeds edited into broken reports; printed totals are never changed."""

import pytest

from parsers.api import parse_bytes
from parsers.report import Report
from seed_edits import replace_section_text, seed_text, set_row

ZEROS = ["0"] * 7


def _report(text: str) -> Report:
    return parse_bytes(text.encode("utf-8"), filename="report.txt")[1]


def _rules(report: Report, severity: str | None = None) -> list[str]:
    return [f.rule for f in report.findings if severity is None or f.severity == severity]


def test_consistent_seed_has_no_findings() -> None:
    assert _report(seed_text("001")).findings == []


def test_total_that_does_not_add_up() -> None:
    text = set_row(seed_text("001"), "（七）总计", ["6", "0", "0", "0", "0", "0", "6"])
    report = _report(text)
    by_rule = {(f.rule, f.column): f for f in report.findings}
    breakdown = by_rule[("T3.total_breakdown", "natural_person")]
    assert (breakdown.severity, breakdown.printed, breakdown.expected) == ("error", "6", 5)
    balance = by_rule[("T3.balance", "total")]
    assert balance.printed == "6" and balance.expected == 5
    assert report.applications.rows["total_processed"].cells["total"].value == 6  # printed value kept
    assert "T3.row_total" not in _rules(report)


def test_row_total_mismatch() -> None:
    report = _report(set_row(seed_text("001"), "（一）予以公开", ["1", "0", "0", "0", "0", "0", "2"]))
    row_total = [f for f in report.findings if f.rule == "T3.row_total"]
    assert len(row_total) == 1
    assert (row_total[0].row, row_total[0].column, row_total[0].printed, row_total[0].expected) == ("granted", "total", "2", 1)


def test_blank_totals_are_info_not_zero() -> None:
    text = seed_text("001")
    for label in ("一、本年新收政府信息公开申请数量", "（七）总计"):
        text = set_row(text, label, ["5", "0", "0", "0", "0", "0", ""])
    report = _report(text)
    assert report.applications.rows["total_processed"].cells["total"].value is None
    assert report.applications.rows["total_processed"].cells["total"].state == "blank"
    assert _rules(report, "error") == []
    infos = [f for f in report.findings if f.severity == "info"]
    assert sorted(f.rule for f in infos) == ["T3.balance", "T3.row_total", "T3.total_breakdown"]
    assert all(f.printed is None and f.expected is None for f in infos)
    assert "new_received.total" in next(f.message for f in infos if f.rule == "T3.row_total")


def test_dash_everywhere_gives_no_numbers_and_no_errors() -> None:
    lines = seed_text("001").split("\n")
    dashed = "\n".join("\t/" if line.strip().lstrip("+-").replace(".", "").isdigit() and line.startswith("\t") else line for line in lines)
    report = _report(dashed)
    cells = [c for row in report.applications.rows.values() for c in row.cells.values()] + list(report.appeals.cells.values())
    assert cells and all(c.state == "dash" and c.value is None for c in cells)
    assert _rules(report, "error") == []
    assert set(_rules(report, "info")) == {"T3.balance", "T3.total_breakdown", "T3.row_total", "T4.block_total"}
    assert len(_rules(report, "info")) == 4  # one per rule and table, not one per cell


def test_negative_count() -> None:
    report = _report(set_row(seed_text("001"), "2.重复申请", ["-1", "0", "0", "0", "0", "0", "-1"]))
    negatives = [f for f in report.findings if f.rule == "counts.non_negative_integer"]
    assert [(f.row, f.column, f.severity) for f in negatives] == [
        ("not_processed.repeated", "natural_person", "error"),
        ("not_processed.repeated", "total", "error"),
    ]


def test_appeals_block_total() -> None:
    text = seed_text("001")
    lines = text.split("\n")
    start = max(i for i, line in enumerate(lines) if line == "\t总计") + 2  # the value row after the header
    values = ["1", "0", "0", "1", "1"] + ["0"] * 10
    for offset, value in enumerate(values):
        lines[start + offset] = f"\t{value}"
    report = _report("\n".join(lines))
    block = [f for f in report.findings if f.rule == "T4.block_total"]
    assert [(f.row, f.printed, f.expected) for f in block] == [("review", "1", 2)]


@pytest.mark.parametrize("body", ["无。", "无", "暂无。"])
def test_section_five_empty(body: str) -> None:
    report = _report(replace_section_text(seed_text("001"), "五、存在的主要问题及改进情况", body))
    assert _rules(report) == ["quality.section5_empty"]
    assert report.findings[0].severity == "warning"


def test_fees_unexplained() -> None:
    text = set_row(seed_text("003"), "行政事业性收费", ["1.5"])
    assert "quality.fees_unexplained" not in _rules(_report(text))  # section 六 speaks of 收费
    lines = text.split("\n")
    six = lines.index("六、其他需要报告的事项")
    text = "\n".join(lines[: six + 1] + ["无。"])
    report = _report(text)
    fees = [f for f in report.findings if f.rule == "quality.fees_unexplained"]
    assert len(fees) == 1 and fees[0].printed == "1.5" and fees[0].row == "行政事业性收费"


def test_rows_not_printed_are_said_once() -> None:
    text = seed_text("001").replace("\t四、结转下年度继续办理", "\t四、结转情况另行说明")
    report = _report(text)
    assert "carried_forward" not in report.applications.rows
    balance = [f for f in report.findings if f.rule == "T3.balance"]
    assert [(f.severity, f.message) for f in balance] == [("info", "not checked, rows not printed: carried_forward")]
