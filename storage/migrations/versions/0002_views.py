"""SQL views for people opening the database directly (sqlite3, Datasette, psql).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Plain SQL that SQLite and PostgreSQL both read the same way.
LATEST_VERSIONS = """
CREATE VIEW latest_versions AS
SELECT r.id AS report_id, r.agency, r.year, r.kind, v.id AS version_id, v.version_no,
       v.template, v.region, v.title, v.parse_status, v.parser_version,
       v.first_seen, v.last_seen, v.page_url, v.document_url
FROM versions v JOIN reports r ON r.id = v.report_id
WHERE v.version_no = (SELECT max(v2.version_no) FROM versions v2 WHERE v2.report_id = v.report_id)
"""

# Table 3's 总计 column, one row per latest version, one column per row of the table.
TABLE3_TOTALS = """
CREATE VIEW table3_totals AS
SELECT l.report_id, l.agency, l.year, l.version_no, l.template,
       max(CASE WHEN c.row_key = 'new_received' THEN c.value END) AS new_received,
       max(CASE WHEN c.row_key = 'carried_over' THEN c.value END) AS carried_over,
       max(CASE WHEN c.row_key = 'granted' THEN c.value END) AS granted,
       max(CASE WHEN c.row_key = 'partially_granted' THEN c.value END) AS partially_granted,
       sum(CASE WHEN c.row_key LIKE 'withheld.%' THEN c.value END) AS withheld,
       sum(CASE WHEN c.row_key LIKE 'unable.%' THEN c.value END) AS unable,
       sum(CASE WHEN c.row_key LIKE 'not_processed.%' THEN c.value END) AS not_processed,
       sum(CASE WHEN c.row_key = 'other' OR c.row_key LIKE 'other.%' THEN c.value END) AS other,
       max(CASE WHEN c.row_key = 'total_processed' THEN c.value END) AS total_processed,
       max(CASE WHEN c.row_key = 'carried_forward' THEN c.value END) AS carried_forward
FROM latest_versions l
JOIN cells c ON c.version_id = l.version_id AND c.table_name = 'applications' AND c.column_key = 'total'
GROUP BY l.report_id, l.agency, l.year, l.version_no, l.template
"""

FINDINGS = """
CREATE VIEW findings_by_report AS
SELECT r.id AS report_id, r.agency, r.year, v.version_no,
       CASE WHEN v.version_no = (SELECT max(v2.version_no) FROM versions v2 WHERE v2.report_id = v.report_id)
            THEN 1 ELSE 0 END AS is_latest,
       f.source, f.rule, f.severity, f.table_name, f.row_key, f.column_key, f.message
FROM findings f
JOIN versions v ON v.id = f.version_id
JOIN reports r ON r.id = v.report_id
"""


def upgrade() -> None:
    for statement in (LATEST_VERSIONS, TABLE3_TOTALS, FINDINGS):
        op.execute(statement)


def downgrade() -> None:
    for view in ("findings_by_report", "table3_totals", "latest_versions"):
        op.execute(f"DROP VIEW {view}")
