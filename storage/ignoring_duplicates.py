"""INSERT statements that skip the rows whose unique keys are taken (``ON CONFLICT DO
NOTHING``), built once for each database the archive runs on: each dialect has its own
construct for it, and rows written by another writer meanwhile are not an error."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def inserts_ignoring_duplicates(table: sa.Table, keys: list[str]) -> dict[str, sa.Insert]:
    """The statement for each dialect, by ``dialect.name``; run it through Core (no ORM bulk insert)."""
    return {name: dialect.insert(table).on_conflict_do_nothing(index_elements=keys)
            for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}
