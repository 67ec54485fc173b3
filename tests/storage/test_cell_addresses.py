"""Cell addresses numbered once (``cell_addresses``) and the cells indexed by that number."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from storage.archive import Archive
from storage.cell_addresses import address_ids
from storage.db import create_engine
from storage.migrate import _config, head_revision, upgrade
from storage.query import QueryFilters, filtered_versions, parse_where
from tests.storage.conftest import REVISED_TOTAL, SEED_ZHANGDIAN_2023, SEED_ZIBO, capture_of

CELLS_AND_ADDRESSES = sa.text(
    "SELECT c.table_name, c.row_key, c.column_key, a.table_name, a.row_key, a.column_key "
    "FROM cells c LEFT JOIN cell_addresses a ON a.id = c.address_id")


def _each_cell_names_its_own_address(connection: sa.Connection) -> int:
    rows = connection.execute(CELLS_AND_ADDRESSES).all()
    assert rows and all(tuple(row[:3]) == tuple(row[3:]) for row in rows)
    addresses = connection.execute(sa.text("SELECT count(*) FROM cell_addresses")).scalar_one()
    assert addresses == len({tuple(row[:3]) for row in rows})  # each address numbered once
    return len(rows)


def test_each_recorded_cell_carries_the_number_of_its_address(archive: Archive, seed) -> None:
    archive.record(capture_of(seed(SEED_ZIBO)))
    archive.record_many([capture_of(seed(SEED_ZHANGDIAN_2023), "http://gov.test/art/2.html"),
                         capture_of(seed(SEED_ZIBO).replace(REVISED_TOTAL[0].encode(), REVISED_TOTAL[1].encode(), 1),
                                    minutes=5)])
    with archive.engine.connect() as connection:
        assert _each_cell_names_its_own_address(connection) > 400
        shared = connection.execute(sa.text(
            "SELECT count(DISTINCT version_id), count(DISTINCT address_id) FROM cells "
            "WHERE table_name = 'applications' AND row_key = 'new_received' AND column_key = 'total'")).one()
    assert tuple(shared) == (3, 1)  # one number for the address, whichever report and version


def test_a_number_made_in_a_transaction_rolled_back_is_made_again(archive: Archive) -> None:
    address = ("active_disclosure", "行政许可", "本年处理决定数量")
    with pytest.raises(RuntimeError), archive.engine.begin() as connection:
        assert address_ids(connection, [address])
        raise RuntimeError("the batch failed")
    with archive.engine.begin() as connection:
        number = address_ids(connection, [address])[address]
        assert address_ids(connection, [address, ("appeals", "review", "total")])[address] == number
        assert connection.execute(sa.text("SELECT id FROM cell_addresses WHERE row_key = '行政许可'")).scalar_one() == number


def test_a_cell_condition_finds_its_versions_through_the_address_index(sqlite_url: str, data_dir: Path, seed) -> None:
    with Archive.open(sqlite_url, data_dir) as archive:
        archive.record(capture_of(seed(SEED_ZIBO)))
        archive.record(capture_of(seed(SEED_ZHANGDIAN_2023), "http://gov.test/art/2.html"))
        query = filtered_versions(QueryFilters(where=[parse_where("applications.new_received.total >= 4")]))
        with archive.session() as session:
            found = [version.report_id for version, _ in session.execute(query).all()]
            connection = session.connection()
            compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
            plan = " ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
            printed = connection.execute(sa.text(
                "SELECT DISTINCT v.report_id FROM cells c JOIN versions v ON v.id = c.version_id "
                "WHERE c.table_name = 'applications' AND c.row_key = 'new_received' AND c.column_key = 'total' "
                "AND c.value >= 4")).scalars().all()
    assert found and sorted(found) == sorted(printed)
    assert "ix_cells_address_version" in plan and "SCAN cells" not in plan, plan


def test_the_address_index_keeps_each_addresses_cells_in_the_order_versions_were_recorded(sqlite_url: str, data_dir: Path, seed) -> None:
    # Keyed by address and value, the index put each of a new version's ~200 cells among the
    # archive's cells of equal value, a page apiece: writing cells grew dearer as the archive
    # grew. In version order, a batch's cells of one address go together at its run's end.
    run = "SELECT version_id, value FROM cells WHERE address_id = 1 ORDER BY version_id"
    chosen = "SELECT value FROM cells WHERE address_id = 1 AND version_id = 2"
    with Archive.open(sqlite_url, data_dir) as archive, archive.engine.connect() as connection:
        archive.record(capture_of(seed(SEED_ZIBO)))
        archive.record(capture_of(seed(SEED_ZHANGDIAN_2023), "http://gov.test/art/2.html"))
        plans = [" ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}"))
                 for query in (run, chosen)]
    assert all("COVERING INDEX ix_cells_address_version" in plan for plan in plans), plans
    assert "TEMP B-TREE" not in plans[0], plans[0]  # the run is in version order as stored
    assert "version_id=?" in plans[1], plans[1]  # a chosen version's cell found by the index alone


def test_revision_0013_numbers_the_cells_an_archive_holds(db_url: str, data_dir: Path, seed) -> None:
    with Archive.open(db_url, data_dir) as archive:
        archive.record(capture_of(seed(SEED_ZIBO)))
        archive.record(capture_of(seed(SEED_ZHANGDIAN_2023), "http://gov.test/art/2.html"))
    engine = create_engine(db_url)
    try:
        config = _config()
        with engine.begin() as connection:  # back to the archive as revision 0012 left it
            config.attributes["connection"] = connection
            command.downgrade(config, "0012")
        columns = {c["name"] for c in sa.inspect(engine).get_columns("cells")}
        assert "address_id" not in columns and not sa.inspect(engine).has_table("cell_addresses")
        assert upgrade(engine) == head_revision()
        with engine.connect() as connection:
            assert _each_cell_names_its_own_address(connection) > 300  # two reports' cells
        indexes = {index["name"] for index in sa.inspect(engine).get_indexes("cells")}
        assert "ix_cells_address_version" in indexes and "ix_cells_address" not in indexes
        assert "ix_cells_address_value" not in indexes  # 0013's index, re-keyed by 0016
    finally:
        engine.dispose()


def test_addresses_of_any_text_are_found_again_by_their_number(archive: Archive) -> None:
    # Printed row labels go into the lookup as JSON (SQLite) or arrays (PostgreSQL): quotes,
    # backslashes and full-width text must come back as the same address.
    addresses = [("active_disclosure", 'say "行政处罚"', "本年处理决定数量"), ("active_disclosure", "a\\b", "100%"),
                 ("applications", "other.it's", "total"), ("appeals", "review", "total")]
    with archive.engine.begin() as connection:
        made = address_ids(connection, addresses)
    with archive.engine.begin() as connection:
        assert address_ids(connection, list(reversed(addresses))) == made
        stored = {tuple(row[1:]): row[0] for row in connection.execute(
            sa.text("SELECT id, table_name, row_key, column_key FROM cell_addresses"))}
    assert stored == made and len(set(made.values())) == len(addresses)


def test_new_addresses_are_inserted_in_one_order_whatever_order_they_come_in(archive: Archive) -> None:
    # Two writers of a fleet inserting the same new addresses in different orders could each
    # hold a row the other waits for; inserted in one order, the second waits for the first.
    addresses = [("applications", f"row{n}", column) for n in range(5) for column in ("total", "natural_person")]
    inserted: list[list[tuple[str, str, str]]] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO cell_addresses"):
            inserted.append([tuple(p.values()) if isinstance(p, dict) else tuple(p) for p in parameters])

    sa.event.listen(archive.engine, "before_cursor_execute", note)
    try:
        with archive.engine.begin() as connection:
            address_ids(connection, set(reversed(addresses)))
    finally:
        sa.event.remove(archive.engine, "before_cursor_execute", note)
    assert inserted == [sorted(addresses)]
