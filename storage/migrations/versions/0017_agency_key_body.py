"""Keep each agency's key body (the key after its leading regions) in an indexed column.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

A name new to the archive is looked for under fuller keys of the same body
(``storage.agencies._by_suffixes``). A key naming a region finds them by its tail (revision
0012); a key naming none (国家税务总局淄博市税务局, a branch of a national body, prints no
region in front) had no such column and read every agency's key with a suffix LIKE: some
5 ms a new name at 20,000 agencies, 0.6 ms of each new version recorded into an archive of
100,000 versions. Fuller keys of a key naming no region have that key as their body, so
``agencies.body`` answers it by index. Existing agencies are given theirs here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.agencies import key_body

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agencies", sa.Column("body", sa.String(300), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, key FROM agencies")).all()
    if rows:
        connection.execute(sa.text("UPDATE agencies SET body = :body WHERE id = :id"),
                           [{"id": row.id, "body": key_body(row.key)} for row in rows])
    op.create_index("ix_agencies_body", "agencies", ["body"])


def downgrade() -> None:
    op.drop_index("ix_agencies_body", table_name="agencies")
    with op.batch_alter_table("agencies") as batch:
        batch.drop_column("body")
