"""domain.md rule 5: every count is a non-negative whole number (tables 2, 3 and 4).

* ``counts.non_negative_integer``: an error for a negative, fractional or money-unit count; a
  warning for a count printed as text. Table 2's 本年增/减 column is signed and its amounts
  are money, so neither is a count.
"""

from __future__ import annotations

from parsers.labels import SIGNED_COLUMN
from parsers.report import Cell, Finding, Report
from parsers.rules.check import finding

_COUNT_UNITS = (None, "件", "个", "条", "项", "次")


def check_counts(report: Report) -> list[Finding]:
    counted: list[tuple[str, str, str, Cell]] = []
    if report.applications is not None:
        counted += [("applications", k, c, cell) for k, row in report.applications.rows.items() for c, cell in row.cells.items()]
    if report.appeals is not None:
        counted += [("appeals", *_block_outcome(k), cell) for k, cell in report.appeals.cells.items()]
    if report.active_disclosure is not None:
        counted += [
            ("active_disclosure", row.label, column, cell)
            for row in report.active_disclosure.rows
            for column, cell in row.cells.items()
            if not cell.money and not SIGNED_COLUMN.search(column)
        ]
    findings = []
    for table, row, column, cell in counted:
        if cell.state == "number" and (cell.value < 0 or not float(cell.value).is_integer() or cell.unit not in _COUNT_UNITS):  # type: ignore[operator]
            findings.append(finding("counts.non_negative_integer", "error", table, row, column, cell.raw, None,
                                    f"a count must be a non-negative whole number, printed {cell.raw}",
                                    f"数量应为非负整数，填报为{cell.raw}"))
        elif cell.state == "text":
            findings.append(finding("counts.non_negative_integer", "warning", table, row, column, cell.raw, None,
                                    f"a count is printed as text, not a number: {cell.raw}",
                                    f"数量填报为文字而非数字：{cell.raw}"))
    return findings


def _block_outcome(name: str) -> tuple[str, str]:
    block, _, outcome = name.partition(".")
    return block, outcome
