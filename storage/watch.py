"""What users want to be told after crawls: the events of a set of runs.

Each event has a ``key`` that names the fact, not the moment (``version:17``,
``deadline:<agency>:2025``): whoever delivers events keeps the keys it has delivered, so a
resumed or repeated crawl never announces the same fact twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.clock import as_utc
from storage.coverage import coverage, deadline
from storage.health import assess_runs, trouble_started
from storage.models import Capture, Change, FindingRow, Report, ReportEvent, Run, Version
from storage.pages import shown_before_on_its_page

EventKind = Literal[
    "new_report", "new_version", "new_error_finding", "withdrawn", "restored", "reverted",
    "deadline_missed", "site_broken", "site_blocked",
]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]
# Cell changes listed in one event; the rest are counted.
MAX_CELLS = 12


@dataclass
class CellLine:
    address: str
    row_label: str | None
    old: str | None
    new: str | None


@dataclass
class WatchEvent:
    key: str
    kind: EventKind
    at: datetime
    site: str | None = None
    agency: str | None = None
    region: str | None = None
    year: int | None = None
    report_id: int | None = None
    version_no: int | None = None
    summary: str = ""  # one line, in the report's language
    significance: str | None = None  # of a new version: numbers | text | formatting
    cells: list[CellLine] = field(default_factory=list)
    more_cells: int = 0
    url: str | None = None  # where the report was published

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["at"] = self.at.isoformat()
        return out


def run_events(session: Session, run_ids: Iterable[int], *, today: date) -> list[WatchEvent]:
    """Everything the runs found that users are told about, oldest first."""
    ids = sorted(set(run_ids))
    if not ids:
        return []
    events = (_version_events(session, ids) + _report_events(session, ids) + _finding_events(session, ids)
              + _site_events(session, ids))
    sites = set(session.scalars(sa.select(Run.site).where(Run.id.in_(ids))))
    events += deadline_events(session, today=today, sites=sites)
    return sorted(events, key=lambda e: (as_utc(e.at), e.key))


def _version_events(session: Session, run_ids: list[int]) -> list[WatchEvent]:
    rows = session.execute(
        sa.select(Capture.outcome, Capture.fetched_at, Capture.url, Report, Version, Change,
                  shown_before_on_its_page().label("revised"))
        .join(Version, Version.id == Capture.version_id)
        .join(Report, Report.id == Version.report_id)
        .outerjoin(Change, Change.version_id == Version.id)
        .where(Capture.run_id.in_(run_ids), Capture.role == "page", Capture.outcome.in_(("new_report", "new_version")))
        .order_by(Capture.id)
    ).all()
    events = []
    for outcome, fetched_at, url, report, version, change, revised in rows:
        event = WatchEvent(
            key=f"version:{version.id}", kind=outcome, at=fetched_at, site=report.site, agency=report.agency,
            region=version.region, year=report.year, report_id=report.id, version_no=version.version_no, url=url,
        )
        if outcome == "new_report":
            event.summary = f"新报告 / new report: {report.agency} {report.year}"
        else:
            event.significance = change.significance if change else None
            cells = (change.summary.get("cells") or []) if change else []
            event.cells = [CellLine(c["address"], c.get("row_label"), c.get("old_raw"), c.get("new_raw")) for c in cells[:MAX_CELLS]]
            event.more_cells = max(0, len(cells) - MAX_CELLS)
            # A page that showed no version of the report before holds a copy of it (the
            # city's, a PDF elsewhere): what differs from the latest is the copy's, no revision.
            what = "报告已修改 / report changed" if revised else "报告另见于新页面 / report found on another page"
            event.summary = (f"{what}: {report.agency} {report.year}, version {version.version_no}"
                             f" ({event.significance or 'changed'}, {len(cells)} cell(s))")
        events.append(event)
    return events


_REPORT_EVENT_WORDS = {"withdrawn": "报告已撤下 / withdrawn", "restored": "报告已恢复 / restored",
                      "reverted": "报告改回旧版 / reverted"}


def _report_events(session: Session, run_ids: list[int]) -> list[WatchEvent]:
    """Withdrawals, restorations and reverts the runs found (storage.events)."""
    rows = session.execute(
        sa.select(ReportEvent, Report, Version)
        .join(Report, Report.id == ReportEvent.report_id)
        .outerjoin(Version, Version.id == Report.latest_version_id)
        .where(ReportEvent.run_id.in_(run_ids), ReportEvent.kind.in_(tuple(_REPORT_EVENT_WORDS)))
        .order_by(ReportEvent.id)
    ).all()
    events = []
    for event, report, latest in rows:
        detail = event.detail or {}
        why = detail.get("reason") or (f"back to version {detail['reverted_to']}" if "reverted_to" in detail else "")
        events.append(WatchEvent(
            key=f"event:{event.id}", kind=event.kind, at=event.at, site=report.site, agency=report.agency,
            region=latest.region if latest else None, year=report.year, report_id=report.id,
            version_no=latest.version_no if latest else None,
            summary=f"{_REPORT_EVENT_WORDS[event.kind]}: {report.agency} {report.year}" + (f" ({why})" if why else ""),
        ))
    return events


def _finding_events(session: Session, run_ids: list[int]) -> list[WatchEvent]:
    """Error findings of the runs' new versions that the version before did not have."""
    new_versions = (
        sa.select(Capture.version_id)
        .where(Capture.run_id.in_(run_ids), Capture.outcome.in_(("new_report", "new_version")))
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(FindingRow, Version, Report)
        .join(Version, Version.id == FindingRow.version_id)
        .join(Report, Report.id == Version.report_id)
        .where(FindingRow.version_id.in_(new_versions), FindingRow.severity == "error")
        .order_by(FindingRow.id)
    ).all()
    previous = _previous_errors(session, {version.report_id: version.version_no for _, version, _ in rows})
    events = []
    for finding, version, report in rows:
        place = (finding.rule, finding.table_name, finding.row_key, finding.column_key)
        if place in previous.get(report.id, set()):
            continue
        where = ".".join(p for p in place[1:] if p)
        events.append(WatchEvent(
            key=f"finding:{version.id}:{finding.rule}:{where}", kind="new_error_finding", at=version.first_seen,
            site=report.site, agency=report.agency, region=version.region, year=report.year, report_id=report.id,
            version_no=version.version_no,
            summary=f"数据不一致 / inconsistent: {report.agency} {report.year} {finding.rule} {where}: {finding.message}",
        ))
    return events


