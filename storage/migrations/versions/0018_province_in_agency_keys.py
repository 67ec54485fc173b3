"""Keep the province in the key of an agency that names no city or county.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

A key left the province out whatever followed it, so 河北省教育厅 and 山东省教育厅 had the key
教育厅, and every province's 人民政府 the key "": two provinces' reports of a year were one
report. Such keys get their province back here, with the tail and body made from them, on
the agencies and on their reports. Reports two provinces were already filed under as one stay
as recorded: the versions say which was which.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.agencies import rewrite_keys

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, key, province FROM agencies WHERE province IS NOT NULL AND city IS NULL AND county IS NULL")).all()
    rewrite_keys(connection, {row.id: row.province + row.key for row in rows if not row.key.startswith(row.province)})


def downgrade() -> None:
    """Keys keep their province: the key without it named two provinces' agencies as one."""
