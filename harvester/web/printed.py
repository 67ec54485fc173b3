"""The three standard tables of a parse laid out as printed, for the report card and the diff.

Each cell keeps its printed text and its state, so a template can show a blank, a "/" and a
0 differently; findings are attached to the cells (or rows, or tables) they concern, and a
diff can mark the cells it changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


APPLICANT_COLUMNS = (
    ("natural_person", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
    ("social_welfare", "社会公益组织"), ("legal_services", "法律服务机构"), ("other_org", "其他"), ("total", "总计"),
)
APPEAL_BLOCKS = (("review", "行政复议"), ("litigation_direct", "行政诉讼：未经复议直接起诉"),
                 ("litigation_after_review", "行政诉讼：复议后起诉"))
APPEAL_OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
                   ("pending", "尚未审结"), ("total", "总计"))
TABLE_ORDER = ("active_disclosure", "applications", "appeals")


@dataclass
class CellView:
    address: str
    raw: str
    state: str  # number | blank | dash | text
    zero: bool
    findings: list[dict[str, Any]] = field(default_factory=list)
    old_raw: str | None = None  # set by a diff when this cell changed
    changed: bool = False

    @property
    def worst(self) -> str | None:
        severities = {f["severity"] for f in self.findings}
        return next((s for s in ("error", "warning", "info") if s in severities), None)


@dataclass
class RowView:
    label: str
    cells: list[CellView | None]  # None: the report does not print this column in this row
    heading: bool = False  # a header row inside the table (table 2's item blocks)
    headers: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)  # about the whole row


@dataclass
class TableView:
    name: str
    template: str | None
    header: list[str]  # column headings after the label column; empty when rows carry their own
    rows: list[RowView]
    findings: list[dict[str, Any]] = field(default_factory=list)  # about the whole table
    status: str | None = None  # the parse's completeness of this table: complete | partial | missing | not_applicable
    missing: list[str] = field(default_factory=list)  # the standard rows (and columns) the parser did not find


def _cell(address: str, cell: dict[str, Any]) -> CellView:
    state = cell.get("state", "text")
    return CellView(address, cell.get("raw", ""), state, state == "number" and cell.get("value") == 0)


def _active_disclosure(table: dict[str, Any]) -> TableView:
    rows: list[RowView] = []
    item, headers = None, None
    for row in table.get("rows") or []:
        columns = list(row["cells"])
        if not rows or row.get("item") != item or columns != headers:
            item, headers = row.get("item"), columns
            rows.append(RowView(item or "", [], heading=True, headers=columns))
        rows.append(RowView(row["label"], [
            _cell(f"active_disclosure.{row['label']}.{column}", cell) for column, cell in row["cells"].items()
        ]))
    return TableView("active_disclosure", table.get("template"), [], rows)


def _applications(table: dict[str, Any]) -> TableView:
    rows = []
    for key, row in (table.get("rows") or {}).items():
        cells = row.get("cells") or {}
        rows.append(RowView(row.get("label") or key, [
            _cell(f"applications.{key}.{column}", cells[column]) if column in cells else None
            for column, _ in APPLICANT_COLUMNS
        ]))
    return TableView("applications", table.get("template"), [label for _, label in APPLICANT_COLUMNS], rows)


def _appeals(table: dict[str, Any]) -> TableView:
    cells = table.get("cells") or {}
    rows = [
        RowView(label, [
            _cell(f"appeals.{block}.{outcome}", cells[f"{block}.{outcome}"]) if f"{block}.{outcome}" in cells else None
            for outcome, _ in APPEAL_OUTCOMES
        ])
        for block, label in APPEAL_BLOCKS
    ]
    return TableView("appeals", table.get("template"), [label for _, label in APPEAL_OUTCOMES], rows)


_BUILDERS = {"active_disclosure": _active_disclosure, "applications": _applications, "appeals": _appeals}


def printed_tables(report: dict[str, Any] | None, findings: Iterable[dict[str, Any]] = ()) -> list[TableView]:
    """The tables a parse has, in printed order, with each finding on what it concerns.

    A finding names a cell (table, row, column), a row (column null) or a table (row null);
    one whose cell is not in the table stays on the table, so none is lost.
    """
    tables = (report or {}).get("tables") or {}
    views = [_BUILDERS[name](tables[name]) for name in TABLE_ORDER if tables.get(name)]
    completeness = (report or {}).get("completeness") or {}
    for view in views:
        stated = completeness.get(view.name) or {}
        view.status = stated.get("status")
        view.missing = [*stated.get("missing_rows", []), *stated.get("missing_columns", [])]
    by_name = {view.name: view for view in views}
    for finding in findings:
        view = by_name.get(finding.get("table") or "")
        if view is None:
            continue
        _attach(view, finding)
    return views


def _attach(view: TableView, finding: dict[str, Any]) -> None:
    row_key, column = finding.get("row"), finding.get("column")
    if row_key is None:
        view.findings.append(finding)
        return
    prefix = f"{view.name}.{row_key}."
    cells = [c for row in view.rows for c in row.cells if c is not None and c.address.startswith(prefix)]
    if column is not None:
        target = next((c for c in cells if c.address == prefix + column), None)
        if target is not None:
            target.findings.append(finding)
            return
    row = next((r for r in view.rows if any(c in r.cells for c in cells)), None)
    (row.findings if row is not None else view.findings).append(finding)


def mark_changes(views: list[TableView], changes: Iterable[Any], *, newer: bool) -> None:
    """Mark the cells a ``storage.diff.VersionDiff`` changed; on the newer side keep the old
    printed text too, so the cell reads old -> new."""
    changed = {c.address: c for c in changes}
    for view in views:
        for row in view.rows:
            for cell in row.cells:
                if cell is not None and cell.address in changed:
                    cell.changed = True
                    cell.old_raw = changed[cell.address].old_raw if newer else None
