"""Recording one capture: where a new report or a new version is decided.

A capture is a new version when the report's content (``storage.fingerprint``: printed
metadata, cells, paragraphs, attachment bytes) differs from every stored version's under
what is known of the site's chrome (``storage.chrome``). Content equal to the latest
version's is unchanged; equal to an older one's, a new version marked as reverted to it.
A capture that carries a confirmation (the crawler fetched the page twice because only
paragraphs differed) first teaches the archive which paragraphs vary between fetches.
Versions parsed by another parser are re-parsed first, so a parser upgrade is an event,
never a version.

Everything one capture writes (capture rows, report, URL, version with its sections,
cells, findings, change summary, cross-year findings) is one transaction, run again from
the start when it loses a race with another writer; the unique keys on
(report_id, version_no) and (report_id, content_key) make the loser find the winner's
version on its second attempt, so two writers of the same content make one version.
"""

from __future__ import annotations

from collections.abc import Iterable
import hashlib
from dataclasses import asdict, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storage.agencies import known_agency, resolve_agency
from storage.blobstores import Blobs
from storage.capture import CaptureInput, Outcome, ParseOutcome, RecordResult, Resource, capture_values
from storage.changes import attachment_hashes, record_change
from storage.chrome import learn_varying, load_chrome, note_page_paragraphs, varying_paragraphs
from storage.clock import as_utc, later, utcnow
from storage.crossyear import deferred_cross_year, refresh_cross_year
from storage.db import retrying, writer
from storage.events import add_event, note_seen
from storage.fingerprint import ReportContent, capture_content, content_key, only_text_differs, report_content
from storage.identity import ReportIdentity, identify
from storage.models import Agency, Blob, Capture, Report, ReportUrl, Version, VersionAttachment
from storage.parse_rows import apply_parse
from storage.reparse import reparse_in_place
from storage.unchanged import Shortcuts

class _Failed(Exception):
    """The capture is stored but makes no version; the message says why."""


def record_capture(engine: Engine, blobs: Blobs, capture: CaptureInput) -> RecordResult:
    # Bytes go to the blob store before the transaction: a crash in between leaves an
    # unreferenced file, never a row pointing at missing bytes.
    stored = _store_bytes(blobs, capture)
    [result] = retrying(lambda: _record(engine, blobs, [capture], [stored]))
    return result


def record_captures(engine: Engine, blobs: Blobs, captures: list[CaptureInput]) -> list[RecordResult]:
    """Record several captures in one transaction, as if one by one.

    A re-crawl records thousands of 304 captures that change nothing; a transaction each
    costs more than the crawl that fetched them. Should the batch fail as a whole (a race
    lost to another writer), each capture is recorded on its own, with its own retries, so
    a batch never records less than ``record_capture`` would.
    """
    stored = [_store_bytes(blobs, capture) for capture in captures]
    try:
        return _record(engine, blobs, captures, stored)
    except sa.exc.SQLAlchemyError:
        return [retrying(lambda: _record(engine, blobs, [c], [s]))[0] for c, s in zip(captures, stored)]


def _record(engine: Engine, blobs: Blobs, captures: list[CaptureInput], stored: list[dict[int, tuple[str, int]]]) -> list[RecordResult]:
    with Session(writer(engine), expire_on_commit=False) as session, session.begin(), deferred_cross_year(session):
        _insert_blobs(session, dict(blob for resources in stored for blob in resources.values()).items())
        shortcuts = Shortcuts(session, engine, captures, stored)
        results: list[RecordResult] = []
        while len(results) < len(captures):
            done = shortcuts.record_from(len(results))
            if not done:
                at = len(results)
                done = [_record_in(session, blobs, captures[at], stored[at])]
                shortcuts.recorded(done[0])
            results.extend(done)
        return results


def _store_bytes(blobs: Blobs, capture: CaptureInput) -> dict[int, tuple[str, int]]:
    return {id(r): (blobs.put(r.body), len(r.body)) for r in _resources(capture) if r.body is not None}


def _resources(capture: CaptureInput) -> list[Resource]:
    return [capture.page, *capture.attachments]


def _record_in(session: Session, blobs: Blobs, capture: CaptureInput, stored: dict[int, tuple[str, int]]) -> RecordResult:
    shas = {id(r): stored[id(r)][0] if id(r) in stored else _earlier_sha(session, r) for r in _resources(capture)}
    content = _content(capture, shas)
    page_row = Capture(**capture_values(capture, capture.page, shas[id(capture.page)], "page", None))
    session.add(page_row)
    session.flush()
    for attachment in capture.attachments:
        session.add(Capture(**capture_values(capture, attachment, shas[id(attachment)], "attachment", page_row.id)))
    try:
        result = _decide(session, blobs, capture, shas, page_row, content)
    except _Failed as failure:
        result = RecordResult("failed", page_row.id, error=str(failure))
    page_row.outcome = result.outcome
    if result.outcome == "failed" and not page_row.error:
        page_row.error = result.error
    page_row.report_id, page_row.version_id = result.report_id, result.version_id
    return result


