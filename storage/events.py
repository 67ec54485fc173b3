"""Report events: what happens to a report that is not a change of its content.

* ``parser_upgrade``: a newer parser re-read a version's bytes and its parse changed;
* ``reverted``: the portal went back to an earlier content (the new version says which);
* ``withdrawn``: the report left its column, or its page answered 404/410 in two crawls (or
  the portal's "page deleted" page, with HTTP 200: ``GONE_PAGE``);
* ``restored``: a withdrawn report is back.

Withdrawal is concluded only from a crawl that read every list page of the site (the
caller says so); a list page that failed could be the one that lists the report.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.gone import GONE_STATUSES, is_gone
from storage.health import run_health
from storage.models import Capture, Report, ReportEvent, ReportUrl, Run, Version

EventKind = Literal["parser_upgrade", "reverted", "withdrawn", "restored"]


def add_event(session: Session, report_id: int, kind: EventKind, at: datetime, *, version_id: int | None = None,
              run_id: int | None = None, **detail: Any) -> None:
    # Core, not an object: an event is never read back in the transaction that adds it but by
    # ``is_withdrawn``, which then needs no flush.
    session.connection().execute(ReportEvent.__table__.insert(), {
        "report_id": report_id, "kind": kind, "at": at, "version_id": version_id, "run_id": run_id, "detail": detail})
    if kind in _FATE_KINDS:
        _fates(session)[report_id] = kind


def _current_withdrawals() -> sa.Select:
    """Ids of the withdrawal events not followed by a restoration (one per withdrawn report)."""
    latest = (sa.select(sa.func.max(ReportEvent.id)).where(ReportEvent.kind.in_(("withdrawn", "restored")))
              .group_by(ReportEvent.report_id))
    return sa.select(ReportEvent.id).where(ReportEvent.id.in_(latest), ReportEvent.kind == "withdrawn")


def withdrawn_reports() -> sa.Select:
    """Ids of the reports that are withdrawn now."""
    return sa.select(ReportEvent.report_id).where(ReportEvent.id.in_(_current_withdrawals()))


def is_withdrawn(session: Session, report_id: int) -> bool:
    """Whether the report's latest withdrawal or restoration is a withdrawal (one index range read,
    once a session: its own events keep the answer up to date)."""
    fates = _fates(session)
    if report_id not in fates:
        fates[report_id] = session.connection().execute(_LATEST_FATE, {"report_id": report_id}).scalar()
    return fates[report_id] == "withdrawn"


def new_report(session: Session, report_id: int) -> None:
    """The session has just made this report: it has no events to read."""
    _fates(session)[report_id] = None


def latest_fate(report_id: sa.ColumnElement[int]) -> sa.ScalarSelect[str]:
    """The kind of a report's latest withdrawal or restoration (NULL: neither), to read with the report."""
    return _latest_fate_of(report_id).scalar_subquery()


def fate_read(session: Session, report_id: int, kind: str | None) -> None:
    """The report's ``latest_fate`` as read with it: ``is_withdrawn`` need not ask again."""
    _fates(session).setdefault(report_id, kind)


def _fates(session: Session) -> dict[int, str | None]:
    """session.info: report id -> the kind of its latest withdrawal or restoration (None: neither)."""
    return session.info.setdefault("report_fates", {})


_FATE_KINDS = ("withdrawn", "restored")


def _latest_fate_of(report_id: sa.ColumnElement[int]) -> sa.Select[tuple[str]]:
    return (sa.select(ReportEvent.kind).where(ReportEvent.report_id == report_id, ReportEvent.kind.in_(_FATE_KINDS))
            .order_by(ReportEvent.id.desc()).limit(1))


# Built once: every capture recorded asks it.
_LATEST_FATE = _latest_fate_of(sa.bindparam("report_id"))


def note_seen(session: Session, report_id: int, at: datetime, version_id: int | None, run_id: int | None) -> None:
    """A report was captured: if it was withdrawn, it is restored."""
    if is_withdrawn(session, report_id):
        add_event(session, report_id, "restored", at, version_id=version_id, run_id=run_id)


