"""The archive's tables as SQLAlchemy 2 typed ORM classes.

The schema itself is created and changed only by the Alembic migrations in
``storage/migrations``; a test checks that these classes and the migrations agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Naming conventions make constraint names identical on SQLite and PostgreSQL, so
# migrations can refer to them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Timestamp = sa.DateTime(timezone=True)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: Timestamp, dict[str, Any]: sa.JSON, Any: sa.JSON}


class Blob(Base):
    """One distinct byte string; the bytes live in the blob store under their sha256."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    stored_at: Mapped[datetime]


class Run(Base):
    """One crawl run (``harvester crawl`` or a scheduled crawl) of one site."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(sa.String(200), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # crawl | scheduled
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(sa.String(20))  # running | ok | failed | ...
    stats: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class Report(Base):
    """A report is (agency, year, kind), whatever URLs it has been published at."""

    __tablename__ = "reports"
    __table_args__ = (sa.UniqueConstraint("agency_key", "year", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_key: Mapped[str] = mapped_column(sa.String(300))  # normalised, for identity
    agency: Mapped[str] = mapped_column(sa.String(300))  # as first printed
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(40))
    site: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    # Kept by the recorder so "latest version per report" is a join, not a max() per row.
    # No foreign key: reports and versions would refer to each other.
    latest_version_id: Mapped[int | None] = mapped_column(index=True)
    # The canonical agency (storage.agencies), whose key is agency_key. No foreign key, so
    # the column is added without rebuilding the table (and the views over it) on SQLite.
    agency_id: Mapped[int | None] = mapped_column(index=True)


class ReportUrl(Base):
    __tablename__ = "report_urls"
    __table_args__ = (sa.UniqueConstraint("report_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(sa.Text, index=True)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]


class Version(Base):
    """A distinct content of a report: its page body and attachments together."""

    __tablename__ = "versions"
    __table_args__ = (
        sa.UniqueConstraint("report_id", "version_no"),
        sa.UniqueConstraint("report_id", "content_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"))
    version_no: Mapped[int]
    content_key: Mapped[str] = mapped_column(sa.String(64))
    # sha256 of the content but its paragraphs (storage.fingerprint.fixed_key): a capture whose
    # fixed key is no version's is new without reading a parse. NULL: recorded before revision
    # 0010 and not compared with since; recording then compares in full.
    fixed_key: Mapped[str | None] = mapped_column(sa.String(64))
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    page_url: Mapped[str] = mapped_column(sa.Text, index=True)
    page_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))
    document_url: Mapped[str] = mapped_column(sa.Text)  # the resource the parser read
    listing_title: Mapped[str | None] = mapped_column(sa.Text)
    listing_date: Mapped[str | None] = mapped_column(sa.String(40))
    hints: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # the ReportHints the parser was given
    # The parse: derived from the bytes, replaced in place by `harvester reparse`.
    parse_status: Mapped[str] = mapped_column(sa.String(10))  # ok | error
    parse_error: Mapped[str | None] = mapped_column(sa.Text)
    parser_version: Mapped[str] = mapped_column(sa.String(40))
    parsed_at: Mapped[datetime]
    agency: Mapped[str | None] = mapped_column(sa.String(300))
    title: Mapped[str | None] = mapped_column(sa.Text)
    template: Mapped[str | None] = mapped_column(sa.String(20))
    region: Mapped[str | None] = mapped_column(sa.String(200))
    report_json: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # A version whose content is that of an earlier one (the portal went back): its number.
    reverted_to: Mapped[int | None]
    # complete | incomplete (a standard table of a 2019+ report partial or missing) | not_applicable
    # (pre-2019); NULL when the parse failed or predates revision 0006. Details in report_json.
    completeness: Mapped[str | None] = mapped_column(sa.String(16), index=True)


class VersionAttachment(Base):
    __tablename__ = "version_attachments"
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"))
    content_type: Mapped[str | None] = mapped_column(sa.String(200))


class Capture(Base):
    """One fetch of a report page or attachment, whatever came of it."""

    __tablename__ = "captures"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    site: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(12))  # page | attachment
    page_capture_id: Mapped[int | None] = mapped_column(sa.ForeignKey("captures.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.Text)
    fetched_at: Mapped[datetime]
    http_status: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(14))  # ok | not_modified | blocked | error
    error: Mapped[str | None] = mapped_column(sa.Text)
    etag: Mapped[str | None] = mapped_column(sa.Text)
    last_modified: Mapped[str | None] = mapped_column(sa.Text)
    content_type: Mapped[str | None] = mapped_column(sa.String(200))
    sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("blobs.sha256"))
    listing_title: Mapped[str | None] = mapped_column(sa.Text)
    outcome: Mapped[str | None] = mapped_column(sa.String(12))  # page rows: what recording it decided
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reports.id", ondelete="SET NULL"), index=True)
    version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("versions.id", ondelete="SET NULL"))

    # A URL's captures newest first, read from the newest down (``storage.newest``): what it
    # answered last is found in a few steps however often it was fetched. A crawl's snapshot
    # of its site (``storage.crawlstate``) reads the site's captures, not every site's.
    __table_args__ = (sa.Index("ix_captures_url_fetched_at", "url", "fetched_at", "id"),
                      sa.Index("ix_captures_site_url", "site", "url", "fetched_at", "id"))


class SectionRow(Base):
    __tablename__ = "sections"
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int]
    heading: Mapped[str] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)


class CellAddress(Base):
    """A cell address (``table.row.column``, see storage.cellnames), numbered once for the
    archive: the cells of one address across all versions are found by this number (see
    ``CellRow.address_id``). Rows are only ever added (``storage.cell_addresses``)."""

    __tablename__ = "cell_addresses"
    __table_args__ = (sa.UniqueConstraint("table_name", "row_key", "column_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(sa.String(40))
    row_key: Mapped[str] = mapped_column(sa.String(200))
    column_key: Mapped[str] = mapped_column(sa.String(200))


_TABLE3_TOTAL = sa.text("table_name = 'applications' AND column_key = 'total'")


class CellRow(Base):
    """One typed table cell, addressed as ``table.row.column`` (see storage.cellnames)."""

    __tablename__ = "cells"
    __table_args__ = (
        # Cells of one address and their values across the archive (``harvester query``'s cell
        # conditions): indexed by the address's number, not its three texts, whose long keys made
        # the index five times the size and a fifth of what writing a version's cells cost (0013);
        # then by version, so that a new version's cells join the end of their addresses' runs
        # rather than a page apiece among the archive's cells of equal value (0016).
        sa.Index("ix_cells_address_version", "address_id", "version_id", "value"),
        # The ``table3_totals`` view's cells (the applications table's 总计 column, ~15 of a
        # version's ~200), and only those: indexing every cell by version, table and column was
        # a fifth of what writing a version's cells cost (0015). Keyed by the view's table and
        # column too, so that SQLite's planner takes it with no statistics. Other reads of a
        # version's chosen cells go by the primary key.
        sa.Index("ix_cells_table3_total", "version_id", "table_name", "column_key", sqlite_where=_TABLE3_TOTAL,
                 postgresql_where=_TABLE3_TOTAL),
    )
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(sa.String(40))
    item: Mapped[str | None] = mapped_column(sa.String(60))
    row_key: Mapped[str] = mapped_column(sa.String(200))
    column_key: Mapped[str] = mapped_column(sa.String(200))
    row_label: Mapped[str | None] = mapped_column(sa.Text)
    raw: Mapped[str] = mapped_column(sa.Text)
    value: Mapped[float | None] = mapped_column(sa.Float)
    unit: Mapped[str | None] = mapped_column(sa.String(20))
    state: Mapped[str] = mapped_column(sa.String(10))
    value_wan: Mapped[float | None] = mapped_column(sa.Float)
    # Where the cell is printed in the source (parsers.locations.CellLocation.to_dict()); NULL for
    # parses made before revision 0009 and for values not read from one printed cell.
    location: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # cell_addresses.id of (table_name, row_key, column_key); no foreign key, which would cost a
    # lookup for each of the ~200 cells a version writes. NULL only in a migration's midst.
    address_id: Mapped[int | None]


class FindingRow(Base):
    """A finding of the parser's validation, or of the archive's cross-year rules."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(sa.String(10))  # parser | crossyear
    rule: Mapped[str] = mapped_column(sa.String(60), index=True)
    severity: Mapped[str] = mapped_column(sa.String(10))
    table_name: Mapped[str | None] = mapped_column(sa.String(40))
    row_key: Mapped[str | None] = mapped_column(sa.String(200))
    column_key: Mapped[str | None] = mapped_column(sa.String(200))
    printed: Mapped[Any] = mapped_column(sa.JSON)
    expected: Mapped[Any] = mapped_column(sa.JSON)
    message: Mapped[str] = mapped_column(sa.Text)


