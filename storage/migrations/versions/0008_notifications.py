"""The ledger of notifications, so an event is delivered once per rule and a failed one again.

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("event_key", sa.String(400), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("rule", "event_key", name="pk_notifications"),
    )


def downgrade() -> None:
    op.drop_table("notifications")
