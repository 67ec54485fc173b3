"""``one_of(column, name)``: the column's value is one of a list passed as parameter ``name``.

An IN list has one parameter per value, so its statement's text changes with the list's
length; psycopg parses again (and never prepares) a statement it has not seen, or one of
more than 50 parameters, which costs more than running it. On PostgreSQL the list is one
array parameter (``= ANY(...)``), so the text stays the same; elsewhere it is an IN list.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal


class _OneOf(sa.sql.expression.ColumnElement[bool]):
    inherit_cache = True
    type = sa.Boolean()
    _is_implicitly_boolean = True  # a comparison: no "= 1" after it where booleans are integers
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement), ("name", InternalTraversal.dp_string)]

    def __init__(self, column: sa.ColumnElement[Any], name: str) -> None:
        self.column = column
        self.name = name


def one_of(column: Any, name: str) -> sa.ColumnElement[bool]:
    return _OneOf(column, name)


@compiles(_OneOf)
def _in_list(element: _OneOf, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column.in_(sa.bindparam(element.name, expanding=True)), **kw)


@compiles(_OneOf, "postgresql")
def _any_of_array(element: _OneOf, compiler: Any, **kw: Any) -> str:
    array = sa.bindparam(element.name, type_=postgresql.ARRAY(element.column.type))
    return compiler.process(element.column == sa.any_(array), **kw)