def _content(capture: CaptureInput, shas: dict[int, str | None]) -> ReportContent | None:
    """The content of a parsed capture whose bytes are all at hand (else it fails or has none)."""
    attachment_shas = [shas[id(a)] for a in capture.attachments]
    if capture.parse is None or shas[id(capture.page)] is None or None in attachment_shas:
        return None
    return capture_content(capture, attachment_shas)  # type: ignore[arg-type]


def _decide(session: Session, blobs: Blobs, capture: CaptureInput, shas: dict[int, str | None], page_row: Capture,
            content: ReportContent | None) -> RecordResult:
    page = capture.page
    if page.status in ("blocked", "error"):
        raise _Failed(page.error or f"{page.status} (HTTP {page.http_status})")
    if shas[id(page)] is None:
        raise _Failed(f"no bytes for {page.url} (HTTP {page.http_status}) and none stored before")
    for attachment in capture.attachments:
        if shas[id(attachment)] is None:
            raise _Failed(f"attachment {attachment.url}: {attachment.error or f'HTTP {attachment.http_status}'}")
    parse = capture.parse
    if parse is None:
        return _unchanged_by_bytes(session, capture, shas, page_row)

    identity = identify(parse.report, capture.listing_title)
    if identity is None:
        raise _Failed(f"report not identifiable: {parse.error or 'no agency and year in the report or its listing title'}")
    seen = as_utc(page.fetched_at)
    agency = resolve_agency(session, identity.agency, _region(parse))
    report = _report(session, agency, identity, capture.site, seen)
    _touch_url(session, report.id, page.url, seen)
    _upgrade_parses(session, blobs, report, parse.parser_version)
    assert content is not None  # parsed, and every resource's bytes at hand (checked above)
    attachment_shas = [shas[id(a)] or "" for a in capture.attachments]
    versions = list(session.scalars(sa.select(Version).where(Version.report_id == report.id).order_by(Version.version_no.desc())))
    if capture.confirmation is not None and content.page_text:
        second = capture_content(capture, attachment_shas, capture.confirmation)
        stored = stored_content(session, versions[0]).texts() if versions else []
        learn_varying(session, capture.site, varying_paragraphs(content.texts(), second.texts(), stored))
    same, key = _same_content(session, capture.site, content, versions)
    if same is not None and same is versions[0]:
        same.last_seen = later(same.last_seen, seen)
        if same.content_key != key:
            _rekey(session, same, key)
        note_seen(session, report.id, seen, same.id, capture.run_id)
        return RecordResult("unchanged", page_row.id, report.id, same.id, same.version_no, parse.error)

    previous = versions[0] if versions else None
    number = (previous.version_no + 1) if previous else 1
    version = Version(
        report_id=report.id,
        version_no=number,
        # Two versions share a content only after a revert; keep the key unique all the same.
        content_key=key if same is None else _revert_key(key, number),
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
        reverted_to=same.version_no if same is not None else None,
    )
    session.add(version)
    apply_parse(session, version, parse.report if parse.error is None else None, parse.error, parse.parser_version, seen, fresh=True)
    for position, attachment in enumerate(capture.attachments):
        session.add(VersionAttachment(
            version_id=version.id, position=position, url=attachment.url,
            sha256=shas[id(attachment)], content_type=attachment.content_type,
        ))
    if content.page_text:
        note_page_paragraphs(session, capture.site, report.id, content.texts())
    report.latest_version_id = version.id
    significance = None
    if previous is not None:
        significance = record_change(session, previous, version)
    if same is not None:
        add_event(session, report.id, "reverted", seen, version_id=version.id, run_id=capture.run_id, reverted_to=same.version_no)
    note_seen(session, report.id, seen, version.id, capture.run_id)
    refresh_cross_year(session, report)
    outcome: Outcome = "new_version" if previous else "new_report"
    return RecordResult(outcome, page_row.id, report.id, version.id, version.version_no, parse.error, significance)


