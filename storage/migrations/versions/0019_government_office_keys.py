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

from storage.agencies import full_office_name, rewrite_keys, split_regions

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, key FROM agencies WHERE key LIKE '%政府%'")).all()
    # A key already written out is its own new key, which rewrite_keys finds taken and leaves.
    rewrite_keys(connection, {row.id: _written_out(row.key) for row in rows})


def _written_out(key: str) -> str:
    regions, rest = split_regions(key)
    return "".join(regions) + full_office_name(rest)


def downgrade() -> None:
    """Keys keep the written-out name: the short one named one office twice."""
