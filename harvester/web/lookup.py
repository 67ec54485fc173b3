"""Finding what a URL names (a report, one of its versions) or answering 404 in one line."""

from __future__ import annotations

from starlette.requests import Request
from sqlalchemy.orm import Session

from harvester.web.pages import PageError
from storage.archive import Archive
from storage.history import ReportNotFound, version_by_number
from storage.models import Report, Version


def archive(request: Request) -> Archive:
    return request.app.state.archive


def report_by_id(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise PageError(404, f"no report with id {report_id}")
    return report


def version_of(session: Session, report: Report, number: int | None) -> Version:
    """Version ``number`` of the report, or its latest."""
    if number is None:
        version = session.get(Version, report.latest_version_id) if report.latest_version_id else None
        if version is None:
            raise PageError(404, f"report {report.id} has no version")
        return version
    try:
        return version_by_number(session, report, number)
    except ReportNotFound as exc:
        raise PageError(404, str(exc)) from None


_MAX_DIGITS = 18  # what a database integer holds: more made SQLite raise OverflowError (a 500)


def int_param(request: Request, name: str) -> int | None:
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    if not text.lstrip("-").isdigit() or len(text.lstrip("-")) > _MAX_DIGITS:
        raise PageError(400, f"{name} must be a whole number, not {text[:40]!r}")
    return int(text)
