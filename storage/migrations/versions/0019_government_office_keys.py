"""Write a government office's short name out in agency keys: 政府办公室 as 人民政府办公室.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04

张店区政府办公室 and 淄博市张店区人民政府办公室 had two keys, so one office's reports of
a year were two reports and its coverage counted it twice. Keys are rewritten as
``storage.agencies.canonical`` now makes them, on the agencies and on their reports. Where
the written-out key is already another agency's, the two stay apart as recorded; the user
joins them with ``harvester agencies merge``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.agencies import full_office_name, key_body, key_tail, split_regions

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, key FROM agencies WHERE key LIKE '%政府%'")).all()
    taken = set(connection.execute(sa.text("SELECT key FROM agencies")).scalars())
    for row in rows:
        regions, rest = split_regions(row.key)
        key = "".join(regions) + full_office_name(rest)
        if key == row.key or key in taken:
            continue
        taken.add(key)
        connection.execute(sa.text("UPDATE agencies SET key = :key, tail = :tail, body = :body WHERE id = :id"),
                           {"id": row.id, "key": key, "tail": key_tail(key), "body": key_body(key)})
        connection.execute(sa.text("UPDATE reports SET agency_key = :key WHERE agency_id = :id"), {"key": key, "id": row.id})


def downgrade() -> None:
    """Keys keep the written-out name: the short one named one office twice."""
