"""Index captures by URL and fetch time, newest findable first, in place of by URL alone.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

What a URL answered last, the version its bytes were recorded as, its newest validators: each
is its newest capture meeting a condition. By URL alone every capture of the URL was read and
ranked, and a page re-checked daily gains one a day: after a year of daily 304s recording a
batch's 304 answers read 370 captures a page (``storage.newest``). The new index leads with
the URL, so it serves every lookup by URL the old one did.

A second index leads with the site: the snapshot a crawl reads of its site's validators and
attachments (``storage.crawlstate``) read every capture of every site, and now reads its own
site's (in an archive of ten sites of equal size, 320 ms where it took 700).
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_captures_url_fetched_at", "captures", ["url", "fetched_at", "id"])
    op.create_index("ix_captures_site_url", "captures", ["site", "url", "fetched_at", "id"])
    op.drop_index("ix_captures_url", table_name="captures")


def downgrade() -> None:
    op.create_index("ix_captures_url", "captures", ["url"])
    op.drop_index("ix_captures_site_url", table_name="captures")
    op.drop_index("ix_captures_url_fetched_at", table_name="captures")
