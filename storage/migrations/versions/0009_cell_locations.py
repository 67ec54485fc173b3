"""Keep where each typed cell is printed in the source (``cells.location``, the parser's CellLocation).

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-30

Versions parsed before this revision have no locations (NULL, and no "location" in their
report_json cells) until `harvester reparse`; the web evidence view finds their cells again
in the stored bytes instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default) on both SQLite and PostgreSQL: the cells table is
    # the archive's largest and a batch copy of it would take as long as the archive is big.
    op.add_column("cells", sa.Column("location", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cells") as batch:
        batch.drop_column("location")
