"""Keep each version's fixed key: the sha256 of the parts of its content no chrome can touch.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

``versions.fixed_key`` hashes a version's metadata, cells, attachments and unparsed
fingerprint, everything of its content but the paragraphs (``storage.fingerprint``). A capture
whose fixed key is no version's differs from every version under any chrome, so recording
decides it is new without reading a stored parse. Versions recorded before this revision have
none (NULL): recording compares with them in full and stores theirs then; a re-parse stores
the key of the new parse.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default): no copy of the versions table on either backend.
    op.add_column("versions", sa.Column("fixed_key", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("fixed_key")