def note_seen_many(session: Session, seen: dict[int, tuple[datetime, int]], run_id: int | None) -> None:
    """Reports captured unchanged (report id -> when, and the version seen): those withdrawn are
    restored. One statement for the lot: most captures of a re-crawl are of reports never withdrawn."""
    if not seen:
        return
    withdrawn = set(session.scalars(withdrawn_reports().where(ReportEvent.report_id.in_(list(seen)))))
    for report_id in sorted(withdrawn):
        at, version_id = seen[report_id]
        add_event(session, report_id, "restored", at, version_id=version_id, run_id=run_id)


def mark_withdrawals(session: Session, run_id: int, listed: Collection[str] = ()) -> list[int]:
    """After a crawl that read all its list pages: withdraw the site's reports it did not find
    listed, and those whose page answered 404/410 in this crawl and the one before.
    ``listed``: report pages the crawl found listed but left unasked (``harvester.recheck``)."""
    run = session.get(Run, run_id)
    if run is None:
        raise KeyError(f"no crawl run {run_id}")
    at = run.finished_at or run.started_at
    already = set(session.scalars(withdrawn_reports()))
    captured: dict[str, bool] = {url: is_gone(status, error) for url, status, error in session.execute(
        sa.select(Capture.url, Capture.http_status, Capture.error).where(Capture.run_id == run_id, Capture.role == "page"))}
    for url in listed:  # listed, so not gone
        captured.setdefault(url, False)
    withdrawn: list[int] = []
    if not captured:  # a column that lists nothing was not read, whatever the crawl says
        return withdrawn
    if not run_health(session, run).healthy:
        # A redesigned column that lists fewer links, a challenge, robots.txt: the reports
        # are not gone, our reading of the site is broken (storage.health).
        return withdrawn
    # The site's reports and their URLs in two statements: a query per report made the end of
    # a 2,000-report crawl wait half a second, and grew with the site.
    listed = (Report.site == run.site, Report.first_seen < at)
    urls_of: dict[int, list[str]] = {}
    for report_id, url in session.execute(sa.select(ReportUrl.report_id, ReportUrl.url).join(Report, Report.id == ReportUrl.report_id)
                                          .where(*listed).order_by(ReportUrl.id)):
        urls_of.setdefault(report_id, []).append(url)
    for report_id in session.scalars(sa.select(Report.id).where(*listed).order_by(Report.id)):
        if report_id in already:
            continue
        urls = urls_of.get(report_id, [])
        gone = [captured[u] for u in urls if u in captured]
        if not gone:
            reason = "no longer listed in its column"
        elif all(gone) and (before := _gone_before(session, urls, run_id)) is not None:
            reason = f"{before} in two crawls"
        else:
            continue
        add_event(session, report_id, "withdrawn", at, run_id=run_id, reason=reason)
        withdrawn.append(report_id)
    return withdrawn


def _gone_before(session: Session, urls: list[str], run_id: int) -> str | None:
    """How the crawl before this one that fetched these URLs found them gone ("HTTP 404", "page
    gone"), None if it did not."""
    previous = session.execute(
        sa.select(Capture.http_status, Capture.error).where(Capture.url.in_(urls), Capture.role == "page", Capture.run_id < run_id,
                                                            Capture.run_id.is_not(None))
        .order_by(Capture.run_id.desc(), Capture.id.desc()).limit(1)
    ).first()
    if previous is None or not is_gone(*previous):
        return None
    return f"HTTP {previous.http_status}" if previous.http_status in GONE_STATUSES else "page gone"


@dataclass
class EventRow:
    report_id: int
    agency: str
    year: int
    kind: str
    at: datetime
    version_no: int | None
    detail: dict[str, Any]


def events(session: Session, kinds: tuple[str, ...], report_id: int | None = None, current_withdrawals: bool = False) -> list[EventRow]:
    """Events of the given kinds, oldest first; ``current_withdrawals``: only withdrawals not since restored."""
    query = (
        sa.select(ReportEvent, Report.agency, Report.year, Version.version_no)
        .join(Report, Report.id == ReportEvent.report_id)
        .outerjoin(Version, Version.id == ReportEvent.version_id)
        .where(ReportEvent.kind.in_(kinds)).order_by(ReportEvent.at, ReportEvent.id)
    )
    if report_id is not None:
        query = query.where(ReportEvent.report_id == report_id)
    if current_withdrawals:
        query = query.where(ReportEvent.id.in_(_current_withdrawals()))
    return [EventRow(e.report_id, agency, year, e.kind, e.at, number, e.detail) for e, agency, year, number in session.execute(query)]
