"""Every rule family on the real Hebei pages with their printed numbers or words edited into a failing report."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.report import Finding, Report
from parsers.rules import RULES

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"
LINES_PER_CELL = 3  # the copied page prints a cell, then two blank lines


def page(year: int) -> list[str]:
    return (REAL / f"hebei_jyt_{year}_copied_text.txt").read_bytes().decode("utf-8").split("\r")


def set_cell(lines: list[str], label: str, value_index: int, printed: str) -> list[str]:
    """The page with the value_index-th value after the row label ``label`` printed as ``printed``."""
    row = lines.index(label)
    at = row + LINES_PER_CELL * (value_index + 1)
    return [*lines[:at], printed, *lines[at + 1 :]]


def replace_words(lines: list[str], old: str, new: str) -> list[str]:
    assert any(old in line for line in lines), old
    return [line.replace(old, new) for line in lines]


def parse(lines: list[str]) -> Report:
    return parse_bytes("\r".join(lines).encode("utf-8"), filename="page.txt")[1]


def found(report: Report, severity: str | None = None) -> list[tuple[str, str | None, str | None]]:
    return [(f.rule, f.row, f.column) for f in report.findings if severity is None or f.severity == severity]


def review_total_line(lines: list[str]) -> int:
    """Where table 4 prints 行政复议 总计: the fifth cell of the value row after the last header cell (总计)."""
    last_header = max(i for i, line in enumerate(lines) if line == "总计")
    return last_header + 2 + 4 * LINES_PER_CELL + LINES_PER_CELL  # a row break is two more blank lines


def only(report: Report, rule: str) -> Finding:
    [finding] = [f for f in report.findings if f.rule == rule]
    return finding


GRANTED, NATURAL, TOTAL = "（一）予以公开", 0, 6


def test_the_real_pages_pass_every_arithmetic_rule() -> None:
    assert found(parse(page(2022)), "error") == [] and found(parse(page(2019)), "error") == []


def test_row_and_breakdown_totals() -> None:
    report = parse(set_cell(page(2022), GRANTED, NATURAL, "25"))  # 24 -> 25: the row and （七） no longer add up
    assert found(report, "error") == [("T3.total_breakdown", "total_processed", "natural_person"),
                                      ("T3.row_total", "granted", "total")]
    breakdown = only(report, "T3.total_breakdown")
    assert (breakdown.printed, breakdown.expected) == ("41", 42)
    assert breakdown.message == "（七）总计 must equal the sum of （一）-（六）: printed 41, the parts add up to 42"
    assert breakdown.message_zh == "（七）总计应等于（一）至（六）之和：填报为41，各项相加为42"


def test_parts_printed_as_numbers_that_already_exceed_the_total_are_an_error_whatever_a_dash_stands_for() -> None:
    lines = set_cell(page(2022), GRANTED, 2, "/")  # 科研机构 printed "/"
    report = parse(set_cell(lines, GRANTED, NATURAL, "26"))  # 24 -> 26: 26+2+1 > 总计 27
    row_total = next(f for f in report.findings if (f.rule, f.row, f.severity) == ("T3.row_total", "granted", "error"))
    assert (row_total.printed, row_total.expected) == ("27", 29)
    assert row_total.message == "总计 must equal the six applicant columns: printed 27, the parts printed as numbers already add up to 29"
    # under the total, a dash leaves the row unchecked: that is all that can be said
    report = parse(lines)
    assert ("T3.row_total", "granted", "total") not in found(report, "error")
    assert any(f.rule == "T3.row_total" and f.severity == "info" and "granted.total" in f.message for f in report.findings)


def test_balance_of_the_year() -> None:
    report = parse(set_cell(page(2022), "四、结转下年度继续办理", TOTAL, "3"))
    assert ("T3.balance", "total_processed", "total") in found(report, "error")
    assert ("T3.row_total", "carried_forward", "total") in found(report, "error")
    assert only(report, "T3.balance").message_zh == "一+二应等于（七）总计+四：填报为44，各项相加为41"


def test_appeals_block_total() -> None:
    lines = page(2022)
    review_total = review_total_line(lines)
    assert lines[review_total] == "4"
    lines[review_total] = "5"
    report = parse(lines)
    assert found(report, "error") == [("T4.block_total", "review", "total")]
    assert only(report, "T4.block_total").message == "维持+纠正+其他+尚未审结 must equal 总计: printed 5, the parts add up to 4"


def test_prose_against_tables() -> None:
    lines = replace_words(page(2022), "申请共44件", "申请共45件")
    lines = replace_words(lines, "当年办结44件", "当年办结43件")
    lines = replace_words(lines, "，当年办结", "，上年结转申请2件，结转下年度继续办理1件，当年办结")
    report = parse(lines)
    assert sorted(found(report, "warning")) == sorted([
        ("P.new_received", "new_received", "total"), ("P.carried_over", "carried_over", "total"),
        ("P.carried_forward", "carried_forward", "total"), ("P.total_processed", "total_processed", "total"),
        ("quality.fees_unexplained", "行政事业性收费", "本年收费金额（单位：万元）"),
    ])
    said = only(report, "P.new_received")
    assert (said.printed, said.expected) == ("收到公民、法人和其他组织政府信息公开申请共45件", 44)
    assert said.message_zh == "正文称“收到公民、法人和其他组织政府信息公开申请共45件”，表中本年新收为44"


def test_prose_saying_no_appeals_against_a_table_with_one() -> None:
    lines = page(2019)
    review_total = review_total_line(lines)
    assert lines[review_total] == "0"
    lines[review_total] = "1"
    litigation_total = review_total + 5 * LINES_PER_CELL
    lines[litigation_total] = "2"
    report = parse(lines)
    review, litigation = only(report, "P.review"), only(report, "P.litigation")
    assert (review.printed, review.expected) == ("未发生因信息公开引起的行政复议", 1)
    assert (litigation.printed, litigation.expected) == ("未发生因信息公开引起的行政复议和行政诉讼", 2)


def test_assisting_other_agencies_is_not_the_year_total() -> None:
    lines = replace_words(page(2022), "当年办结44件", "协助办结12件")
    assert "P.total_processed" not in [f.rule for f in parse(lines).findings]


@pytest.mark.parametrize("other_matter", [
    "全年政务服务大厅受理行政许可申请1256件。",  # licences: not 依申请公开
    "共办结人大代表建议和政协提案12件。",  # deputies' proposals settled
    "本厅作为行政复议机关，全年办理行政复议案件35件。",  # reviews the agency decided, not reviews of it
])
def test_counts_of_other_matters_are_not_compared_with_the_tables(other_matter: str) -> None:
    lines = replace_words(page(2022), "全年收到公民", other_matter + "全年收到公民")
    assert [f.rule for f in parse(lines).findings if f.rule.startswith("P.")] == []


def test_a_total_said_to_include_last_year_s_applications_is_not_this_year_s() -> None:
    lines = replace_words(page(2022), "申请共44件", "申请共47件（含上年结转3件）")
    # the page's table 3 prints 上年结转 0: that is a finding, 47 against 本年新收 44 is not
    assert [f.rule for f in parse(lines).findings if f.rule.startswith("P.")] == ["P.carried_over"]


def test_prose_saying_no_applications_against_a_table_with_some() -> None:
    lines = replace_words(page(2022), "全年收到公民、法人和其他组织政府信息公开申请共44件，当年办结44件",
                          "本年度未收到政府信息公开申请")
    said = only(parse(lines), "P.new_received")
    assert (said.printed, said.expected) == ("未收到政府信息公开申请", 44)


def test_table2_rules() -> None:
    lines = set_cell(page(2019), "行政许可", 1, "-10")  # 上一年项目数量 9, 本年增/减 -10
    lines = set_cell(lines, "规范性文件", 2, "15")  # 对外公开总数量 15 < 本年新公开数量 16
    report = parse(lines)
    change = only(report, "T2.items_after_change")
    assert (change.severity, change.row, change.column, change.printed) == ("warning", "行政许可", "本年增/减", "-10")
    published = only(report, "T2.published_total")
    assert (published.severity, published.row, published.printed) == ("warning", "规范性文件", "15")
    unit = only(report, "T2.amount_unit")  # the real page prints 采购总金额 256146 without 元 or 万元
    assert (unit.row, unit.printed, unit.message_zh) == ("政府集中采购", "256146", "金额未注明单位（元还是万元？）：256146")


def test_empty_problems_section() -> None:
    lines = page(2022)
    start = lines.index("五、存在的主要问题及改进情况")
    lines = [*lines[: start + 1], "无。", *lines[start + 3 :]]
    assert ("quality.section5_empty", None, None) in found(parse(lines), "warning")


def test_no_false_alarm_on_a_partly_read_table() -> None:
    """A lost row must not turn into arithmetic errors: the rules it breaks become info or warnings."""
    lines = replace_words(page(2022), GRANTED, "（一）予以公开政府信息")  # misprinted so it matches no standard row
    lines = replace_words(lines, "（一）予以公开政府信息", "（一）同意提供")
    lines = set_cell(lines, "1.属于国家秘密", NATURAL, "1")  # and a row that truly does not add up
    report = parse(lines)
    assert report.completeness["applications"].status == "partial"
    assert report.completeness["applications"].missing_rows == ["granted"]
    assert found(report, "error") == []
    breakdown = only(report, "T3.total_breakdown")
    assert breakdown.severity == "info" and "rows not printed: granted" in breakdown.message
    row_total = only(report, "T3.row_total")
    assert (row_total.severity, row_total.row) == ("warning", "withheld.state_secret")
    assert "table only partly read" in row_total.message and "未完整读取" in row_total.message_zh


@pytest.mark.parametrize("year", [2019, 2022])
def test_every_finding_names_a_registered_rule_in_both_languages(year: int) -> None:
    lines = set_cell(page(year), GRANTED, NATURAL, "99")
    for finding in parse(lines).findings:
        assert finding.rule in RULES and finding.message and finding.message_zh


def test_rule_registry_covers_the_public_peer() -> None:
    checks = {family: sum(r.checks for r in RULES.values() if r.id.startswith(family)) for family in ("T3.", "T4.", "P.")}
    assert checks["T3."] >= 39 and checks["T4."] >= 3 and checks["P."] >= 6
    assert all(rule.zh and rule.en for rule in RULES.values())
