"""Recording one capture: where a new report or a new version is decided.

Everything one capture writes (capture rows, report, URL, version with its sections,
cells, findings, change summary, cross-year findings) is one transaction, run again from
the start when it loses a race with another writer; the unique keys on
(report_id, version_no) and (report_id, content_key) make the loser find the winner's
version on its second attempt, so two writers of the same content make one version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storage.blobstores import Blobs
from storage.capture import CaptureInput, Resource
from storage.clock import as_utc, later, utcnow
from storage.crossyear import refresh_cross_year
from storage.db import retrying, writer
from storage.diff import diff_versions
from storage.fingerprint import content_key
from storage.identity import identify
from storage.models import Blob, Capture, Change, Report, ReportUrl, Version, VersionAttachment
from storage.parse_rows import apply_parse

Outcome = Literal["new_report", "new_version", "unchanged", "failed"]


@dataclass
class RecordResult:
    outcome: Outcome
    capture_id: int
    report_id: int | None = None
    version_id: int | None = None
    version_no: int | None = None
    error: str | None = None  # why the capture failed, or why its document did not parse
    significance: str | None = None  # of a new version's change


class _Failed(Exception):
    """The capture is stored but makes no version; the message says why."""


def record_capture(engine: Engine, blobs: Blobs, capture: CaptureInput) -> RecordResult:
    # Bytes go to the blob store before the transaction: a crash in between leaves an
    # unreferenced file, never a row pointing at missing bytes.
    stored = _store_bytes(blobs, capture)
    return retrying(lambda: _record(engine, capture, stored))


def record_captures(engine: Engine, blobs: Blobs, captures: list[CaptureInput]) -> list[RecordResult]:
    """Record several captures in one transaction, as if one by one.

    A re-crawl records thousands of 304 captures that change nothing; a transaction each
    costs more than the crawl that fetched them. Should the batch fail as a whole (a race
    lost to another writer), each capture is recorded on its own, with its own retries, so
    a batch never records less than ``record_capture`` would.
    """
    stored = [_store_bytes(blobs, capture) for capture in captures]

    def batch() -> list[RecordResult]:
        with Session(writer(engine), expire_on_commit=False) as session, session.begin():
            return [_record_in(session, capture, bytes_of) for capture, bytes_of in zip(captures, stored)]

    try:
        return batch()
    except sa.exc.SQLAlchemyError:
        return [retrying(lambda: _record(engine, c, s)) for c, s in zip(captures, stored)]


def _store_bytes(blobs: Blobs, capture: CaptureInput) -> dict[int, tuple[str, int]]:
    return {id(r): (blobs.put(r.body), len(r.body)) for r in _resources(capture) if r.body is not None}


def _resources(capture: CaptureInput) -> list[Resource]:
    return [capture.page, *capture.attachments]


def _record(engine: Engine, capture: CaptureInput, stored: dict[int, tuple[str, int]]) -> RecordResult:
    with Session(writer(engine), expire_on_commit=False) as session, session.begin():
        return _record_in(session, capture, stored)


def _record_in(session: Session, capture: CaptureInput, stored: dict[int, tuple[str, int]]) -> RecordResult:
    _insert_blobs(session, stored.values())
    shas = {id(r): stored[id(r)][0] if id(r) in stored else _earlier_sha(session, r) for r in _resources(capture)}
    page_row = _capture_row(capture, capture.page, shas[id(capture.page)], "page", None)
    session.add(page_row)
    session.flush()
    for attachment in capture.attachments:
        session.add(_capture_row(capture, attachment, shas[id(attachment)], "attachment", page_row.id))
    try:
        result = _decide(session, capture, shas, page_row)
    except _Failed as failure:
        result = RecordResult("failed", page_row.id, error=str(failure))
    page_row.outcome = result.outcome
    if result.outcome == "failed" and not page_row.error:
        page_row.error = result.error
    page_row.report_id, page_row.version_id = result.report_id, result.version_id
    return result


def _decide(session: Session, capture: CaptureInput, shas: dict[int, str | None], page_row: Capture) -> RecordResult:
    page = capture.page
    if page.status in ("blocked", "error"):
        raise _Failed(page.error or f"{page.status} (HTTP {page.http_status})")
    if shas[id(page)] is None:
        raise _Failed(f"no bytes for {page.url} (HTTP {page.http_status}) and none stored before")
    for attachment in capture.attachments:
        if shas[id(attachment)] is None:
            raise _Failed(f"attachment {attachment.url}: {attachment.error or f'HTTP {attachment.http_status}'}")
    attachment_shas = [shas[id(a)] for a in capture.attachments]
    parse = capture.parse
    if parse is None:
        return _unchanged_by_bytes(session, capture, shas, page_row)

    identity = identify(parse.report, capture.listing_title)
    if identity is None:
        raise _Failed(f"report not identifiable: {parse.error or 'no agency and year in the report or its listing title'}")
    seen = as_utc(page.fetched_at)
    report = _report(session, identity.agency_key, identity.agency, identity.year, identity.kind, capture.site, seen)
    _touch_url(session, report.id, page.url, seen)
    key = content_key(parse.fingerprint, [s for s in attachment_shas if s])
    existing = session.scalars(sa.select(Version).where(Version.report_id == report.id, Version.content_key == key)).first()
    if existing is not None:
        existing.last_seen = later(existing.last_seen, seen)
        return RecordResult("unchanged", page_row.id, report.id, existing.id, existing.version_no, parse.error)

    previous = session.scalars(
        sa.select(Version).where(Version.report_id == report.id).order_by(Version.version_no.desc()).limit(1)
    ).first()
    version = Version(
        report_id=report.id,
        version_no=(previous.version_no + 1) if previous else 1,
        content_key=key,
        fingerprint=parse.fingerprint,
        first_seen=seen,
        last_seen=seen,
        page_url=page.url,
        page_sha256=shas[id(page)],
        document_url=parse.document_url or page.url,
        listing_title=capture.listing_title,
        listing_date=capture.listing_date,
        hints=asdict(parse.hints) if parse.hints else None,
        agency=identity.agency,
    )
    session.add(version)
    apply_parse(session, version, parse.report if parse.error is None else None, parse.error, parse.parser_version, seen, fresh=True)
    for position, attachment in enumerate(capture.attachments):
        session.add(VersionAttachment(
            version_id=version.id, position=position, url=attachment.url,
            sha256=shas[id(attachment)], content_type=attachment.content_type,
        ))
    report.latest_version_id = version.id
    significance = None
    if previous is not None:
        significance = record_change(session, previous, version)
    refresh_cross_year(session, report)
    outcome: Outcome = "new_version" if previous else "new_report"
    return RecordResult(outcome, page_row.id, report.id, version.id, version.version_no, parse.error, significance)


def record_change(session: Session, previous: Version, version: Version) -> str:
    """Store (or replace) what ``version`` changed relative to ``previous``; return the grade."""
    diff = diff_versions(
        previous.report_json, version.report_json, attachment_hashes(session, previous.id), attachment_hashes(session, version.id)
    )
    session.merge(Change(
        version_id=version.id, previous_version_id=previous.id, significance=diff.significance, summary=diff.to_dict()
    ))
    return diff.significance


def attachment_hashes(session: Session, version_id: int) -> list[str]:
    session.flush()
    return list(session.scalars(sa.select(VersionAttachment.sha256).where(VersionAttachment.version_id == version_id)))


def _unchanged_by_bytes(session: Session, capture: CaptureInput, shas: dict[int, str | None], page_row: Capture) -> RecordResult:
    """A capture without a parse (a 304 the crawler did not re-parse) is unchanged if its bytes are a known version's."""
    page = capture.page
    # What these bytes at this URL were recorded as last time: a version first seen at
    # another URL (a report re-posted elsewhere) is found through its captures here.
    earlier = (
        sa.select(Capture.version_id)
        .where(Capture.url == page.url, Capture.role == "page", Capture.sha256 == shas[id(page)],
               Capture.version_id.is_not(None))
        .order_by(Capture.fetched_at.desc(), Capture.id.desc()).limit(1)
        .scalar_subquery()
    )
    candidates = session.scalars(
        sa.select(Version).where(
            sa.or_(Version.id == earlier, sa.and_(Version.page_url == page.url, Version.page_sha256 == shas[id(page)]))
        ).order_by(Version.id.desc())
    )
    wanted = sorted(s for a in capture.attachments if (s := shas[id(a)]))
    for version in candidates:
        if sorted(attachment_hashes(session, version.id)) == wanted:
            version.last_seen = later(version.last_seen, page.fetched_at)
            _touch_url(session, version.report_id, page.url, as_utc(page.fetched_at))
            return RecordResult("unchanged", page_row.id, version.report_id, version.id, version.version_no)
    raise _Failed("capture has no parse outcome and its bytes match no stored version")


