"""Restating failed consistency rules on cells whose reading is uncertain.

A rule judges printed numbers; when it fails on a cell read by OCR or placed by position in
a table without ruling lines, the likelier story is a misreading, not the agency's error.
``parsers.ocr_honesty`` and ``parsers.layout_honesty`` each say what makes a cell uncertain
and how the finding is worded; which cells a finding concerns and the loop that restates
them live here once.
"""

from __future__ import annotations

from collections.abc import Callable

from parsers.report import Cell, Finding, Report

CellName = tuple[str, str, str]
_BALANCE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")


def named_cells(report: Report) -> dict[CellName, Cell]:
    """Every table cell by (table, row, column), with the names findings use."""
    cells: dict[CellName, Cell] = {}
    if report.active_disclosure is not None:
        for row in report.active_disclosure.rows:
            for column, cell in row.cells.items():
                cells[("active_disclosure", row.label, column)] = cell
    if report.applications is not None:
        for key, app_row in report.applications.rows.items():
            for column, cell in app_row.cells.items():
                cells[("applications", key, column)] = cell
    if report.appeals is not None:
        for key, cell in report.appeals.cells.items():
            block, outcome = key.split(".", 1)
            cells[("appeals", block, outcome)] = cell
    return cells


def concerned_cells(finding: Finding, cells: dict[CellName, Cell]) -> list[CellName]:
    """The cells a finding's rule looked at: its whole row, column or block for sum rules, else its cell."""
    table, row, column = finding.table, finding.row, finding.column
    if finding.rule == "T3.row_total" or finding.rule == "T4.block_total":
        return [name for name in cells if name[0] == table and name[1] == row]
    if finding.rule == "T3.balance":
        return [name for name in cells if name[0] == table and name[2] == column and name[1] in _BALANCE_ROWS]
    if finding.rule.startswith("T3."):
        return [name for name in cells if name[0] == table and name[2] == column]
    return [name for name in cells if name == (table, row, column)]


Restate = Callable[[Finding, list[tuple[CellName, Cell]]], Finding]


def restate_uncertain(findings: list[Finding], cells: dict[CellName, Cell], uncertain: Callable[[Cell], bool],
                      restate: Restate) -> list[Finding]:
    """``findings`` with each failed rule (warning or error) that looked at an uncertain cell
    replaced by ``restate(finding, the cells it looked at)``."""
    restated = []
    for finding in findings:
        concerned = [(name, cells[name]) for name in concerned_cells(finding, cells)]
        if finding.severity == "info" or not any(uncertain(cell) for _, cell in concerned):
            restated.append(finding)
        else:
            restated.append(restate(finding, concerned))
    return restated
