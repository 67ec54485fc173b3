"""Each report points at its latest version, so "latest per report" is a join.

The views are recreated on the new column (PostgreSQL will not drop a view others use, so
all three go and come back).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VIEWS = ("findings_by_report", "table3_totals", "latest_versions")

LATEST_VERSIONS = """
CREATE VIEW latest_versions AS
SELECT r.id AS report_id, r.agency, r.year, r.kind, v.id AS version_id, v.version_no,
       v.template, v.region, v.title, v.parse_status, v.parser_version,
       v.first_seen, v.last_seen, v.page_url, v.document_url
FROM reports r JOIN versions v ON v.id = r.latest_version_id
"""

FINDINGS = """
CREATE VIEW findings_by_report AS
SELECT r.id AS report_id, r.agency, r.year, v.version_no,
       CASE WHEN v.id = r.latest_version_id THEN 1 ELSE 0 END AS is_latest,
       f.source, f.rule, f.severity, f.table_name, f.row_key, f.column_key, f.message
FROM findings f
JOIN versions v ON v.id = f.version_id
JOIN reports r ON r.id = v.report_id
"""


def _previous_views():  # type: ignore[no-untyped-def]
    return importlib.import_module("storage.migrations.versions.0002_views")


def upgrade() -> None:
    for view in VIEWS:
        op.execute(f"DROP VIEW {view}")
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("latest_version_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_reports_latest_version_id"), ["latest_version_id"], unique=False)
    op.execute(
        "UPDATE reports SET latest_version_id = (SELECT v.id FROM versions v WHERE v.report_id = reports.id "
        "ORDER BY v.version_no DESC LIMIT 1)"
    )
    op.execute(LATEST_VERSIONS)
    op.execute(_previous_views().TABLE3_TOTALS)
    op.execute(FINDINGS)


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"DROP VIEW {view}")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index(batch.f("ix_reports_latest_version_id"))
        batch.drop_column("latest_version_id")
    previous = _previous_views()
    for statement in (previous.LATEST_VERSIONS, previous.TABLE3_TOTALS, previous.FINDINGS):
        op.execute(statement)
