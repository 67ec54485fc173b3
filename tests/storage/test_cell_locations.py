"""Each version's cells keep where they are printed (``cells.location``, revision 0009), on
SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from storage.archive import Archive
from storage.models import CellRow, Version
from tests.storage.conftest import SEED_ZIBO, capture_of, check_revision_adds_nullable_column


def test_recorded_cells_keep_their_location(archive: Archive, seed) -> None:
    archive.record(capture_of(seed(SEED_ZIBO)))
    with archive.session() as session:
        version = session.scalars(sa.select(Version)).one()
        rows = session.execute(
            sa.select(CellRow.table_name, CellRow.row_key, CellRow.column_key, CellRow.raw, CellRow.location)
            .where(CellRow.version_id == version.id)
        ).all()
        parsed = version.report_json["tables"]["applications"]["rows"]["new_received"]["cells"]["total"]
    by_address = {(table, row, column): (raw, location) for table, row, column, raw, location in rows}
    raw, location = by_address[("applications", "new_received", "total")]
    assert raw == "4" and location == parsed["location"]
    assert set(location) == {"table", "row", "column", "lines"} and location["lines"][0] == location["lines"][1]
    lines = seed(SEED_ZIBO).decode("utf-8-sig").split("\n")
    assert lines[location["lines"][0] - 1] == "\t4"  # the seed export's tab-led line of that cell
    assert all(location is not None for _, location in by_address.values())


def test_revision_0009_adds_an_empty_location_column(db_url: str) -> None:
    check_revision_adds_nullable_column(db_url, "0007", "cells", "location")
