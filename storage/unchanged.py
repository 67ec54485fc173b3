"""Recording captures that change nothing, in a few statements instead of the full decision.

Most captures of a re-crawl are of reports the archive holds already: pages answering 304
Not Modified, or fetched and parsed again to the same content. ``storage.record`` decides
what a capture is by reading the report, its versions and their parses; for these two
kinds the answer follows from a handful of stored columns, so it is reached here with
plain SQL and the rows written in bulk:

* ``record_not_modified``: captures answered 304 throughout (no bytes, no parse), any
  number at once: the bytes each URL answered last time, the version those bytes were
  recorded as, and the version's attachments are read in three queries for all of them.
* ``record_unchanged``: a parsed capture whose content key equals its report's latest
  version's. The stored key was computed when that version was recorded, under the chrome
  known then. Chrome is only ever learned, never forgotten: content whose key under some
  of today's chrome (none of it, or all of it) equals the stored key is the version's
  content under all of today's chrome, which is the comparison ``storage.record`` makes.
  When neither key matches, when the report was ever withdrawn or has versions of another
  parser, the capture takes the full path; finding it unchanged there, that path stores
  the key as computed today (a re-parse leaves a key no content has), so the next capture
  of the same content is found here.

Outcomes, rows and errors are those ``storage.record`` would have written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.util import identity_key

from storage.agencies import normalise_name
from storage.capture import CaptureInput, RecordResult, Resource, capture_values
from storage.chrome import load_chrome
from storage.clock import as_utc
from storage.fingerprint import ReportContent, content_key
from storage.identity import identify
from storage.models import (Agency, AgencyAlias, Capture, Report, ReportEvent, ReportUrl, Version,
                            VersionAttachment)

NO_MATCH = "capture has no parse outcome and its bytes match no stored version"


@dataclass
class _Stored:
    """A version as far as a capture without a parse is compared with it."""

    id: int
    report_id: int
    version_no: int
    last_seen: datetime
    page_url: str
    page_sha256: str | None
    attachments: list[str]


class _Touches:
    """The ``last_seen``/``first_seen`` moves of one statement's worth of captures, written at once."""

    def __init__(self) -> None:
        self.versions: dict[int, datetime] = {}
        self.reports: dict[int, datetime] = {}
        self.urls: dict[tuple[int, str], tuple[datetime, datetime]] = {}

    def seen(self, report_id: int, version_id: int, url: str, at: datetime, *, report_too: bool = False) -> None:
        self.versions[version_id] = max(at, self.versions.get(version_id, at))
        if report_too:
            self.reports[report_id] = max(at, self.reports.get(report_id, at))
        first, last = self.urls.get((report_id, url), (at, at))
        self.urls[(report_id, url)] = (min(first, at), max(last, at))

    def write(self, session: Session) -> None:
        connection = session.connection()
        for model, moves in ((Version, self.versions), (Report, self.reports)):
            if moves:
                connection.execute(_SEEN[model], [{"row_id": k, "seen": v} for k, v in moves.items()])
                _forget(session, model, moves)
        if self.urls:
            _touch_urls(session, self.urls)


def _seen_statement(table: sa.Table) -> sa.Update:
    return (table.update().where(table.c.id == sa.bindparam("row_id"), table.c.last_seen < sa.bindparam("seen"))
            .values(last_seen=sa.bindparam("seen")))


def _forget(session: Session, model: type, ids: Iterable[int]) -> None:
    """Objects of the session's earlier captures hold the rows as they were: read them again when used."""
    for row_id in ids:
        loaded = session.identity_map.get(identity_key(model, row_id))
        if loaded is not None:
            session.expire(loaded)


def _touch_urls(session: Session, seen: dict[tuple[int, str], tuple[datetime, datetime]]) -> None:
    connection = session.connection()
    existing = {(row.report_id, row.url): row for row in connection.execute(_URL_ROWS, {"urls": [url for _, url in seen]})}
    updates, inserts = [], []
    for (report_id, url), (first, last) in seen.items():
        row = existing.get((report_id, url))
        if row is None:
            inserts.append({"report_id": report_id, "url": url, "first_seen": first, "last_seen": last})
        elif first < as_utc(row.first_seen) or last > as_utc(row.last_seen):
            updates.append({"row_id": row.id, "first": min(first, as_utc(row.first_seen)),
                            "last": max(last, as_utc(row.last_seen))})
    if inserts:
        connection.execute(_URL_INSERT, inserts)
    if updates:
        connection.execute(_URL_UPDATE, updates)
        _forget(session, ReportUrl, (u["row_id"] for u in updates))


