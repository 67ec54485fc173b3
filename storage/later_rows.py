"""Rows a transaction appends and does not read back, written one statement per table.

Recording a batch of new versions appends to the same tables for each: some 200 cells,
the sections and parser findings of its parse, its change summary. Each statement costs
the program and the server more than its rows do, so inside ``rows_later`` these rows
wait and are written when the block ends, one statement per table (cells: one executemany
or, on PostgreSQL, one COPY). Outside it they are written at once. Code that replaces rows
a block may hold (``storage.reparse``) writes them first (``write_waiting``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

_WAITING = "later_rows"


class _Waiting:
    """Rows waiting, per table in the order they came: as dicts (SQLAlchemy's types apply) or
    as tuples for the driver (per table and column list)."""

    def __init__(self) -> None:
        self.dicts: dict[sa.Table, list[dict[str, Any]]] = {}
        self.tuples: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}

    def write(self, connection: sa.Connection) -> None:
        dicts, tuples = self.dicts, self.tuples
        self.dicts, self.tuples = {}, {}
        for table, rows in dicts.items():
            connection.execute(table.insert(), rows)
        for (table_name, columns), values in tuples.items():
            _insert_tuples(connection, table_name, columns, values)


def insert_rows(session: Session, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table``: now, or when the ``rows_later`` block ends."""
    if not rows:
        return
    waiting: _Waiting | None = session.info.get(_WAITING)
    if waiting is None:
        session.connection().execute(table.insert(), rows)
    else:
        waiting.dicts.setdefault(table, []).extend(rows)


def insert_tuples(session: Session, table_name: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows given as tuples of driver values (JSON already a string), handed to the driver
    as they are: SQLAlchemy's work on each row's parameters costs more than the insert."""
    if not rows:
        return
    waiting: _Waiting | None = session.info.get(_WAITING)
    if waiting is None:
        _insert_tuples(session.connection(), table_name, columns, rows)
    else:
        waiting.tuples.setdefault((table_name, columns), []).extend(rows)


@contextmanager
def rows_later(session: Session) -> Iterator[None]:
    """Keep the rows inserted through this module while the block runs; write them when it ends
    (not when it fails: the transaction is then rolled back)."""
    waiting = _Waiting()
    session.info[_WAITING] = waiting
    try:
        yield
    finally:
        del session.info[_WAITING]
    waiting.write(session.connection())


def write_waiting(session: Session) -> None:
    """Write the rows waiting in a ``rows_later`` block now (before replacing or reading some)."""
    waiting: _Waiting | None = session.info.get(_WAITING)
    if waiting is not None:
        waiting.write(session.connection())


def _insert_tuples(connection: sa.Connection, table_name: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    names = ", ".join(columns)
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(f"INSERT INTO {table_name} ({names}) VALUES ({', '.join(['?'] * len(columns))})", rows)
        return
    dbapi = connection.dialect.loaded_dbapi
    statement = f"COPY {table_name} ({names}) FROM STDIN"
    try:
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except dbapi.Error as exc:  # as SQLAlchemy's own statements fail: a race or a lost server is retried
        raise sa.exc.DBAPIError.instance(statement, None, exc, dbapi.Error) from exc
