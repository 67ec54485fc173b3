"""Canonical agencies with their aliases, report events (parser upgrade, reverted, withdrawn,
restored) and what the archive has learned of each site's page chrome.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("province", sa.String(60), nullable=True),
        sa.Column("city", sa.String(60), nullable=True),
        sa.Column("county", sa.String(60), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("key", name=op.f("uq_agencies_key")),
    )
    op.create_table(
        "agency_aliases",
        sa.Column("alias", sa.String(300), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_agency_aliases_agency_id_agencies"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("alias", name=op.f("pk_agency_aliases")),
    )
    op.create_index(op.f("ix_agency_aliases_agency_id"), "agency_aliases", ["agency_id"])
    op.create_table(
        "report_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=op.f("fk_report_events_report_id_reports"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], name=op.f("fk_report_events_version_id_versions"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_report_events_run_id_runs"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_events")),
    )
    op.create_index(op.f("ix_report_events_report_id"), "report_events", ["report_id"])
    op.create_index(op.f("ix_report_events_kind"), "report_events", ["kind"])
    op.create_table(
        "page_units",
        sa.Column("site", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=op.f("fk_page_units_report_id_reports"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("site", "unit", "report_id", name=op.f("pk_page_units")),
    )
    op.create_table(
        "volatile_shapes",
        sa.Column("site", sa.String(200), nullable=False),
        sa.Column("shape", sa.String(32), nullable=False),
        sa.Column("learned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site", "shape", name=op.f("pk_volatile_shapes")),
    )
    op.add_column("reports", sa.Column("agency_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_reports_agency_id"), "reports", ["agency_id"])
    op.add_column("versions", sa.Column("reverted_to", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("reverted_to")
    op.drop_index(op.f("ix_reports_agency_id"), table_name="reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("agency_id")
    for table in ("volatile_shapes", "page_units", "report_events", "agency_aliases", "agencies"):
        op.drop_table(table)
