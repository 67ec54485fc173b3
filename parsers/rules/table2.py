"""Table 2 (主动公开) rules that need one report only (现行有效 against last year is in storage/crossyear.py).

* ``T2.amount_unit``: an amount (采购总金额, 收费金额) printed without a unit, where the column
  header names none either, cannot be read as 元 or 万元 (warning).
* ``T2.items_after_change`` (2019 template): 上一年项目数量 + 本年增/减 cannot be below 0 (error).
* ``T2.published_total`` (2019 template): 对外公开总数量 counts every document in force, so it
  cannot be below 本年新公开数量 (warning: some agencies print the year's count there).
"""

from __future__ import annotations

import re

from parsers.labels import compact
from parsers.report import ActiveDisclosureRow, ActiveDisclosureTable, Cell, Finding
from parsers.rules.check import finding

_PREVIOUS = re.compile(r"上一年项目数")
_CHANGE = re.compile(r"增/?减")
_NEW_PUBLISHED = re.compile(r"本年新公开")
_PUBLISHED_TOTAL = re.compile(r"对外公开总数")


def check_active_disclosure(table: ActiveDisclosureTable) -> list[Finding]:
    findings: list[Finding] = []
    for row in table.rows:
        findings += _amount_units(row)
        previous, change = _cell(row, _PREVIOUS), _cell(row, _CHANGE)
        if _numbers(previous, change) and previous.value + change.value < 0:  # type: ignore[union-attr,operator]
            findings.append(finding(
                "T2.items_after_change", "error", "active_disclosure", row.label, _column(row, _CHANGE), change.raw,  # type: ignore[union-attr]
                None, f"上一年项目数量 {previous.raw} with 本年增/减 {change.raw} leaves fewer than 0 items",  # type: ignore[union-attr]
                f"上一年项目数量{previous.raw}加本年增/减{change.raw}小于0",  # type: ignore[union-attr]
            ))
        new, total = _cell(row, _NEW_PUBLISHED), _cell(row, _PUBLISHED_TOTAL)
        if _numbers(new, total) and total.value < new.value:  # type: ignore[union-attr,operator]
            findings.append(finding(
                "T2.published_total", "warning", "active_disclosure", row.label, _column(row, _PUBLISHED_TOTAL),
                total.raw, None, f"对外公开总数量 {total.raw} is below 本年新公开数量 {new.raw}",  # type: ignore[union-attr]
                f"对外公开总数量{total.raw}小于本年新公开数量{new.raw}",  # type: ignore[union-attr]
            ))
    return findings


def _amount_units(row: ActiveDisclosureRow) -> list[Finding]:
    return [
        finding("T2.amount_unit", "warning", "active_disclosure", row.label, column, cell.raw, None,
                f"an amount printed without a unit (元 or 万元?): {cell.raw}", f"金额未注明单位（元还是万元？）：{cell.raw}")
        for column, cell in row.cells.items()
        if cell.money and cell.state == "number" and cell.unit is None and cell.value != 0
    ]


def _column(row: ActiveDisclosureRow, pattern: re.Pattern[str]) -> str | None:
    return next((name for name in row.cells if pattern.search(compact(name))), None)


def _cell(row: ActiveDisclosureRow, pattern: re.Pattern[str]) -> Cell | None:
    name = _column(row, pattern)
    return row.cells[name] if name is not None else None


def _numbers(*cells: Cell | None) -> bool:
    return all(cell is not None and cell.state == "number" for cell in cells)