def _previous_errors(session: Session, versions: dict[int, int]) -> dict[int, set[tuple[Any, ...]]]:
    """The error findings of the version before each (report id -> version number) given,
    in one query per thousand reports rather than one per report."""
    found: dict[int, set[tuple[Any, ...]]] = {report_id: set() for report_id in versions}
    pairs = [(report_id, number - 1) for report_id, number in versions.items()]
    for start in range(0, len(pairs), 1000):
        rows = session.execute(
            sa.select(Version.report_id, FindingRow.rule, FindingRow.table_name, FindingRow.row_key,
                      FindingRow.column_key)
            .join(Version, Version.id == FindingRow.version_id)
            .where(sa.tuple_(Version.report_id, Version.version_no).in_(pairs[start:start + 1000]),
                   FindingRow.severity == "error")
        ).all()
        for report_id, *place in rows:
            found[report_id].add(tuple(place))
    return found


def _site_events(session: Session, run_ids: list[int]) -> list[WatchEvent]:
    events = []
    for health in assess_runs(session, run_ids):
        if health.healthy:
            continue
        kind: EventKind = "site_blocked" if health.blocked else "site_broken"
        events.append(WatchEvent(
            key=f"site:{health.site}:{kind}:{trouble_started(session, health)}", kind=kind, at=health.checked_at, site=health.site,
            summary=f"站点异常 / site {'blocked' if health.blocked else 'broken'}: {health.site}: {'; '.join(health.reasons)}",
        ))
    return events


def deadline_events(session: Session, *, today: date, sites: set[str] | None = None) -> list[WatchEvent]:
    """Agencies of these sites whose report on last year is missing past its legal deadline."""
    year = today.year - 1
    events = []
    for site in sorted(sites) if sites is not None else [None]:
        for entry in coverage(session, year, as_of=today, site=site).of_status("missing"):
            due = deadline(entry.kind, year)
            events.append(WatchEvent(
                key=f"deadline:{entry.agency}:{year}", kind="deadline_missed",
                at=datetime.combine(due, datetime.min.time()), site=entry.site, agency=entry.agency,
                region=entry.region, year=year,
                summary=f"逾期未发布 / not published by {due}: {entry.agency} {year}",
            ))
    return events


def recent_events(session: Session, *, today: date, site: str | None = None, agency: str | None = None,
                  runs: int = 100) -> list[WatchEvent]:
    """The events of the newest ``runs`` crawl runs (of one site), newest first; ``agency``
    keeps the events whose agency name contains it."""
    query = sa.select(Run.id).order_by(Run.id.desc()).limit(runs)
    if site is not None:
        query = query.where(Run.site == site)
    events = run_events(session, session.scalars(query), today=today)
    if agency:
        events = [e for e in events if agency in (e.agency or "")]
    return events[::-1]
