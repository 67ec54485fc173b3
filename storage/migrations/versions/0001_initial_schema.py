"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blobs'))
    )
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_key', sa.String(length=300), nullable=False),
    sa.Column('agency', sa.String(length=300), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('site', sa.String(length=200), nullable=True),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('agency_key', 'year', 'kind', name=op.f('uq_reports_agency_key_year_kind'))
    )
    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_runs_site'), ['site'], unique=False)

    op.create_table('report_urls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_urls_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_urls')),
    sa.UniqueConstraint('report_id', 'url', name=op.f('uq_report_urls_report_id_url'))
    )
    with op.batch_alter_table('report_urls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_urls_url'), ['url'], unique=False)

    op.create_table('versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('content_key', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('page_url', sa.Text(), nullable=False),
    sa.Column('page_sha256', sa.String(length=64), nullable=True),
    sa.Column('document_url', sa.Text(), nullable=False),
    sa.Column('listing_title', sa.Text(), nullable=True),
    sa.Column('listing_date', sa.String(length=40), nullable=True),
    sa.Column('parse_status', sa.String(length=10), nullable=False),
    sa.Column('parse_error', sa.Text(), nullable=True),
    sa.Column('parser_version', sa.String(length=40), nullable=False),
    sa.Column('parsed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('agency', sa.String(length=300), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('template', sa.String(length=20), nullable=True),
    sa.Column('region', sa.String(length=200), nullable=True),
    sa.Column('report_json', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['page_sha256'], ['blobs.sha256'], name=op.f('fk_versions_page_sha256_blobs')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_versions_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_versions')),
    sa.UniqueConstraint('report_id', 'content_key', name=op.f('uq_versions_report_id_content_key')),
    sa.UniqueConstraint('report_id', 'version_no', name=op.f('uq_versions_report_id_version_no'))
    )
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_versions_page_url'), ['page_url'], unique=False)

    op.create_table('captures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('site', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('page_capture_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=14), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('content_type', sa.String(length=200), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('listing_title', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['page_capture_id'], ['captures.id'], name=op.f('fk_captures_page_capture_id_captures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_captures_report_id_reports'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_captures_run_id_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sha256'], ['blobs.sha256'], name=op.f('fk_captures_sha256_blobs')),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_captures_version_id_versions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_captures'))
    )
    with op.batch_alter_table('captures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_captures_page_capture_id'), ['page_capture_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_captures_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_captures_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_captures_url'), ['url'], unique=False)

    op.create_table('cells',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('item', sa.String(length=60), nullable=True),
    sa.Column('row_key', sa.String(length=200), nullable=False),
    sa.Column('column_key', sa.String(length=200), nullable=False),
    sa.Column('row_label', sa.Text(), nullable=True),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('value_wan', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_cells_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'position', name=op.f('pk_cells'))
    )
    with op.batch_alter_table('cells', schema=None) as batch_op:
        batch_op.create_index('ix_cells_address', ['table_name', 'row_key', 'column_key', 'value'], unique=False)

    op.create_table('changes',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('previous_version_id', sa.Integer(), nullable=False),
    sa.Column('significance', sa.String(length=12), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['previous_version_id'], ['versions.id'], name=op.f('fk_changes_previous_version_id_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_changes_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', name=op.f('pk_changes'))
    )
    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('rule', sa.String(length=60), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=True),
    sa.Column('row_key', sa.String(length=200), nullable=True),
    sa.Column('column_key', sa.String(length=200), nullable=True),
    sa.Column('printed', sa.JSON(), nullable=False),
    sa.Column('expected', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_findings_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_rule'), ['rule'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_version_id'), ['version_id'], unique=False)

    op.create_table('sections',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_sections_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'position', name=op.f('pk_sections'))
    )
    op.create_table('version_attachments',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['sha256'], ['blobs.sha256'], name=op.f('fk_version_attachments_sha256_blobs')),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_version_attachments_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'position', name=op.f('pk_version_attachments'))
    )


def downgrade() -> None:
    op.drop_table('version_attachments')
    op.drop_table('sections')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_version_id'))
        batch_op.drop_index(batch_op.f('ix_findings_rule'))

    op.drop_table('findings')
    op.drop_table('changes')
    with op.batch_alter_table('cells', schema=None) as batch_op:
        batch_op.drop_index('ix_cells_address')

    op.drop_table('cells')
    with op.batch_alter_table('captures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_captures_url'))
        batch_op.drop_index(batch_op.f('ix_captures_run_id'))
        batch_op.drop_index(batch_op.f('ix_captures_report_id'))
        batch_op.drop_index(batch_op.f('ix_captures_page_capture_id'))

    op.drop_table('captures')
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_versions_page_url'))

    op.drop_table('versions')
    with op.batch_alter_table('report_urls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_urls_url'))

    op.drop_table('report_urls')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runs_site'))

    op.drop_table('runs')
    op.drop_table('reports')
    op.drop_table('blobs')
