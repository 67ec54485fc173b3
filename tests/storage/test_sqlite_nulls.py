"""None binds as NULL on SQLite through an adapter found at once (``storage.db._null``): the
sqlite3 module otherwise makes and clears an AttributeError for every None it binds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from storage.db import create_engine


def test_none_is_stored_as_null_through_the_adapter(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    assert (type(None), sqlite3.PrepareProtocol) in sqlite3.adapters
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (a INTEGER, b TEXT)")
        connection.exec_driver_sql("INSERT INTO t VALUES (?, ?)", [(1, None), (2, "")])
        rows = connection.execute(sa.text("SELECT a, b IS NULL, typeof(b) FROM t ORDER BY a")).all()
    assert rows == [(1, 1, "null"), (2, 0, "text")]
