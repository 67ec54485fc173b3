"""The numbers of cell addresses (``cell_addresses``, see ``CellAddress``): asked for the cells
of a whole batch at once, and made for the addresses the archive has not seen yet (mostly new
printed row labels of table 2; the other tables' addresses are a fixed few hundred).

Nothing is cached between transactions: a number made in a transaction that is then rolled
back does not exist, and one statement a batch costs less than keeping a cache honest.
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from storage.ignoring_duplicates import inserts_ignoring_duplicates
from storage.json_text import to_json
from storage.models import CellAddress

Address = tuple[str, str, str]  # table, row key, column key

# The addresses asked go as one parameter (SQLite: a JSON array; PostgreSQL: an array of each
# part), so the statement's text is the same whatever their number: as an IN list of a few
# hundred tuples they cost SQLAlchemy and the driver three times the lookup.
_KNOWN = {
    "sqlite": sa.text(
        "SELECT a.id, a.table_name, a.row_key, a.column_key FROM json_each(:addresses) AS w "
        "JOIN cell_addresses AS a ON a.table_name = json_extract(w.value, '$[0]') "
        "AND a.row_key = json_extract(w.value, '$[1]') AND a.column_key = json_extract(w.value, '$[2]')"),
    "postgresql": sa.text(
        "SELECT a.id, a.table_name, a.row_key, a.column_key FROM cell_addresses AS a "
        "JOIN unnest(CAST(:tables AS text[]), CAST(:rows AS text[]), CAST(:columns AS text[])) AS w (t, r, c) "
        "ON a.table_name = w.t AND a.row_key = w.r AND a.column_key = w.c"),
}
# Another writer (a fleet's, on PostgreSQL) may number the same address meanwhile: both keep one.
_NEW = inserts_ignoring_duplicates(CellAddress.__table__, ["table_name", "row_key", "column_key"])


def address_ids(connection: sa.Connection, addresses: Collection[Address]) -> dict[Address, int]:
    """The number of each address, numbering those that have none (one statement to ask, and
    two more when some are new)."""
    ids = _known(connection, list(addresses))
    # In one order for every writer: two of a fleet's writers numbering the same new addresses
    # in their sets' orders could each wait on a row the other inserted first (a deadlock).
    missing = sorted(address for address in addresses if address not in ids)
    if missing:
        connection.execute(_NEW[connection.dialect.name],
                           [{"table_name": t, "row_key": r, "column_key": c} for t, r, c in missing])
        ids.update(_known(connection, missing))
    return ids


def _known(connection: sa.Connection, addresses: list[Address]) -> dict[Address, int]:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        parameters: dict[str, object] = {"tables": [a[0] for a in addresses], "rows": [a[1] for a in addresses],
                                         "columns": [a[2] for a in addresses]}
    else:
        parameters = {"addresses": to_json(addresses)}
    return {(table, row, column): id_ for id_, table, row, column in connection.execute(_KNOWN[dialect], parameters)}
