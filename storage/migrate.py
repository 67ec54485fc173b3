"""Running the Alembic migrations shipped in ``storage/migrations`` from Python.

``harvester db upgrade`` calls :func:`upgrade`; :meth:`storage.archive.Archive.open` calls
:func:`ensure_current`, so a fresh database is migrated to head on first use.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from storage.db import writer

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant will do: it only has to be the same in every process migrating this database.
_PG_MIGRATION_LOCK = 4_815_162_342


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "storage/migrations has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Migrate to ``revision``; two processes doing this at once take turns. Returns the new revision."""
    config = _config()
    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("select pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        return MigrationContext.configure(conn).get_current_revision()


def ensure_current(engine: Engine) -> None:
    if current_revision(engine) != head_revision():
        upgrade(engine)
