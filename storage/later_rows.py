"""Rows a transaction appends and does not read back, written one statement per table.

Recording a batch of new versions appends to the same tables for each: some 200 cells,
the sections and parser findings of its parse, its change summary. Each statement costs
the program and the server more than its rows do, so inside ``rows_later`` these rows
wait and are written when the block ends, one statement per table (cells: one executemany
or, on PostgreSQL, one COPY). Outside it they are written at once. Code that replaces rows
a block may hold (``storage.reparse``) writes them first (``write_waiting``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

T = TypeVar("T")
Writer = Callable[[sa.Connection, list[T]], None]  # writes a list of rows in one statement (or a few)

_WAITING = "later_rows"


def insert_later(session: Session, writer: Writer[T], rows: list[T]) -> None:
    """Have ``writer`` write ``rows``: now, or, inside ``rows_later``, with all the rows given to
    the same writer when the block ends (writers in the order they first came)."""
    if not rows:
        return
    waiting: dict[Writer[Any], list[Any]] | None = session.info.get(_WAITING)
    if waiting is None:
        writer(session.connection(), rows)
    else:
        waiting.setdefault(writer, []).extend(rows)


def insert_rows(session: Session, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts: SQLAlchemy's types apply) into ``table``, now or when ``rows_later`` ends."""
    insert_later(session, _inserter(table), rows)


@contextmanager
def rows_later(session: Session) -> Iterator[None]:
    """Keep the rows inserted through this module while the block runs; write them when it ends
    (not when it fails: the transaction is then rolled back)."""
    session.info[_WAITING] = {}
    try:
        yield
        write_waiting(session)
    finally:
        del session.info[_WAITING]


def write_waiting(session: Session) -> None:
    """Write the rows waiting in a ``rows_later`` block now (before replacing or reading some)."""
    waiting: dict[Writer[Any], list[Any]] | None = session.info.get(_WAITING)
    while waiting:
        writer, rows = next(iter(waiting.items()))
        del waiting[writer]
        writer(session.connection(), rows)


@functools.cache
def _inserter(table: sa.Table) -> Writer[dict[str, Any]]:
    insert = table.insert()

    def write(connection: sa.Connection, rows: list[dict[str, Any]]) -> None:
        connection.execute(insert, rows)

    return write


def write_tuples(connection: sa.Connection, table_name: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows given as tuples of driver values (JSON already a string), handed to the driver
    as they are: SQLAlchemy's work on each row's parameters costs more than the insert."""
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