def _insert_captures(session: Session, pages: list[dict[str, Any]], attachments: list[list[dict[str, Any]]]) -> list[int]:
    """Insert page rows (ids back, in order) and each page's attachment rows."""
    connection = session.connection()
    ids = list(connection.execute(_CAPTURE_INSERT_RETURNING, pages).scalars())
    rows = [{**row, "page_capture_id": page_id} for page_id, rows in zip(ids, attachments) for row in rows]
    if rows:
        connection.execute(_CAPTURE_INSERT, rows)
    return ids


# Statements built once: building one costs more than running it.
_SEEN = {Version: _seen_statement(Version.__table__), Report: _seen_statement(Report.__table__)}
_URLS = ReportUrl.__table__
_URL_ROWS = (sa.select(_URLS.c.id, _URLS.c.report_id, _URLS.c.url, _URLS.c.first_seen, _URLS.c.last_seen)
             .where(_URLS.c.url.in_(sa.bindparam("urls", expanding=True))))
_URL_INSERT = _URLS.insert()
_URL_UPDATE = (_URLS.update().where(_URLS.c.id == sa.bindparam("row_id"))
               .values(first_seen=sa.bindparam("first"), last_seen=sa.bindparam("last")))
_CAPTURE_INSERT = Capture.__table__.insert()
_CAPTURE_INSERT_RETURNING = _CAPTURE_INSERT.returning(Capture.__table__.c.id, sort_by_parameter_order=True)


def _latest_shas(session: Session, urls: set[str]) -> dict[str, str]:
    """The bytes each URL answered last (what a 304 stands for), as ``record._earlier_sha`` reads them."""
    rank = sa.func.row_number().over(partition_by=Capture.url, order_by=(Capture.fetched_at.desc(), Capture.id.desc()))
    ranked = (sa.select(Capture.url, Capture.sha256, rank.label("rank"))
              .where(Capture.url.in_(urls), Capture.sha256.is_not(None)).subquery())
    return dict(session.connection().execute(sa.select(ranked.c.url, ranked.c.sha256).where(ranked.c.rank == 1)).all())


def _stored_versions(session: Session, pages: dict[str, str]) -> dict[str, list[_Stored]]:
    """Per page URL, the versions its bytes may be, newest first: the one these bytes at this URL
    were recorded as last time, and those first seen at this URL with these bytes."""
    connection = session.connection()
    rank = sa.func.row_number().over(partition_by=(Capture.url, Capture.sha256),
                                     order_by=(Capture.fetched_at.desc(), Capture.id.desc()))
    ranked = (sa.select(Capture.url, Capture.sha256, Capture.version_id, rank.label("rank"))
              .where(Capture.url.in_(pages), Capture.role == "page", Capture.version_id.is_not(None)).subquery())
    earlier = {url: version_id for url, sha, version_id in connection.execute(
        sa.select(ranked.c.url, ranked.c.sha256, ranked.c.version_id).where(ranked.c.rank == 1)) if pages[url] == sha}
    rows = connection.execute(
        sa.select(Version.id, Version.report_id, Version.version_no, Version.last_seen, Version.page_url, Version.page_sha256)
        .where(sa.or_(Version.id.in_(set(earlier.values())), Version.page_url.in_(pages)))
    ).all()
    attachments: dict[int, list[str]] = defaultdict(list)
    for version_id, sha in connection.execute(sa.select(VersionAttachment.version_id, VersionAttachment.sha256)
                                              .where(VersionAttachment.version_id.in_({r.id for r in rows}))):
        attachments[version_id].append(sha)
    found: dict[str, list[_Stored]] = {}
    for url, sha in pages.items():
        matching = [r for r in rows if r.id == earlier.get(url) or (r.page_url == url and r.page_sha256 == sha)]
        found[url] = [_Stored(r.id, r.report_id, r.version_no, as_utc(r.last_seen), r.page_url, r.page_sha256,
                              sorted(attachments[r.id])) for r in sorted(matching, key=lambda r: r.id, reverse=True)]
    return found


def _resources(capture: CaptureInput) -> list[Resource]:
    return [capture.page, *capture.attachments]


def _failure(capture: CaptureInput, shas: dict[str, str]) -> str | None:
    page = capture.page
    if page.url not in shas:
        return f"no bytes for {page.url} (HTTP {page.http_status}) and none stored before"
    for attachment in capture.attachments:
        if attachment.url not in shas:
            return f"attachment {attachment.url}: {attachment.error or f'HTTP {attachment.http_status}'}"
    return None


