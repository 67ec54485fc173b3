"""Table 2 (主动公开) rules that need one report only (现行有效 against last year is in storage/crossyear.py).

* ``T2.amount_unit``: an amount (采购总金额, 收费金额) printed without a unit, where the column
  header names none either, cannot be read as 元 or 万元 (warning).
* ``T2.items_after_change`` (2019 template): 上一年项目数量 + 本年增/减 below 0 (warning: some agencies
  print this year's count under 上一年项目数量, and then 0 with -1 is consistent).
* ``T2.published_total`` (2019 template): 对外公开总数量 counts every document in force, so it
  cannot be below 本年新公开数量 (warning: some agencies print the year's count there).
"""

from __future__ import annotations

import re

from parsers.labels import SIGNED_COLUMN, compact
from parsers.report import ActiveDisclosureRow, ActiveDisclosureTable, Cell, Finding
from parsers.rules.check import finding

_PREVIOUS = re.compile(r"上一年项目数")
_NEW_PUBLISHED = re.compile(r"本年新公开")
_PUBLISHED_TOTAL = re.compile(r"对外公开总数")


def check_active_disclosure(table: ActiveDisclosureTable) -> list[Finding]:
    findings: list[Finding] = []
    for row in table.rows:
        findings += _amount_units(row)
        previous, change = _number(row, _PREVIOUS), _number(row, SIGNED_COLUMN)
        if previous and change and previous[1].value + change[1].value < 0:  # type: ignore[operator]
            findings.append(finding(
                "T2.items_after_change", "warning", "active_disclosure", row.label, change[0], change[1].raw, None,
                f"上一年项目数量 {previous[1].raw} with 本年增/减 {change[1].raw} leaves fewer than 0 items",
                f"上一年项目数量{previous[1].raw}加本年增/减{change[1].raw}小于0",
            ))
        new, published = _number(row, _NEW_PUBLISHED), _number(row, _PUBLISHED_TOTAL)
        if new and published and published[1].value < new[1].value:  # type: ignore[operator]
            findings.append(finding(
                "T2.published_total", "warning", "active_disclosure", row.label, published[0], published[1].raw, None,
                f"对外公开总数量 {published[1].raw} is below 本年新公开数量 {new[1].raw}",
                f"对外公开总数量{published[1].raw}小于本年新公开数量{new[1].raw}",
            ))
    return findings


def _amount_units(row: ActiveDisclosureRow) -> list[Finding]:
    return [
        finding("T2.amount_unit", "warning", "active_disclosure", row.label, column, cell.raw, None,
                f"an amount printed without a unit (元 or 万元?): {cell.raw}", f"金额未注明单位（元还是万元？）：{cell.raw}")
        for column, cell in row.cells.items()
        if cell.money and cell.state == "number" and cell.unit is None and cell.value != 0
    ]


def _number(row: ActiveDisclosureRow, pattern: re.Pattern[str]) -> tuple[str, Cell] | None:
    """(column, cell) of the row's column matching ``pattern`` when it prints a number."""
    for name, cell in row.cells.items():
        if pattern.search(compact(name)):
            return (name, cell) if cell.state == "number" else None
    return None
