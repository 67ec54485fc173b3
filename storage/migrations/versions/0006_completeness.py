"""Keep whether each version's standard tables were read in full, for `harvester query --incomplete`.

Revision ID: 0006
Revises: 0008 (chained after main's 0008_notifications, which also followed 0005)
Create Date: 2026-11-30

Versions parsed before this revision have no completeness (NULL) until `harvester reparse`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("completeness", sa.String(16), nullable=True))
        batch.create_index("ix_versions_completeness", ["completeness"])


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_index("ix_versions_completeness")
        batch.drop_column("completeness")
