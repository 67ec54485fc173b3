"""Every cell of a report under its address (``storage.cellnames``): each table's cells in
printed order, as the named tuples the archive stores, diffs and exports."""

from __future__ import annotations

from storage.cellnames import NamedCell, named_cells, split_address
from tests.storage.conftest import SEED_ZHANGDIAN_2023, capture_of


def test_each_cell_is_named_by_its_table_row_and_column_in_printed_order(seed) -> None:
    report = capture_of(seed(SEED_ZHANGDIAN_2023)).parse.report
    cells = named_cells(report)
    tables = report["tables"]
    expected = [
        *(("active_disclosure", row["label"], column, row.get("item"), row["label"], cell)
          for row in tables["active_disclosure"]["rows"] for column, cell in row["cells"].items()),
        *(("applications", key, column, None, row.get("label"), cell)
          for key, row in tables["applications"]["rows"].items() for column, cell in row["cells"].items()),
        *(("appeals", *name.split(".", 1), None, None, cell) for name, cell in tables["appeals"]["cells"].items()),
    ]
    assert len(cells) > 150 and cells == [NamedCell(*fields) for fields in expected]
    assert all(type(cell) is NamedCell for cell in cells)
    assert all(split_address(cell.address) == (cell.table, cell.row, cell.column) for cell in cells)
    assert named_cells(None) == [] and named_cells({"tables": {}}) == []
