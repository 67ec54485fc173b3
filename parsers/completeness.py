"""Completeness, stated: for every standard table, whether every standard row and column was read.

A report whose tables could not be read must never pass as a clean one: a table of a 2019+
report is ``complete`` (every standard row and column found), ``partial`` (the rows or
columns not found are named), or ``missing`` (not found at all); before 2019 there were no
standard tables (``not_applicable``). Computed from the parsed rows and cells only, so it
holds whatever the table parsers do to find them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from parsers.labels import SIGNED_COLUMN, compact, label_key
from parsers.report import (
    APPEAL_BLOCKS,
    APPEAL_OUTCOMES,
    APPLICANT_COLUMNS,
    ActiveDisclosureRow,
    ActiveDisclosureTable,
    ApplicationsTable,
    Report,
)

Status = Literal["complete", "partial", "missing", "not_applicable"]
TABLES = ("active_disclosure", "applications", "appeals")
_FIRST_TEMPLATE_YEAR = 2019

APPLICATION_ROWS_COMMON = (
    "new_received", "carried_over", "granted", "partially_granted",
    "withheld.state_secret", "withheld.prohibited_by_law", "withheld.endangers_safety_stability",
    "withheld.third_party_rights", "withheld.internal_affairs", "withheld.process_info",
    "withheld.enforcement_files", "withheld.query_matters",
    "unable.not_held", "unable.needs_creation", "unable.unclear_after_correction",
    "not_processed.complaint_petition", "not_processed.repeated", "not_processed.publication",
    "not_processed.massive_repeated", "not_processed.confirm_reissue",
)
OTHER_ROWS = {"2019": ("other",), "2021": ("other.overdue_correction", "other.overdue_fee", "other.other")}
CLOSING_ROWS = ("total_processed", "carried_forward")

# Table 2 of each template: (item, row label key, column patterns). Labels match loosely
# (provinces add notes in brackets; 2019 prints 规范性文件 where 2021 prints 行政规范性文件).
# A missing column is reported by its pattern's first alternative.
_CHANGE = f"增/减|{SIGNED_COLUMN.pattern}"
_ITEMS_2019 = (
    ("第二十条第（一）项", ("规章", "规范性文件"), ("新制作", "新公开", "对外公开总数")),
    ("第二十条第（五）项", ("行政许可", "其他对外管理服务事项"), ("上一年项目数", _CHANGE, "处理决定")),
    ("第二十条第（六）项", ("行政处罚", "行政强制"), ("上一年项目数", _CHANGE, "处理决定")),
    ("第二十条第（八）项", ("行政事业性收费",), ("上一年项目数", _CHANGE)),
    ("第二十条第（九）项", ("政府集中采购",), ("采购项目数", "采购总金额|金额")),
)
_ITEMS_2021 = (
    ("第二十条第（一）项", ("规章", "规范性文件"), ("制发", "废止", "现行有效")),
    ("第二十条第（五）项", ("行政许可",), ("处理决定",)),
    ("第二十条第（六）项", ("行政处罚", "行政强制"), ("处理决定",)),
    ("第二十条第（八）项", ("行政事业性收费",), ("收费金额|金额",)),
)


@dataclass
class TableCompleteness:
    status: Status
    missing_rows: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"status": self.status, "missing_rows": self.missing_rows, "missing_columns": self.missing_columns}

    def describe(self) -> str:
        """One line for people: the status and what is missing."""
        parts = [self.status]
        if self.missing_rows:
            parts.append(f"rows not found: {', '.join(self.missing_rows)}")
        if self.missing_columns:
            parts.append(f"columns not found: {', '.join(self.missing_columns)}")
        return "; ".join(parts)


def application_rows(template: str) -> tuple[str, ...]:
    """The standard table-3 row keys of a template, in printed order."""
    return APPLICATION_ROWS_COMMON + OTHER_ROWS.get(template, OTHER_ROWS["2021"]) + CLOSING_ROWS


def assess(report: Report) -> dict[str, TableCompleteness]:
    """The completeness of each standard table of a parsed report."""
    meta = report.metadata
    if meta.template == "pre-2019" or (meta.year is not None and meta.year < _FIRST_TEMPLATE_YEAR):
        return {table: TableCompleteness("not_applicable") for table in TABLES}
    return {
        "active_disclosure": _active_disclosure(report.active_disclosure.rows if report.active_disclosure else [],
                                                _template(report, report.active_disclosure)),
        "applications": _applications(report.applications.rows if report.applications else {},
                                      _template(report, report.applications)),
        "appeals": _appeals(report.appeals.cells if report.appeals else {}),
    }


def _template(report: Report, table: ActiveDisclosureTable | ApplicationsTable | None) -> str:
    """The template the table prints (hybrids exist), else the report's, else the one in force in its year."""
    for template in (table.template if table else None, report.metadata.template):
        if template in ("2019", "2021"):
            return template
    return "2021" if report.metadata.year is None or report.metadata.year >= 2021 else "2019"


def _status(found_any: bool, rows: list[str], columns: list[str]) -> TableCompleteness:
    if not found_any:
        return TableCompleteness("missing")
    return TableCompleteness("partial" if rows or columns else "complete", rows, columns)


def _applications(rows: dict, template: str) -> TableCompleteness:
    template = "2019" if "other" in rows else "2021" if any(k in rows for k in OTHER_ROWS["2021"]) else template
    missing_rows = [key for key in application_rows(template) if key not in rows]
    printed_columns = {column for row in rows.values() for column in row.cells}
    missing_columns = [column for column in APPLICANT_COLUMNS if column not in printed_columns]
    standard_found = len(missing_rows) < len(application_rows(template))
    return _status(standard_found, missing_rows, missing_columns)


def _appeals(cells: dict) -> TableCompleteness:
    missing_blocks = [block for block in APPEAL_BLOCKS if not any(f"{block}.{o}" in cells for o in APPEAL_OUTCOMES)]
    missing_cells = [
        f"{block}.{outcome}" for block in APPEAL_BLOCKS if block not in missing_blocks
        for outcome in APPEAL_OUTCOMES if f"{block}.{outcome}" not in cells
    ]
    return _status(bool(cells), missing_blocks, missing_cells)


def _active_disclosure(rows: list[ActiveDisclosureRow], template: str) -> TableCompleteness:
    missing_rows: list[str] = []
    missing_columns: list[str] = []
    for item, labels, columns in _ITEMS_2019 if template == "2019" else _ITEMS_2021:
        in_item = [row for row in rows if row.item == item]
        for label in labels:
            row = next((r for r in in_item if label_key(r.label).endswith(label)), None)
            if row is None:
                missing_rows.append(f"{item}{label}")
                continue
            names = [compact(name) for name in row.cells]
            missing_columns += [
                f"{item}{label}.{pattern.split('|')[0]}"
                for pattern in columns if not any(re.search(pattern, name) for name in names)
            ]
    return _status(bool(rows), missing_rows, missing_columns)
