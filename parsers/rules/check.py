"""What every rule shares: comparing a printed total with its parts, and saying what could not be checked.

A printed total is never changed: a mismatch is a finding. A rule that cannot be checked
because a cell it needs is blank, a dash or text, or a row it needs was not found, yields
one "info" finding per rule and table (listing what was skipped), never an assumed 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parsers.cells import tidy_number
from parsers.report import Cell, Finding, Severity


def finding(rule: str, severity: Severity, table: str | None, row: str | None, column: str | None,
            printed: Any, expected: Any, en: str, zh: str) -> Finding:
    return Finding(rule, severity, table, row, column, printed, expected, en, zh)


@dataclass
class Check:
    """Collects one rule's findings on one table and the places it could not check."""

    rule: str
    table: str
    what_en: str  # the rule in words, e.g. "一+二 must equal （七）总计+四"
    what_zh: str
    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # rows the rule needs that were not found

    def needs(self, present: dict | set, keys: tuple[str, ...] | list[str]) -> bool:
        """True when every row in ``keys`` was found; else notes the missing ones."""
        absent = [key for key in keys if key not in present]
        self.missing += [key for key in absent if key not in self.missing]
        return not absent

    def compare(self, row: str | None, column: str | None, total: Cell, parts: list[Cell],
                minus: tuple[Cell, ...] = ()) -> None:
        """Expect ``total`` = sum(parts) - sum(minus)."""
        where = ".".join(p for p in (row, column) if p)
        if {c.state for c in (total, *parts, *minus)} != {"number"}:  # a set made in C: checked for every cell
            if not self._parts_exceed(row, column, total, parts, minus):
                self.skipped.append(where)
            return
        expected = tidy_number(sum(p.value for p in parts) - sum(m.value for m in minus))  # type: ignore[misc]
        if abs(expected - total.value) > 1e-6:  # type: ignore[operator]
            self.findings.append(finding(
                self.rule, "error", self.table, row, column, total.raw, expected,
                f"{self.what_en}: printed {total.raw}, the parts add up to {expected}",
                f"{self.what_zh}：填报为{total.raw}，各项相加为{expected}",
            ))

    def _parts_exceed(self, row: str | None, column: str | None, total: Cell, parts: list[Cell], minus: tuple[Cell, ...]) -> bool:
        """Whether the parts printed as numbers already add up to more than a printed total,
        the others being blank or a dash: counts are never negative, so whatever those stand
        for, the total cannot hold (a finding); False when that cannot be told."""
        if minus or total.state != "number" or any(p.state not in ("number", "blank", "dash") for p in parts):
            return False
        numbers = [p.value for p in parts if p.state == "number"]
        if any(value < 0 for value in numbers):  # type: ignore[operator]
            return False
        printed = tidy_number(sum(numbers))  # type: ignore[arg-type]
        if printed <= total.value:  # type: ignore[operator]
            return False
        self.findings.append(finding(
            self.rule, "error", self.table, row, column, total.raw, printed,
            f"{self.what_en}: printed {total.raw}, the parts printed as numbers already add up to {printed}",
            f"{self.what_zh}：填报为{total.raw}，已填数字的各项相加即为{printed}",
        ))
        return True

    def results(self) -> list[Finding]:
        if not self.skipped and not self.missing:
            return self.findings
        en, zh = [], []
        if self.skipped:
            en.append(f"not checked where a needed cell is blank, a dash or text: {', '.join(self.skipped)}")
            zh.append(f"所需单元格为空、横线或文字，未核对：{'、'.join(self.skipped)}")
        if self.missing:
            en.append(f"not checked, rows not printed: {', '.join(self.missing)}")
            zh.append(f"所需行未读到，未核对：{'、'.join(self.missing)}")
        note = finding(self.rule, "info", self.table, None, None, None, None, "; ".join(en), "；".join(zh))
        return [*self.findings, note]
