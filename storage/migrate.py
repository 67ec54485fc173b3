"""Running the Alembic migrations shipped in ``storage/migrations`` from Python.

``harvester db upgrade`` calls :func:`upgrade`; :meth:`storage.archive.Archive.open` calls
:func:`ensure_current`, so a fresh database is migrated to head on first use.

Every crawl opens the archive this way, and nearly always finds it current: that check
reads the revision table with one query and names the head revision from the migration
files' names (``0012_….py`` is revision ``0012``; a test holds the two the same), so Alembic,
a fifth of a second of imports, is loaded only to migrate.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.db import writer

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant will do: it only has to be the same in every process migrating this database.
_PG_MIGRATION_LOCK = 4_815_162_342


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest revision, as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "storage/migrations has no revisions"
    return head


def head_by_file_name() -> str:
    """The newest revision, named by the migration files: ``NNNN_what.py`` holds revision ``NNNN``."""
    return max(path.name[:4] for path in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def current_revision(engine: Engine) -> str | None:
    """The revision in Alembic's table, read without Alembic; None for a database without one."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Migrate to ``revision``; two processes doing this at once take turns. Returns the new revision."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    config = _config()
    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("select pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        return MigrationContext.configure(conn).get_current_revision()


def ensure_current(engine: Engine) -> None:
    if current_revision(engine) != head_by_file_name():
        upgrade(engine)
