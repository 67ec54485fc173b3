"""Saying what OCR read, and not blaming the agency for what OCR may have misread.

Consistency rules (parsers/validation.py) judge the printed numbers. When a rule fails on
cells that OCR read, the likelier story is a misread digit, so the finding is restated as
"possibly misread" with the cells concerned and their confidence, at warning level; the
agency's error is only claimed on text the agency's own file carries.
"""

from __future__ import annotations

from dataclasses import replace

from parsers.report import Cell, Finding, Report

POSSIBLY_MISREAD = "ocr.possibly_misread"
LOW_CONFIDENCE = "ocr.low_confidence"
_SHOWN = 12  # cells named in one message; the rest are counted
_BALANCE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")


def named_cells(report: Report) -> dict[tuple[str, str, str], Cell]:
    """Every table cell by (table, row, column), with the names findings use."""
    cells: dict[tuple[str, str, str], Cell] = {}
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


def ocr_cells(report: Report) -> dict[tuple[str, str, str], Cell]:
    return {name: cell for name, cell in named_cells(report).items() if cell.ocr_confidence is not None}


def restate_for_ocr(report: Report, findings: list[Finding]) -> list[Finding]:
    """``findings`` with every failed rule on OCR-read cells restated, plus one finding
    naming the cells OCR was unsure of."""
    read = ocr_cells(report)
    if not read:
        return findings
    cells = named_cells(report)
    restated = []
    for finding in findings:
        concerned = [(name, cells[name]) for name in concerned_cells(finding, cells)]
        if finding.severity == "info" or not any(cell.ocr_confidence is not None for _, cell in concerned):
            restated.append(finding)
            continue
        restated.append(replace(
            finding, rule=POSSIBLY_MISREAD, severity="warning",
            message=f"possibly misread by OCR, not shown to be the agency's error: {finding.rule}: {finding.message}; "
                    f"cells concerned: {_describe(concerned)}",
        ))
    flagged = [(name, cell) for name, cell in read.items() if cell.ocr_flagged]
    if flagged:
        restated.append(Finding(LOW_CONFIDENCE, "warning", None, None, None, None, None,
                                f"OCR is unsure of {len(flagged)} of {len(read)} cells it read: {_describe(flagged)}"))
    return restated


def concerned_cells(finding: Finding, cells: dict[tuple[str, str, str], Cell]) -> list[tuple[str, str, str]]:
    """The cells a finding's rule looked at: its whole row, column or block for sum rules, else its cell."""
    table, row, column = finding.table, finding.row, finding.column
    if finding.rule == "T3.row_total" or finding.rule == "T4.block_total":
        return [name for name in cells if name[0] == table and name[1] == row]
    if finding.rule == "T3.balance":
        return [name for name in cells if name[0] == table and name[2] == column and name[1] in _BALANCE_ROWS]
    if finding.rule.startswith("T3."):
        return [name for name in cells if name[0] == table and name[2] == column]
    return [name for name in cells if name == (table, row, column)]


def _describe(cells: list[tuple[tuple[str, str, str], Cell]]) -> str:
    shown = [f"{'.'.join(name)} {cell.raw!r} ({_confidence(cell)})" for name, cell in cells[:_SHOWN]]
    more = f" and {len(cells) - _SHOWN} more" if len(cells) > _SHOWN else ""
    return ", ".join(shown) + more


def _confidence(cell: Cell) -> str:
    if cell.ocr_confidence is None:
        return "from the text layer"
    return f"OCR {cell.ocr_confidence:.2f}{', flagged' if cell.ocr_flagged else ''}"


def describe_ocr(report: Report) -> list[str]:
    """Lines for ``harvester parse``: how many cells of each table OCR read, and the unsure ones."""
    read = ocr_cells(report)
    if not read:
        return []
    lines = [f"OCR:       {len(read)} cells read from images (JSON: \"source\": \"ocr\" with their confidence)"]
    for table in dict.fromkeys(name[0] for name in read):
        in_table = [name for name in named_cells(report) if name[0] == table]
        lines.append(f"  {table}: {sum(1 for name in in_table if name in read)} of {len(in_table)} cells read by OCR")
    lines += [f"  unsure: {'.'.join(name)} {cell.raw!r} ({_confidence(cell)})" for name, cell in read.items() if cell.ocr_flagged]
    return lines