def _same_content(session: Session, site: str, content: ReportContent, versions: list[Version]) -> tuple[Version | None, str]:
    """The newest version whose content is the capture's under the site's chrome, and the capture's key.

    The latest version is compared first, under what is known of the chrome of its paragraphs
    and the capture's; the older ones (read only when it differs) under the chrome of all.
    """
    asked: set[str] = set()
    chrome: frozenset[str] = frozenset()
    key = ""
    for chunk in [c for c in (versions[:1], versions[1:]) if c] or [[]]:
        contents = [stored_content(session, v) for v in chunk]
        texts = _judged_texts([content, *contents]) - asked
        chrome |= load_chrome(session, site, texts).chrome
        asked |= texts
        is_chrome = chrome.__contains__
        key = content_key(content, is_chrome)
        same = next((v for v, c in zip(chunk, contents) if content_key(c, is_chrome) == key), None)
        if same is not None:
            return same, key
    return None, key


def _judged_texts(contents: list[ReportContent]) -> set[str]:
    """The paragraphs whose being chrome matters: those of contents that are a page's own text."""
    return {text for c in contents if c.page_text for text in c.texts()}


def _rekey(session: Session, version: Version, key: str) -> None:
    """Store the latest version's key as computed today, so that the next capture of the same
    content is found unchanged by its key alone (``storage.unchanged``). A key another version
    of the report holds (two contents alike under chrome learned since) stays as it was."""
    session.flush()
    others = sa.select(Version.id).where(Version.report_id == version.report_id, Version.content_key == key)
    session.connection().execute(
        sa.update(Version.__table__).where(Version.id == version.id, ~sa.exists(others)).values(content_key=key))
    session.expire(version, ["content_key"])


def _revert_key(key: str, number: int) -> str:
    return hashlib.sha256(f"{key}:reverted:{number}".encode("ascii")).hexdigest()


def _region(parse: ParseOutcome) -> str | None:
    return (parse.hints.region if parse.hints else None) or ((parse.report or {}).get("metadata") or {}).get("region")


def stored_content(session: Session, version: Version) -> ReportContent:
    return report_content(
        version.report_json, attachment_hashes(session, version.id), page_text=version.document_url == version.page_url,
        unparsed=version.fingerprint if version.report_json is None else None,
    )


def confirmation_needed(session: Session, capture: CaptureInput) -> bool:
    """Should the crawler fetch the page again before this capture is recorded?

    Yes when the report is the page itself and either the archive has no version of it yet
    or its content differs from the latest version's in paragraphs only: what varies
    between two fetches is chrome, what stays is the report.
    """
    parse = capture.parse
    if parse is None or parse.report is None or parse.error is not None or capture.page.body is None:
        return False
    content = capture_content(capture, [])
    identity = identify(parse.report, capture.listing_title)
    if not content.page_text or identity is None:
        return False
    agency = known_agency(session, identity.agency, _region(parse))
    latest = agency and session.scalars(
        sa.select(Version).join(Report, Report.latest_version_id == Version.id)
        .where(Report.agency_id == agency.id, Report.year == identity.year, Report.kind == identity.kind)
    ).first()
    if latest is None:
        return True
    # The capture's attachments are not fetched yet: compare like with like.
    old = replace(stored_content(session, latest), attachments=())
    return only_text_differs(content, old, load_chrome(session, capture.site, _judged_texts([content, old])).is_chrome)


def _upgrade_parses(session: Session, blobs: Blobs, report: Report, parser_version: str) -> None:
    """Re-parse the report's versions that another parser read, before comparing with them."""
    for version in session.scalars(sa.select(Version).where(Version.report_id == report.id,
                                                            Version.parser_version != parser_version)):
        reparse_in_place(session, blobs, version)


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
    session.connection().execute(_NEW_BLOBS[dialect], rows)


# Built once (Core, not the ORM's bulk insert): every capture with bytes runs one.
_NEW_BLOBS = {name: dialect.insert(Blob.__table__).on_conflict_do_nothing(index_elements=["sha256"])
              for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}


def _earlier_sha(session: Session, resource: Resource) -> str | None:
    """The bytes we already hold for a URL that answered 304 Not Modified."""
    if resource.status != "not_modified":
        return None
    return session.scalars(
        sa.select(Capture.sha256).where(Capture.url == resource.url, Capture.sha256.is_not(None))
        .order_by(Capture.fetched_at.desc(), Capture.id.desc()).limit(1)
    ).first()


def _report(session: Session, agency: Agency, identity: ReportIdentity, site: str, seen: datetime) -> Report:
    year, kind = identity.year, identity.kind
    report = session.scalars(
        sa.select(Report).where(Report.agency_key == agency.key, Report.year == year, Report.kind == kind)
    ).first()
    if report is None:
        report = Report(agency_key=agency.key, agency_id=agency.id, agency=identity.agency, year=year, kind=kind, site=site,
                        first_seen=seen, last_seen=seen)
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
