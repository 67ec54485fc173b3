"""Opening the database: engine settings per backend and retrying contended writes, and
writes that met a server restart.

SQLite runs in WAL mode (readers never wait for the writer) with foreign keys on and a
busy timeout; write transactions start with ``BEGIN IMMEDIATE`` so two writers queue for
the lock up front instead of both reading and then failing to upgrade their lock.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any, Callable, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from tenacity import RetryCallState, retry, retry_if_exception, wait_random_exponential

from storage.json_text import from_json, to_json

T = TypeVar("T")

BUSY_TIMEOUT_MS = 30_000
_WRITE_OPTION = "harvester_write"
CONTENTION_ATTEMPTS = 8
# How long a write waits for a database server that went away (restart, failover) before it
# gives up; $HARVESTER_DB_WAIT_SECONDS overrides it.
DB_WAIT_SECONDS = 3600.0
# What PostgreSQL (psycopg) says when the server is gone, going, or not back yet.
_GONE = ("connection refused", "server closed the connection", "terminating connection", "the database system is",
         "connection failed", "could not connect", "no connection to the server", "connection is closed",
         "consuming input failed", "connection timed out", "connection reset")

logger = logging.getLogger(__name__)


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached; the message says which and why, in one line."""


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_engine(url: str) -> Engine:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, json_serializer=to_json, json_deserializer=from_json)
    if parsed.database and parsed.database != ":memory:":
        try:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(f"cannot open database {parsed.database}: {exc.strerror or exc}") from exc
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, json_serializer=to_json,
                              json_deserializer=from_json)
    sqlite3.register_adapter(type(None), _null)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how a transaction starts (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _null(value: None) -> None:
    """None bound as NULL, as the sqlite3 module binds it, found at the first place it looks.

    The module looks for an adapter for every parameter that is not exactly an int, float or
    str, None included, and where it has none it asks its protocol type for ``__adapt__``,
    whose AttributeError is made, formatted and cleared each time: 0.2-0.4 µs a NULL. A new
    version's cells bind some 600 NULLs (item, unit, value_wan...): a twentieth of recording
    it went to these errors (callgrind)."""
    return value


def writer(engine: Engine) -> Engine:
    """The same engine, marked so that its transactions take the write lock at BEGIN."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def _is_contention(exc: BaseException) -> bool:
    """A write lost a race with another writer and is worth running again from the start."""
    if isinstance(exc, sa.exc.IntegrityError):
        return True
    if isinstance(exc, sa.exc.OperationalError):
        text = str(exc.orig).lower()
        return "database is locked" in text or "deadlock" in text or "could not serialize" in text
    return False


def is_disconnect(exc: BaseException) -> bool:
    """The database server went away (or is not back yet): the transaction did not happen
    and is worth running again once the server answers."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    text = str(exc.orig).lower()
    return isinstance(exc, sa.exc.OperationalError) and any(sign in text for sign in _GONE)


def _worth_again(exc: BaseException) -> bool:
    return _is_contention(exc) or is_disconnect(exc)


def _give_up(state: RetryCallState) -> bool:
    assert state.outcome is not None
    if is_disconnect(state.outcome.exception()):
        wait = float(os.environ.get("HARVESTER_DB_WAIT_SECONDS") or DB_WAIT_SECONDS)
        return (state.seconds_since_start or 0.0) >= wait
    return state.attempt_number >= CONTENTION_ATTEMPTS


_race_wait = wait_random_exponential(multiplier=0.02, max=1.0)
_outage_wait = wait_random_exponential(multiplier=0.25, max=10.0)


def _wait(state: RetryCallState) -> float:
    assert state.outcome is not None
    exc = state.outcome.exception()
    if not is_disconnect(exc):
        return _race_wait(state)
    seconds = _outage_wait(state)
    logger.warning("database unreachable (%s): waiting %.1f s before writing again", _reason(exc), seconds)
    return seconds


def _reason(exc: BaseException | None) -> str:
    """The driver's message, first line."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def retrying(function: Callable[[], T]) -> T:
    """Run a whole write transaction again when it lost a race (unique key taken, lock busy)
    or the server went away under it (a restart rolls back what was not committed).

    The function must open and commit its own transaction, so every attempt starts from
    what the winner committed, and a transaction cut off by a restart is redone whole.
    """
    runner = retry(retry=retry_if_exception(_worth_again), stop=_give_up, wait=_wait, reraise=True)(function)
    return runner()


def check_reachable(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("select 1")
    except sa.exc.SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"cannot open database {engine.url.render_as_string(hide_password=True)}: {_reason(exc)}") from exc
