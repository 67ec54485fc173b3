"""Index reports by site: the confirm question asks whether a site has ten reports yet.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

A site's first new report pages are fetched twice before they are recorded
(``storage.chrome.still_sampling``); whether the archive holds ``SAMPLED_REPORTS`` of its
reports is asked for every new report a crawl finds, and without an index each answer read
the whole reports table.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_site", "reports", ["site"])


def downgrade() -> None:
    op.drop_index("ix_reports_site", table_name="reports")
