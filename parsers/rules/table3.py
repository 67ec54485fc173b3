"""Table 3 (依申请) rules: domain.md rules 1-3, one check per column or row.

* ``T3.balance`` (7 checks, one per column): 一 + 二 = （七）总计 + 四, the rule printed in the table.
* ``T3.total_breakdown`` (7, per column): （七）总计 = （一）+（二）+ Σ（三）+ Σ（四）+ Σ（五）+ （六）.
* ``T3.row_total`` (25, one per standard row; rows a province added too): 总计 = the six applicant columns.
"""

from __future__ import annotations

from parsers.completeness import APPLICATION_ROWS_COMMON, OTHER_ROWS
from parsers.report import APPLICANT_COLUMNS, ApplicationsTable, Finding
from parsers.rules.check import Check

_APPLICANTS = APPLICANT_COLUMNS[:-1]
_BALANCE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
_OPENING_ROWS = ("new_received", "carried_over")


def breakdown_rows(rows: dict) -> tuple[str, ...]:
    """The rows （七）总计 adds up: （一）-（六） of the template the table prints."""
    other = OTHER_ROWS["2019"] if "other" in rows else OTHER_ROWS["2021"]
    return tuple(k for k in APPLICATION_ROWS_COMMON if k not in _OPENING_ROWS) + other


def check_applications(table: ApplicationsTable) -> list[Finding]:
    rows = table.rows
    cells = {key: row.cells for key, row in rows.items()}
    balance = Check("T3.balance", "applications", "一+二 must equal （七）总计+四", "一+二应等于（七）总计+四")
    breakdown = Check("T3.total_breakdown", "applications", "（七）总计 must equal the sum of （一）-（六）",
                      "（七）总计应等于（一）至（六）之和")
    row_total = Check("T3.row_total", "applications", "总计 must equal the six applicant columns",
                      "总计应等于六类申请人之和")
    parts = breakdown_rows(rows)
    can_balance = balance.needs(cells, _BALANCE_ROWS)
    can_break_down = breakdown.needs(cells, ("total_processed", *parts))
    for column in APPLICANT_COLUMNS:
        if can_balance and _printed(cells, _BALANCE_ROWS, column):
            balance.compare("total_processed", column, cells["total_processed"][column],
                            [cells["new_received"][column], cells["carried_over"][column]],
                            minus=(cells["carried_forward"][column],))
        if can_break_down and _printed(cells, ("total_processed", *parts), column):
            breakdown.compare("total_processed", column, cells["total_processed"][column],
                              [cells[key][column] for key in parts])
    for key, row_cells in cells.items():
        if row_total.needs(row_cells, APPLICANT_COLUMNS):
            row_total.compare(key, "total", row_cells["total"], [row_cells[c] for c in _APPLICANTS])
    return balance.results() + breakdown.results() + row_total.results()


def _printed(cells: dict, keys: tuple[str, ...], column: str) -> bool:
    """Whether every row in ``keys`` prints ``column``: a table may leave a column out (completeness names it)."""
    return all(column in cells[key] for key in keys)
