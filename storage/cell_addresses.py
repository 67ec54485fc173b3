"""The numbers of cell addresses (``cell_addresses``, see ``CellAddress``): asked for the cells
of a whole batch at once, and made for the addresses the archive has not seen yet (mostly new
printed row labels of table 2; the other tables' addresses are a fixed few hundred).

Nothing is cached between transactions: a number made in a transaction that is then rolled
back does not exist, and one statement a batch costs less than keeping a cache honest.
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import CellAddress

Address = tuple[str, str, str]  # table, row key, column key

# Addresses asked per statement: three parameters each, well under every driver's limit.
_CHUNK = 1000

_KNOWN = sa.select(CellAddress.id, CellAddress.table_name, CellAddress.row_key, CellAddress.column_key).where(
    sa.tuple_(CellAddress.table_name, CellAddress.row_key, CellAddress.column_key).in_(
        sa.bindparam("addresses", expanding=True)))
# Another writer (a fleet's, on PostgreSQL) may number the same address meanwhile: both keep one.
_NEW = {name: dialect.insert(CellAddress.__table__).on_conflict_do_nothing(
            index_elements=["table_name", "row_key", "column_key"])
        for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}


def address_ids(connection: sa.Connection, addresses: Collection[Address]) -> dict[Address, int]:
    """The number of each address, numbering those that have none."""
    ids = _known(connection, list(addresses))
    missing = [address for address in addresses if address not in ids]
    if missing:
        connection.execute(_NEW[connection.dialect.name],
                           [{"table_name": t, "row_key": r, "column_key": c} for t, r, c in missing])
        ids.update(_known(connection, missing))
    return ids


def _known(connection: sa.Connection, addresses: list[Address]) -> dict[Address, int]:
    ids: dict[Address, int] = {}
    for start in range(0, len(addresses), _CHUNK):
        rows = connection.execute(_KNOWN, {"addresses": addresses[start:start + _CHUNK]})
        ids.update(((table, row, column), id_) for id_, table, row, column in rows)
    return ids