class Change(Base):
    """What a version changed relative to the version before it (storage.diff)."""

    __tablename__ = "changes"
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    previous_version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id", ondelete="CASCADE"))
    significance: Mapped[str] = mapped_column(sa.String(12))  # numbers | text | formatting
    summary: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class Notification(Base):
    """One event as delivered (or not) by one notification rule (storage.notifications)."""

    __tablename__ = "notifications"
    rule: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    event_key: Mapped[str] = mapped_column(sa.String(400), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(10))  # sent | failed
    attempts: Mapped[int]
    last_attempt: Mapped[datetime]
    error: Mapped[str | None] = mapped_column(sa.Text)
    event: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # kept so a failed delivery can be sent again


class Agency(Base):
    """One publishing body, whatever prefixes and abbreviations its titles use (storage.agencies)."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(300), unique=True)  # canonical: region path + body
    # The key's last region and body (storage.agencies.key_tail): finds a name's fuller keys by index.
    tail: Mapped[str | None] = mapped_column(sa.String(300), index=True)
    # The key after its leading regions (storage.agencies.key_body): finds the fuller keys of a
    # key that names no region by index.
    body: Mapped[str | None] = mapped_column(sa.String(300), index=True)
    name: Mapped[str] = mapped_column(sa.String(300))  # the fullest name printed
    province: Mapped[str | None] = mapped_column(sa.String(60))
    city: Mapped[str | None] = mapped_column(sa.String(60))
    county: Mapped[str | None] = mapped_column(sa.String(60))


class AgencyAlias(Base):
    """A printed name (normalised) that stands for an agency; the user may add or move them."""

    __tablename__ = "agency_aliases"
    alias: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id", ondelete="CASCADE"), index=True)


class ReportEvent(Base):
    """Something that happened to a report that is not a change of its content:
    parser_upgrade | reverted | withdrawn | restored (storage.events)."""

    __tablename__ = "report_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    at: Mapped[datetime]
    version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("versions.id", ondelete="SET NULL"))
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("runs.id", ondelete="SET NULL"))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class PageUnit(Base):
    """A paragraph of a page that is its own report, by site and report: a paragraph found on
    the pages of several reports of one site repeats, so it is chrome (storage.chrome)."""

    __tablename__ = "page_units"
    site: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    unit: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)


class VolatileShape(Base):
    """The shape (digits masked) of a paragraph seen to differ between two fetches of an
    unchanged page of a site: counters, clocks, rotating blocks (storage.chrome)."""

    __tablename__ = "volatile_shapes"
    site: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    shape: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    learned_at: Mapped[datetime]