def record_not_modified(session: Session, captures: list[CaptureInput]) -> list[RecordResult]:
    """Record captures answered 304 throughout (no bytes, no parse): each is unchanged when the
    bytes its URLs answered last are a stored version's, else failed."""
    session.flush()
    shas = _latest_shas(session, {r.url for c in captures for r in _resources(c)})
    stored = _stored_versions(session, {c.page.url: shas[c.page.url] for c in captures if c.page.url in shas})
    touches = _Touches()
    decided: list[tuple[_Stored | None, str | None]] = []
    for capture in captures:
        error = _failure(capture, shas)
        version = None
        if error is None:
            wanted = sorted(shas[a.url] for a in capture.attachments)
            version = next((v for v in stored[capture.page.url] if v.attachments == wanted), None)
            error = NO_MATCH if version is None else None
        if version is not None:
            touches.seen(version.report_id, version.id, capture.page.url, as_utc(capture.page.fetched_at))
        decided.append((version, error))
    pages, attachments = [], []
    for capture, (version, error) in zip(captures, decided):
        row = capture_values(capture, capture.page, shas.get(capture.page.url), "page", None)
        row.update(outcome="failed" if version is None else "unchanged", report_id=version and version.report_id,
                   version_id=version and version.id, error=capture.page.error or error)
        pages.append(row)
        attachments.append([capture_values(capture, a, shas.get(a.url), "attachment", None) for a in capture.attachments])
    ids = _insert_captures(session, pages, attachments)
    touches.write(session)
    return [
        RecordResult("failed", capture_id, error=error) if version is None
        else RecordResult("unchanged", capture_id, version.report_id, version.id, version.version_no)
        for capture_id, (version, error) in zip(ids, decided)
    ]


def _latest_statement() -> sa.Select:
    """The latest version of the report a printed agency name, year and kind identify, with
    whether the stored key may not be trusted (the report was withdrawn, or has versions of
    another parser that the full path re-parses first)."""
    other = aliased(Version)
    unsure = sa.or_(
        sa.exists().where(ReportEvent.report_id == Report.id, ReportEvent.kind == "withdrawn"),
        sa.exists().where(other.report_id == Report.id, other.parser_version != sa.bindparam("parser_version")),
    )
    return (
        sa.select(Report.id, Report.last_seen, Version.id.label("version_id"), Version.version_no, Version.content_key,
                  (Version.document_url == Version.page_url).label("page_text"), unsure.label("unsure"))
        .select_from(AgencyAlias)
        .join(Agency, Agency.id == AgencyAlias.agency_id)
        .join(Report, sa.and_(Report.agency_key == Agency.key, Report.year == sa.bindparam("year"),
                              Report.kind == sa.bindparam("kind")))
        .join(Version, Version.id == Report.latest_version_id)
        .where(AgencyAlias.alias == sa.bindparam("alias"))
    )


# Built once: building the statement costs more than running it.
_LATEST = _latest_statement()


def record_unchanged(session: Session, capture: CaptureInput, shas: dict[int, str | None],
                     content: ReportContent) -> RecordResult | None:
    """Record a parsed capture whose content is its report's latest version's; None when that is
    not certain from the stored key alone (``storage.record`` then decides)."""
    parse, page = capture.parse, capture.page
    if parse is None or capture.confirmation is not None or page.status in ("blocked", "error"):
        return None
    identity = identify(parse.report, capture.listing_title)
    if identity is None:
        return None
    session.flush()
    row = session.connection().execute(_LATEST, {
        "alias": normalise_name(identity.agency), "year": identity.year, "kind": identity.kind,
        "parser_version": parse.parser_version}).first()
    if row is None or row.unsure or bool(row.page_text) != content.page_text:
        return None
    if content_key(content) != row.content_key:
        chrome = load_chrome(session, capture.site, content.texts() if content.page_text else ())
        if not content.page_text or content_key(content, chrome.is_chrome) != row.content_key:
            return None
    seen = as_utc(page.fetched_at)
    values = capture_values(capture, page, shas[id(page)], "page", None)
    values.update(outcome="unchanged", report_id=row.id, version_id=row.version_id)
    [capture_id] = _insert_captures(session, [values], [[
        capture_values(capture, a, shas[id(a)], "attachment", None) for a in capture.attachments]])
    touches = _Touches()
    touches.seen(row.id, row.version_id, page.url, seen, report_too=True)
    touches.write(session)
    return RecordResult("unchanged", capture_id, row.id, row.version_id, row.version_no, parse.error)
