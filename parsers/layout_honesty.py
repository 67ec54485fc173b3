"""Saying which cells were placed by position, and not blaming the agency for a misplaced one.

A PDF table printed without ruling lines (``extract/pdf_borderless.py``) has its columns
judged from where its text stands, so a value can land one column off, or two touching
values read as one. Its cells carry ``"unruled": true`` in their location; a rule failing on
them is restated as possibly misplaced, at warning level, and one warning per table says how
many of its cells were placed this way, so that even a misplaced number no rule catches is
never passed off as read from a ruled grid.
"""

from __future__ import annotations

from dataclasses import replace

from parsers.report import Cell, Finding, Report
from parsers.restating import CellName, named_cells, restate_uncertain

POSSIBLY_MISPLACED = "layout.possibly_misplaced"
UNRULED_TABLE = "layout.unruled_table"


def restate_for_layout(report: Report, findings: list[Finding]) -> list[Finding]:
    cells = named_cells(report)
    # A list in the report's cell order: a set would order the warnings differently from run to run.
    placed = [name for name, cell in cells.items() if _unruled(cell)]
    if not placed:
        return findings
    restated = restate_uncertain(findings, cells, _unruled, _misplaced)
    for table in dict.fromkeys(name[0] for name in placed):
        count = sum(1 for name in placed if name[0] == table)
        restated.append(Finding(
            UNRULED_TABLE, "warning", table, None, None, None, None,
            f"{count} cells of {table} were read from a table printed without ruling lines: "
            "their columns were judged by position; check them against the document",
            f"{table} 无表格线，其中 {count} 个单元格按文字位置判断所在列，请对照原文核对",
        ))
    return restated


def _unruled(cell: Cell) -> bool:
    return cell.location is not None and cell.location.unruled


def _misplaced(finding: Finding, concerned: list[tuple[CellName, Cell]]) -> Finding:
    return replace(
        finding, rule=POSSIBLY_MISPLACED, severity="warning",
        message="possibly a value placed in the wrong column of a table printed without ruling lines, "
                f"not shown to be the agency's error: {finding.rule}: {finding.message}",
        message_zh=f"该表无表格线，数值可能错列，未必是报告本身的错误：{finding.rule}：{finding.message_zh or finding.message}",
    )
