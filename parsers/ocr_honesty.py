"""Saying what OCR read, and not blaming the agency for what OCR may have misread.

Consistency rules (parsers/validation.py) judge the printed numbers. When a rule fails on
cells that OCR read, the likelier story is a misread digit, so the finding is restated as
"possibly misread" with the cells concerned and their confidence, at warning level; the
agency's error is only claimed on text the agency's own file carries.
"""

from __future__ import annotations

from dataclasses import replace

from parsers.report import Cell, Finding, Report
from parsers.restating import CellName, named_cells, restate_uncertain

POSSIBLY_MISREAD = "ocr.possibly_misread"
LOW_CONFIDENCE = "ocr.low_confidence"
_SHOWN = 12  # cells named in one message; the rest are counted


def ocr_cells(report: Report) -> dict[CellName, Cell]:
    return {name: cell for name, cell in named_cells(report).items() if _read_by_ocr(cell)}


def restate_for_ocr(report: Report, findings: list[Finding]) -> list[Finding]:
    """``findings`` with every failed rule on OCR-read cells restated, plus one finding
    naming the cells OCR was unsure of."""
    read = ocr_cells(report)
    if not read:
        return findings
    restated = restate_uncertain(findings, named_cells(report), _read_by_ocr, _misread)
    flagged = [(name, cell) for name, cell in read.items() if cell.ocr_flagged]
    if flagged:
        restated.append(Finding(LOW_CONFIDENCE, "warning", None, None, None, None, None,
                                f"OCR is unsure of {len(flagged)} of {len(read)} cells it read: {_describe(flagged)}"))
    return restated


def _read_by_ocr(cell: Cell) -> bool:
    return cell.ocr_confidence is not None


def _misread(finding: Finding, concerned: list[tuple[CellName, Cell]]) -> Finding:
    return replace(
        finding, rule=POSSIBLY_MISREAD, severity="warning",
        message=f"possibly misread by OCR, not shown to be the agency's error: {finding.rule}: {finding.message}; "
                f"cells concerned: {_describe(concerned)}",
    )


def _describe(cells: list[tuple[CellName, Cell]]) -> str:
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
