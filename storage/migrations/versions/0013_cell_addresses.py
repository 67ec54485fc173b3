"""Number each cell address once (``cell_addresses``) and index cells by that number.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

The index that finds the cells of one address across the archive held the address's three
texts and the value: some 60 bytes a key, one key for each of the ~200 cells a version
writes. Keyed by a number and the value it is a fifth of the size (4.4 MB where it took 24 MB
for 2,000 reports), and recording a version's cell rows took 1.03-1.06 ms on SQLite where it
took 1.29-1.38 ms. The address texts stay on each cell for everything else (exports, views,
a version's table). Existing cells are numbered here, in one pass over the cells table
(398,400 cells: 1.6 s on SQLite). On PostgreSQL that UPDATE writes every cell row anew; a
VACUUM afterwards gives the old rows' space back.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cell_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_key", sa.String(200), nullable=False),
        sa.Column("column_key", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cell_addresses"),
        sa.UniqueConstraint("table_name", "row_key", "column_key",
                            name="uq_cell_addresses_table_name_row_key_column_key"),
    )
    # A plain ADD COLUMN: a batch copy of the archive's largest table is not needed for it.
    op.add_column("cells", sa.Column("address_id", sa.Integer(), nullable=True))
    op.drop_index("ix_cells_address", table_name="cells")
    op.execute("INSERT INTO cell_addresses (table_name, row_key, column_key) "
               "SELECT DISTINCT table_name, row_key, column_key FROM cells")
    op.execute("UPDATE cells SET address_id = (SELECT a.id FROM cell_addresses a WHERE a.table_name = cells.table_name "
               "AND a.row_key = cells.row_key AND a.column_key = cells.column_key)")
    op.create_index("ix_cells_address_value", "cells", ["address_id", "value"])


def downgrade() -> None:
    op.drop_index("ix_cells_address_value", table_name="cells")
    op.create_index("ix_cells_address", "cells", ["table_name", "row_key", "column_key", "value"])
    # Not a batch copy: SQLite would rebuild the table under the views that name it (and fail).
    op.execute("ALTER TABLE cells DROP COLUMN address_id")
    op.drop_table("cell_addresses")
