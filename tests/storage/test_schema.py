"""The migrations create exactly the schema the models describe, on both databases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.archive import Archive
from storage.db import create_engine
from storage.migrate import current_revision, head_by_file_name, head_revision, upgrade
from storage.models import Base
from tests.storage.conftest import REVISED_TOTAL, SEED_ZIBO, capture_of


def test_fresh_database_is_migrated_to_head_on_first_use(db_url: str, data_dir: Path) -> None:
    with Archive.open(db_url, data_dir) as archive:
        assert current_revision(archive.engine) == head_revision()
        with archive.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert differences == []
            views = set(sa.inspect(conn).get_view_names())
        assert {"latest_versions", "table3_totals", "findings_by_report"} <= views


def test_the_head_named_by_the_migration_files_is_alembics_head() -> None:
    # Archive.open checks a database against the file names, so a migration named out of
    # step with its revision would never be run.
    assert head_by_file_name() == head_revision()


def test_opening_a_current_archive_does_not_load_alembic(sqlite_url: str, data_dir: Path) -> None:
    Archive.open(sqlite_url, data_dir).close()
    code = ("import sys\nfrom storage.archive import Archive\n"
            f"Archive.open({sqlite_url!r}, {str(data_dir)!r}).close()\nprint('alembic' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_an_archive_one_revision_behind_is_migrated_when_opened(db_url: str, data_dir: Path) -> None:
    engine = create_engine(db_url)
    upgrade(engine, "0011")
    engine.dispose()
    with Archive.open(db_url, data_dir) as archive:
        assert current_revision(archive.engine) == head_revision()


def test_upgrade_is_idempotent(db_url: str) -> None:
    engine = create_engine(db_url)
    assert upgrade(engine) == head_revision()
    assert upgrade(engine) == head_revision()
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str, data_dir: Path) -> None:
    with Archive.open(sqlite_url, data_dir) as archive, archive.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_views_show_the_latest_version_of_each_report(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    revised = data.replace(REVISED_TOTAL[0].encode(), REVISED_TOTAL[1].encode(), 1)
    archive.record(capture_of(revised, minutes=5))
    with archive.engine.connect() as conn:
        latest = conn.execute(sa.text("SELECT agency, year, version_no, template FROM latest_versions")).all()
        totals = conn.execute(sa.text("SELECT version_no, new_received, carried_over, total_processed FROM table3_totals")).all()
        findings = conn.execute(sa.text("SELECT DISTINCT version_no, is_latest FROM findings_by_report")).all()
    assert [tuple(r) for r in latest] == [("淄博经济开发区", 2020, 2, "2019")]
    assert [tuple(r) for r in totals] == [(2, 40, 0, 4)]
    assert [tuple(r) for r in findings] == [(2, 1)]  # only the revised total breaks a rule


def test_the_table3_totals_view_reads_only_its_cells_through_their_own_index(archive: Archive, seed) -> None:
    # The view's cells are some 15 of a version's 200: a partial index holds only them, where
    # an index of every cell by version, table and column was a fifth of what writing cells cost.
    archive.record(capture_of(seed(SEED_ZIBO)))
    query = "SELECT new_received FROM table3_totals"
    with archive.engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # with no statistics: nobody runs ANALYZE on an archive
            plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}"))
        else:  # a table this small is read whole unless the planner is told not to
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {query}"))
        indexed = conn.execute(sa.text("SELECT count(*) FROM cells WHERE table_name = 'applications' AND column_key = 'total'")).scalar()
        everything = conn.execute(sa.text("SELECT count(*) FROM cells")).scalar()
    assert "ix_cells_table3_total" in plan
    assert 10 <= indexed < everything / 5
