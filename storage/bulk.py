"""Statements that write many rows at once, at a cost that hardly grows with the rows.

On PostgreSQL the rows go as one array per column (``unnest``): the statement's text and
its few parameters are the same however many rows there are, so psycopg parses it once and
prepares it, where an executemany costs a round of the protocol per row and a multi-row
VALUES list a statement of hundreds of parameters that psycopg parses anew every time.
Elsewhere (SQLite, whose executemany is a loop in C) the rows go as an executemany.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

Column = Callable[[str], Any]  # a row's value of a parameter, as the statement refers to it


class ManyRows:
    """A statement run for each of many rows: ``build`` makes it from a function giving a
    row's value of each parameter named in ``types``."""

    def __init__(self, types: dict[str, Any], build: Callable[[Column], sa.Executable]) -> None:
        self.types = types
        self.each = build(lambda name: sa.bindparam(name, type_=types[name]))
        arrays = [sa.bindparam(name, type_=postgresql.ARRAY(kind)) for name, kind in types.items()]
        self.rows = sa.func.unnest(*arrays).table_valued(*types, with_ordinality="position").render_derived(name="rows")
        self.together = build(lambda name: self.rows.c[name])

    def execute(self, connection: sa.Connection, rows: list[dict[str, Any]]) -> sa.CursorResult[Any]:
        if connection.dialect.name == "postgresql":
            return connection.execute(self.together, {name: [row[name] for row in rows] for name in self.types})
        return connection.execute(self.each, rows)


class InsertMany:
    """INSERT of many rows of ``table`` (values for ``columns``); with ``ids``, the new rows'
    ids come back in the rows' order (SQLite then inserts them one by one)."""

    def __init__(self, table: sa.Table, columns: list[str], *, ids: bool = False) -> None:
        self.columns = columns
        self.ids = ids
        arrays = [sa.bindparam(name, type_=postgresql.ARRAY(table.c[name].type)) for name in columns]
        rows = sa.func.unnest(*arrays).table_valued(*columns, with_ordinality="position").render_derived(name="rows")
        # Inserted in the rows' order, so the ids a sequence gives them rise in that order.
        self.together = table.insert().from_select(columns, sa.select(*(rows.c[name] for name in columns))
                                                   .order_by(rows.c.position))
        self.each = table.insert()
        if ids:
            self.together = self.together.returning(table.c.id)
            self.each = self.each.returning(table.c.id, sort_by_parameter_order=True)

    def execute(self, connection: sa.Connection, rows: list[dict[str, Any]]) -> list[int]:
        """The new ids, in the rows' order (none without ``ids``)."""
        if not rows:
            return []
        if connection.dialect.name == "postgresql":
            result = connection.execute(self.together, {name: [row[name] for row in rows] for name in self.columns})
            return sorted(result.scalars()) if self.ids else []
        result = connection.execute(self.each, rows)
        return list(result.scalars()) if self.ids else []
