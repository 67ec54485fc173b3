"""Index only the applications table's 总计 column by version, in place of every cell by version, table and column.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

``ix_cells_version_table`` (revision 0005) held all ~200 cells of every version, and keeping it
was a fifth of what writing a version's cells cost the archive writer, and a fifth of the
cells' bytes. What read through it: the ``table3_totals`` view (a version's cells of the
applications table's 总计 column, ~15 of the 200), and the cells of a few chosen addresses of
some versions (``harvester query``'s output columns, an agency's page), which read all of a
version's cells through the primary key just as well. The view keeps an index of its own:
partial, so it holds only the cells it reads. Its key names the table and column the view
asks for, as the old index's did: SQLite's planner, which has no statistics in an archive
nobody ran ANALYZE on, then prefers it to the primary key (keyed by version alone, the view
read all 200 cells of every version through the primary key, 1.8 times as long).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLE3_TOTAL = "table_name = 'applications' AND column_key = 'total'"


def upgrade() -> None:
    op.create_index("ix_cells_table3_total", "cells", ["version_id", "table_name", "column_key"],
                    sqlite_where=sa.text(TABLE3_TOTAL), postgresql_where=sa.text(TABLE3_TOTAL))
    op.drop_index("ix_cells_version_table", table_name="cells")


def downgrade() -> None:
    op.create_index("ix_cells_version_table", "cells", ["version_id", "table_name", "column_key"])
    op.drop_index("ix_cells_table3_total", table_name="cells")
