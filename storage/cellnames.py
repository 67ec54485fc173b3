"""Every table cell of a report under one address: ``table.row.column``.

* ``applications.<row key>.<applicant column>`` e.g. ``applications.new_received.total``
* ``appeals.<block>.<outcome>`` e.g. ``appeals.review.upheld``
* ``active_disclosure.<row label>.<column label>`` e.g. ``active_disclosure.行政许可.本年处理决定数量``

The archive stores, queries, diffs and exports cells by these addresses, so they are built
here only.
"""

from __future__ import annotations

from typing import Any, NamedTuple

TABLES = ("active_disclosure", "applications", "appeals")


class NamedCell(NamedTuple):  # a tuple: recording makes a few hundred per report, several times
    table: str
    row: str
    column: str
    item: str | None  # table 2's 第二十条 item
    row_label: str | None  # the printed row label
    cell: dict[str, Any]  # Cell.to_dict()

    @property
    def address(self) -> str:
        return f"{self.table}.{self.row}.{self.column}"


def named_cells(report: dict[str, Any] | None) -> list[NamedCell]:
    """The cells of a ``Report.to_dict()`` in printed order."""
    # Made with tuple.__new__, not NamedCell(...), whose constructor is a Python function:
    # half the cost of some 200 cells, made several times for each report recorded.
    tables = (report or {}).get("tables") or {}
    cells: list[NamedCell] = []
    add = cells.append
    for row in (tables.get("active_disclosure") or {}).get("rows", []):
        label, item = row["label"], row.get("item")
        for column, cell in row["cells"].items():
            add(_make(NamedCell, ("active_disclosure", label, column, item, label, cell)))
    for key, row in ((tables.get("applications") or {}).get("rows") or {}).items():
        label = row.get("label")
        for column, cell in row["cells"].items():
            add(_make(NamedCell, ("applications", key, column, None, label, cell)))
    for name, cell in ((tables.get("appeals") or {}).get("cells") or {}).items():
        block, _, outcome = name.partition(".")
        add(_make(NamedCell, ("appeals", block, outcome, None, None, cell)))
    return cells


_make = tuple.__new__


def split_address(address: str) -> tuple[str, str, str] | None:
    """``table.row.column`` -> parts; the row may itself contain dots, the table and column do not."""
    table, _, rest = address.partition(".")
    row, _, column = rest.rpartition(".")
    if table not in TABLES or not row or not column:
        return None
    return table, row, column