def _insert_blobs(session: Session, blobs: Iterable[tuple[str, int]]) -> None:
    now = utcnow()
    rows = [{"sha256": sha, "size": size, "stored_at": now} for sha, size in blobs]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Blob)
    session.execute(insert.on_conflict_do_nothing(index_elements=["sha256"]), rows)


def _earlier_sha(session: Session, resource: Resource) -> str | None:
    """The bytes we already hold for a URL that answered 304 Not Modified."""
    if resource.status != "not_modified":
        return None
    return session.scalars(
        sa.select(Capture.sha256).where(Capture.url == resource.url, Capture.sha256.is_not(None))
        .order_by(Capture.fetched_at.desc(), Capture.id.desc()).limit(1)
    ).first()


def _capture_row(capture: CaptureInput, resource: Resource, sha: str | None, role: str, page_id: int | None) -> Capture:
    return Capture(
        run_id=capture.run_id, site=capture.site, role=role, page_capture_id=page_id, url=resource.url,
        fetched_at=as_utc(resource.fetched_at), http_status=resource.http_status, status=resource.status,
        error=resource.error, etag=resource.etag, last_modified=resource.last_modified,
        content_type=resource.content_type, sha256=sha,
        listing_title=capture.listing_title if role == "page" else None,
    )


def _report(session: Session, key: str, agency: str, year: int, kind: str, site: str, seen: datetime) -> Report:
    report = session.scalars(
        sa.select(Report).where(Report.agency_key == key, Report.year == year, Report.kind == kind)
    ).first()
    if report is None:
        report = Report(agency_key=key, agency=agency, year=year, kind=kind, site=site, first_seen=seen, last_seen=seen)
        session.add(report)
        session.flush()
    else:
        report.last_seen = later(report.last_seen, seen)
    return report


def _touch_url(session: Session, report_id: int, url: str, seen: datetime) -> None:
    row = session.scalars(sa.select(ReportUrl).where(ReportUrl.report_id == report_id, ReportUrl.url == url)).first()
    if row is None:
        session.add(ReportUrl(report_id=report_id, url=url, first_seen=seen, last_seen=seen))
    else:
        row.first_seen = min(as_utc(row.first_seen), seen)
        row.last_seen = later(row.last_seen, seen)
