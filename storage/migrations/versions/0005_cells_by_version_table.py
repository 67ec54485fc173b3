"""Index a version's cells by table and column, for the wide views over table 3.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cells_version_table", "cells", ["version_id", "table_name", "column_key"])


def downgrade() -> None:
    op.drop_index("ix_cells_version_table", table_name="cells")
