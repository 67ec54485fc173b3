"""Consistency rules (勾稽关系) checked on one report: domain.md rules 1-5 and 8.

A printed total is never changed: a mismatch is a finding. A rule that cannot be checked
because a cell it needs is blank, a dash or text yields one "info" finding per rule and
table (listing what was skipped), never an assumed 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.cells import tidy_number
from parsers.report import APPEAL_BLOCKS, APPEAL_OUTCOMES, APPLICANT_COLUMNS, Cell, Finding, Report

_APPLICANTS = APPLICANT_COLUMNS[:-1]
_BREAKDOWN_PREFIXES = ("granted", "partially_granted", "withheld.", "unable.", "not_processed.", "other")
_SIGNED_COLUMN = re.compile(r"增/?减")
_EMPTY_SECTION = re.compile(r"^(?:无|暂无|没有|无其他需要报告的事项)?[。.]?$")
_FEE_ROW = re.compile(r"收费")
_FEE_MENTION = re.compile(r"收费|费用|收取")


@dataclass
class _Check:
    """Collects one rule's findings and the places it could not check."""

    rule: str
    table: str
    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # rows the rule needs that the table does not print

    def needs(self, present: dict, keys: tuple[str, ...]) -> bool:
        """True when every row in ``keys`` is printed; else notes the missing ones."""
        absent = [key for key in keys if key not in present and key not in self.missing]
        self.missing += absent
        return not absent and all(key in present for key in keys)

    def compare(self, row: str | None, column: str | None, total: Cell, parts: list[Cell], what: str,
                minus: tuple[Cell, ...] = ()) -> None:
        """Expect ``total`` = sum(parts) - sum(minus); the printed total is reported, never replaced."""
        where = ".".join(p for p in (row, column) if p)
        if any(c.state != "number" for c in (total, *parts, *minus)):
            self.skipped.append(where)
            return
        expected = tidy_number(sum(p.value for p in parts) - sum(m.value for m in minus))  # type: ignore[misc]
        if abs(expected - total.value) > 1e-6:  # type: ignore[operator]
            self.findings.append(
                Finding(self.rule, "error", self.table, row, column, total.raw, expected,
                        f"{what}: printed {total.raw}, the parts add up to {expected}")
            )

    def results(self) -> list[Finding]:
        if not self.skipped and not self.missing:
            return self.findings
        reasons = []
        if self.skipped:
            reasons.append(f"not checked where a needed cell is blank, a dash or text: {', '.join(self.skipped)}")
        if self.missing:
            reasons.append(f"not checked, rows not printed: {', '.join(self.missing)}")
        note = Finding(self.rule, "info", self.table, None, None, None, None, "; ".join(reasons))
        return [*self.findings, note]


def validate(report: Report) -> list[Finding]:
    findings: list[Finding] = []
    if report.applications is not None:
        findings += _applications(report.applications.rows)
    if report.appeals is not None:
        findings += _appeals(report.appeals.cells)
    findings += _non_negative(report)
    findings += _quality(report)
    return findings


def _applications(rows: dict) -> list[Finding]:
    balance = _Check("T3.balance", "applications")
    breakdown = _Check("T3.total_breakdown", "applications")
    row_total = _Check("T3.row_total", "applications")
    cells = {key: row.cells for key, row in rows.items()}
    parts = [key for key in rows if key.startswith(_BREAKDOWN_PREFIXES)]
    can_balance = balance.needs(cells, ("new_received", "carried_over", "total_processed", "carried_forward"))
    can_break_down = breakdown.needs(cells, ("total_processed",)) and bool(parts)
    for column in APPLICANT_COLUMNS:
        if can_balance:
            balance.compare("total_processed", column, cells["total_processed"][column],
                            [cells["new_received"][column], cells["carried_over"][column]],
                            "一+二 must equal （七）总计+四", minus=(cells["carried_forward"][column],))
        if can_break_down:
            breakdown.compare("total_processed", column, cells["total_processed"][column],
                              [cells[key][column] for key in parts], "（七）总计 must equal the sum of （一）-（六）")
    for key, row_cells in cells.items():
        row_total.compare(key, "total", row_cells["total"], [row_cells[c] for c in _APPLICANTS],
                          "总计 must equal the six applicant columns")
    return balance.results() + breakdown.results() + row_total.results()


def _appeals(cells: dict[str, Cell]) -> list[Finding]:
    check = _Check("T4.block_total", "appeals")
    for block in APPEAL_BLOCKS:
        if f"{block}.total" in cells:
            check.compare(block, "total", cells[f"{block}.total"],
                          [cells[f"{block}.{o}"] for o in APPEAL_OUTCOMES[:-1]], "维持+纠正+其他+尚未审结 must equal 总计")
    return check.results()


def _non_negative(report: Report) -> list[Finding]:
    counted: list[tuple[str, str, str, Cell]] = []
    if report.applications is not None:
        counted += [("applications", k, c, cell) for k, row in report.applications.rows.items() for c, cell in row.cells.items()]
    if report.appeals is not None:
        counted += [("appeals", k.split(".")[0], k.split(".")[1], cell) for k, cell in report.appeals.cells.items()]
    if report.active_disclosure is not None:
        counted += [
            ("active_disclosure", row.label, column, cell)
            for row in report.active_disclosure.rows
            for column, cell in row.cells.items()
            if not cell.money and not _SIGNED_COLUMN.search(column)
        ]
    findings = []
    for table, row, column, cell in counted:
        if cell.state == "number" and (cell.value < 0 or not float(cell.value).is_integer() or cell.unit not in (None, "件", "个", "条", "项", "次")):  # type: ignore[operator]
            findings.append(Finding("counts.non_negative_integer", "error", table, row, column, cell.raw, None,
                                    f"a count must be a non-negative whole number, printed {cell.raw}"))
        elif cell.state == "text":
            findings.append(Finding("counts.non_negative_integer", "warning", table, row, column, cell.raw, None,
                                    f"a count is printed as text, not a number: {cell.raw}"))
    return findings


def _quality(report: Report) -> list[Finding]:
    findings = []
    sections = {s.number: s for s in report.sections}
    # Section 五 is "problems and improvements" only in the 2019/2021 outline.
    if sections and report.metadata.template != "pre-2019" and (5 not in sections or _EMPTY_SECTION.match(sections[5].text.replace("\n", "").strip())):
        printed = sections[5].text if 5 in sections else None
        findings.append(Finding("quality.section5_empty", "warning", None, None, None, printed, None,
                                "section 五 (problems and improvements) is missing, empty or says only 无"))
    if report.active_disclosure is not None:
        fees = [
            (row, column, cell)
            for row in report.active_disclosure.rows if _FEE_ROW.search(row.label)
            for column, cell in row.cells.items() if cell.money and cell.state == "number" and cell.value > 0  # type: ignore[operator]
        ]
        section6 = sections[6].text if 6 in sections else ""
        for row, column, cell in fees:
            if not _FEE_MENTION.search(section6):
                findings.append(Finding("quality.fees_unexplained", "warning", "active_disclosure", row.label, column,
                                        cell.raw, None, "table 2 reports fees but section 六 says nothing about them"))
    return findings
