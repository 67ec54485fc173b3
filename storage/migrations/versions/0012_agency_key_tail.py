"""Keep each agency's key tail (its last region and body) in an indexed column.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

An agency new to the archive is looked for under fuller and shorter keys of the same body
(``storage.agencies._by_suffix``): 张店区教育局 finds 淄博市张店区教育局. That search read every
agency (a suffix LIKE), some 4 ms a name at 20,000 agencies, and a first crawl asks it for
every new agency twice. Fuller keys share the key's tail, so ``agencies.tail`` answers it by
index. Existing agencies are given theirs here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.agencies import key_tail

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agencies", sa.Column("tail", sa.String(300), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, key FROM agencies")).all()
    if rows:
        connection.execute(sa.text("UPDATE agencies SET tail = :tail WHERE id = :id"),
                           [{"id": row.id, "tail": key_tail(row.key)} for row in rows])
    op.create_index("ix_agencies_tail", "agencies", ["tail"])


def downgrade() -> None:
    op.drop_index("ix_agencies_tail", table_name="agencies")
    with op.batch_alter_table("agencies") as batch:
        batch.drop_column("tail")
