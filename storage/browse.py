"""Read queries behind the web interface: the overview, the faceted report list, one
version's rows and raw bytes, and an agency across years.

Every query reads each report's latest version through ``reports.latest_version_id`` (a
join, not a max() per row) and aggregates in SQL, so a page costs a handful of indexed
queries whatever the size of the archive. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.archive import RunInfo
from storage.agencies import known_agency
from storage.health import assess_runs
from storage.identity import normalise_agency
from storage.models import CellRow, Change, FindingRow, Report, Run, Version, VersionAttachment
from storage.query import QueryFilters, filtered_versions, incomplete_versions



@dataclass
class BrowseFilters:
    """The report list's facets; the first five are ``storage.query.QueryFilters``' own."""

    agency: str | None = None
    region: str | None = None
    year: int | None = None
    template: str | None = None
    finding: str | None = None
    has_errors: bool = False  # a finding of severity "error" on the latest version
    changed: bool = False  # more than one version: revised after publication
    incomplete: bool = False  # a standard table of the latest parse partial or missing (storage.query)

    def query_filters(self) -> QueryFilters:
        return QueryFilters(self.agency, self.region, self.year, self.template, self.finding)


def selected_versions(filters: BrowseFilters) -> sa.Select:
    """The latest version of every report the facets select, as ``filtered_versions`` builds it."""
    query = filtered_versions(filters.query_filters())
    if filters.has_errors:
        query = query.where(Version.id.in_(sa.select(FindingRow.version_id).where(FindingRow.severity == "error")))
    if filters.changed:
        query = query.where(Version.version_no > 1)
    if filters.incomplete:
        query = query.where(incomplete_versions())
    return query


@dataclass
class ReportListRow:
    report_id: int
    agency: str
    year: int
    version_no: int
    template: str | None
    region: str | None
    parse_status: str
    first_seen: datetime
    errors: int
    warnings: int


@dataclass
class ReportList:
    total: int
    offset: int
    limit: int
    rows: list[ReportListRow]
    facets: dict[str, list[tuple[Any, int]]]  # facet -> (value, reports) in the whole selection

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _severity_count(severity: str) -> sa.ScalarSelect:
    return (
        sa.select(sa.func.count())
        .where(FindingRow.version_id == Version.id, FindingRow.severity == severity)
        .scalar_subquery()
    )


def list_reports(session: Session, filters: BrowseFilters, offset: int = 0, limit: int = 50) -> ReportList:
    """One page of the selection (by agency and year) with its size and facet counts.

    Versions rows are wide (the parse's JSON lives in them), so the selection is read once,
    for the facets, and only the page's rows are read whole; the page walks the reports'
    unique (agency_key, year, kind) index in order instead of sorting the selection.
    """
    selection = selected_versions(filters)
    combinations = session.execute(
        selection.with_only_columns(Report.year, Version.region, Version.template, sa.func.count())
        .group_by(Report.year, Version.region, Version.template)
    ).all()
    facets = {}
    for index, name in enumerate(("year", "region", "template")):
        counts: dict[Any, int] = {}
        for combination in combinations:
            counts[combination[index]] = counts.get(combination[index], 0) + combination[3]
        facets[name] = sorted(counts.items(), key=lambda item: (item[0] is None, str(item[0])))
    page = session.execute(
        selection.with_only_columns(
            Report.id, Report.agency, Report.year, Version.version_no, Version.template, Version.region,
            Version.parse_status, Version.first_seen, _severity_count("error"), _severity_count("warning"),
        )
        .order_by(Report.agency_key, Report.year, Report.kind)
        .offset(offset)
        .limit(limit)
    ).all()
    return ReportList(sum(c[3] for c in combinations), offset, limit, [ReportListRow(*row) for row in page], facets)


# -- overview ------------------------------------------------------------------------------


@dataclass
class ChangeRow:
    report_id: int
    agency: str
    year: int
    version_no: int
    first_seen: datetime
    significance: str
    cells_changed: int


@dataclass
class FindingListRow:
    report_id: int
    agency: str
    year: int
    rule: str
    severity: str
    table: str | None
    row: str | None
    column: str | None
    message: str


@dataclass
class CrawlRunRow(RunInfo):
    blocked: bool = False  # some fetch answered with a challenge page
    trouble: list[str] = field(default_factory=list)  # why the site looks unhealthy (storage.health)


@dataclass
class Overview:
    reports: int
    versions: int
    by_year: list[tuple[int, int]]
    by_region: list[tuple[str | None, int]]
    latest_changes: list[ChangeRow] = field(default_factory=list)
    latest_findings: list[FindingListRow] = field(default_factory=list)
    runs: list[CrawlRunRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def overview(session: Session, limit: int = 10) -> Overview:
    latest = sa.select(Version, Report).join(Report, Report.latest_version_id == Version.id)
    reports = session.scalar(sa.select(sa.func.count()).select_from(Report)) or 0
    versions = session.scalar(sa.select(sa.func.count()).select_from(Version)) or 0
    by_year = session.execute(sa.select(Report.year, sa.func.count()).group_by(Report.year).order_by(Report.year)).all()
    by_region = session.execute(
        latest.with_only_columns(Version.region, sa.func.count()).group_by(Version.region)
        .order_by(sa.func.count().desc(), Version.region).limit(limit)
    ).all()
    changes = session.execute(
        sa.select(Change, Version.version_no, Version.first_seen, Report)
        .join(Version, Version.id == Change.version_id)
        .join(Report, Report.id == Version.report_id)
        .order_by(Change.version_id.desc())  # version ids grow as versions are recorded: newest first
        .limit(limit)
    ).all()
    findings = session.execute(  # newest first by id, on reports' latest versions only
        sa.select(FindingRow, Report)
        .join(Report, Report.latest_version_id == FindingRow.version_id)
        .where(FindingRow.severity.in_(("error", "warning")))
        .order_by(FindingRow.id.desc())
        .limit(limit)
    ).all()
    runs = session.scalars(sa.select(Run).order_by(Run.started_at.desc(), Run.id.desc()).limit(limit)).all()
    health = {h.run_id: h for h in assess_runs(session, [r.id for r in runs])}
    return Overview(
        reports=reports,
        versions=versions,
        by_year=[(year, count) for year, count in by_year],
        by_region=[(region, count) for region, count in by_region],
        latest_changes=[
            ChangeRow(r.id, r.agency, r.year, no, seen, c.significance, len(c.summary.get("cells", [])))
            for c, no, seen, r in changes
        ],
        latest_findings=[
            FindingListRow(r.id, r.agency, r.year, f.rule, f.severity, f.table_name, f.row_key, f.column_key, f.message)
            for f, r in findings
        ],
        runs=[
            CrawlRunRow(r.id, r.site, r.kind, r.started_at, r.finished_at, r.status, r.stats,
                        blocked=r.id in health and health[r.id].blocked,
                        trouble=health[r.id].reasons if r.id in health else [])
            for r in runs
        ],
    )


# -- one version ---------------------------------------------------------------------------


@dataclass
class RawFile:
    """Stored bytes of a version: its page (position 0) or an attachment (1, 2, ...)."""

    position: int
    url: str
    sha256: str
    content_type: str | None
    parsed: bool  # the parser read this file


def raw_files(session: Session, version: Version) -> list[RawFile]:
    files = []
    if version.page_sha256:
        files.append(RawFile(0, version.page_url, version.page_sha256, None, version.document_url == version.page_url))
    for attachment in session.scalars(
        sa.select(VersionAttachment).where(VersionAttachment.version_id == version.id).order_by(VersionAttachment.position)
    ):
        files.append(RawFile(attachment.position + 1, attachment.url, attachment.sha256, attachment.content_type,
                             attachment.url == version.document_url))
    return files


def version_findings(session: Session, version_id: int) -> list[FindingRow]:
    return list(session.scalars(sa.select(FindingRow).where(FindingRow.version_id == version_id).order_by(FindingRow.id)))


# -- an agency across years ------------------------------------------------------------------


@dataclass
class AgencyYear:
    report_id: int
    year: int
    version_no: int
    version_id: int
    template: str | None
    parse_status: str


def agency_reports(session: Session, agency: str) -> list[AgencyYear]:
    """The latest version of each of the agency's reports: any name it printed (its aliases,
    storage.agencies) finds them all; width and space are ignored."""
    known = known_agency(session, agency)
    same_agency = Report.agency_id == known.id if known is not None else Report.agency_key == normalise_agency(agency)
    rows = session.execute(
        sa.select(Report.id, Report.year, Version.version_no, Version.id, Version.template, Version.parse_status)
        .join(Version, Report.latest_version_id == Version.id)
        .where(same_agency)
        .order_by(Report.year, Report.id)
    ).all()
    return [AgencyYear(*row) for row in rows]


def cell_series(session: Session, version_ids: list[int], addresses: list[tuple[str, str, str]]) -> dict[tuple[int, str, str, str], dict[str, Any]]:
    """Chosen cells of some versions: (version id, table, row, column) -> value, raw and state."""
    if not version_ids or not addresses:
        return {}
    rows = session.execute(
        sa.select(CellRow.version_id, CellRow.table_name, CellRow.row_key, CellRow.column_key, CellRow.value,
                  CellRow.raw, CellRow.state)
        .where(CellRow.version_id.in_(version_ids),
               sa.tuple_(CellRow.table_name, CellRow.row_key, CellRow.column_key).in_(addresses))
    ).all()
    return {
        (r.version_id, r.table_name, r.row_key, r.column_key): {"value": r.value, "raw": r.raw, "state": r.state}
        for r in rows
    }


def crossyear_findings(session: Session, version_ids: list[int]) -> list[FindingRow]:
    if not version_ids:
        return []
    return list(session.scalars(
        sa.select(FindingRow)
        .where(FindingRow.version_id.in_(version_ids), FindingRow.source == "crossyear")
        .order_by(FindingRow.version_id, FindingRow.id)
    ))
