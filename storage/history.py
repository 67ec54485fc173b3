"""A report's history: finding a report by id or "agency/year", its versions and captures,
and the diff between any two of its versions."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.diff import VersionDiff, diff_versions
from storage.agencies import AgencyError, find_agency
from storage.events import events
from storage.identity import normalise_agency
from storage.models import Capture, Change, Report, ReportUrl, Version
from storage.changes import attachment_hashes


class ReportNotFound(LookupError):
    """No report (or version) answers the reference; the message says which, in one line."""


# Ids, years and version numbers are 32-bit integer columns: a bigger number names nothing
# (and PostgreSQL would refuse to compare it, SQLite to bind it).
MAX_INTEGER = 2**31 - 1


def resolve_report(session: Session, ref: str) -> Report:
    """A report by numeric id or by "agency/year" (any name the agency printed or was given)."""
    ref = ref.strip()
    if ref.isdigit():
        report = session.get(Report, int(ref)) if int(ref) <= MAX_INTEGER else None
        if report is None:
            raise ReportNotFound(f"no report with id {ref}")
        return report
    agency, _, year = ref.rpartition("/")
    if not agency or not year.strip().isdigit() or int(year) > MAX_INTEGER:
        raise ReportNotFound(f"report reference {ref!r} is neither an id nor agency/year")
    try:
        same_agency = Report.agency_id == find_agency(session, agency).id
    except AgencyError:
        same_agency = Report.agency_key == normalise_agency(agency)
    reports = session.scalars(sa.select(Report).where(same_agency, Report.year == int(year)).order_by(Report.id)).all()
    if not reports:
        raise ReportNotFound(f"no report of {agency.strip()} for {year.strip()}")
    if len(reports) > 1:
        raise ReportNotFound(f"{ref} names {len(reports)} reports (kinds {', '.join(r.kind for r in reports)}); use the id")
    return reports[0]


@dataclass
class VersionInfo:
    version_no: int
    version_id: int
    first_seen: datetime
    last_seen: datetime
    parse_status: str
    parse_error: str | None
    parser_version: str
    template: str | None
    significance: str | None  # of the change from the version before; None for the first
    reverted_to: int | None  # the earlier version whose content this one brought back
    cells_changed: int
    sections_changed: int


@dataclass
class CaptureInfo:
    fetched_at: datetime
    url: str
    http_status: int
    status: str
    outcome: str | None
    version_no: int | None
    error: str | None


@dataclass
class History:
    report_id: int
    agency: str
    year: int
    kind: str
    urls: list[dict[str, Any]]
    versions: list[VersionInfo]
    captures: list[CaptureInfo]
    events: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def report_history(session: Session, report: Report) -> History:
    changes = {c.version_id: c for c in session.scalars(
        sa.select(Change).join(Version, Version.id == Change.version_id).where(Version.report_id == report.id)
    )}
    versions = session.scalars(sa.select(Version).where(Version.report_id == report.id).order_by(Version.version_no)).all()
    numbers = {v.id: v.version_no for v in versions}
    infos = []
    for v in versions:
        change = changes.get(v.id)
        summary = change.summary if change else {}
        infos.append(VersionInfo(
            v.version_no, v.id, v.first_seen, v.last_seen, v.parse_status, v.parse_error, v.parser_version, v.template,
            change.significance if change else None, v.reverted_to, len(summary.get("cells", [])), len(summary.get("sections", [])),
        ))
    captures = [
        CaptureInfo(c.fetched_at, c.url, c.http_status, c.status, c.outcome, numbers.get(c.version_id), c.error)
        for c in session.scalars(
            sa.select(Capture).where(Capture.report_id == report.id, Capture.role == "page").order_by(Capture.fetched_at, Capture.id)
        )
    ]
    urls = [
        {"url": u.url, "first_seen": u.first_seen, "last_seen": u.last_seen}
        for u in session.scalars(sa.select(ReportUrl).where(ReportUrl.report_id == report.id).order_by(ReportUrl.first_seen, ReportUrl.id))
    ]
    happened = [
        {"kind": e.kind, "at": e.at, "version_no": e.version_no, **e.detail}
        for e in events(session, ("parser_upgrade", "reverted", "withdrawn", "restored"), report_id=report.id)
    ]
    return History(report.id, report.agency, report.year, report.kind, urls, infos, captures, happened)


def version_by_number(session: Session, report: Report, number: int) -> Version:
    version = session.scalars(sa.select(Version).where(Version.report_id == report.id, Version.version_no == number)).first()
    if version is None:
        raise ReportNotFound(f"report {report.id} ({report.agency} {report.year}) has no version {number}")
    return version


def diff_years(session: Session, report: Report, other_year: int) -> tuple[Version, Version, VersionDiff]:
    """Diff the latest versions of the same agency's reports for two years (older first),
    whatever names the agency printed in each."""
    same_agency = Report.agency_id == report.agency_id if report.agency_id else Report.agency_key == report.agency_key
    other = session.scalars(sa.select(Report).where(same_agency, Report.year == other_year, Report.kind == report.kind)).first()
    if other is None or other.latest_version_id is None:
        raise ReportNotFound(f"no report of {report.agency} for {other_year}")
    older, newer = sorted((report, other), key=lambda r: r.year)
    old, new = session.get(Version, older.latest_version_id), session.get(Version, newer.latest_version_id)
    assert old is not None and new is not None
    diff = diff_versions(old.report_json, new.report_json, attachment_hashes(session, old.id), attachment_hashes(session, new.id))
    return old, new, diff


def diff_report(session: Session, report: Report, from_no: int | None = None, to_no: int | None = None) -> tuple[Version, Version, VersionDiff]:
    """Diff two versions of a report; by default the newest against the one before it."""
    latest = session.scalar(sa.select(sa.func.max(Version.version_no)).where(Version.report_id == report.id)) or 0
    if latest < 2 and from_no is None:
        raise ReportNotFound(f"report {report.id} ({report.agency} {report.year}) has only {latest} version(s); nothing to diff")
    to_no = latest if to_no is None else to_no
    from_no = to_no - 1 if from_no is None else from_no
    old, new = version_by_number(session, report, from_no), version_by_number(session, report, to_no)
    diff = diff_versions(old.report_json, new.report_json, attachment_hashes(session, old.id), attachment_hashes(session, new.id))
    return old, new, diff
