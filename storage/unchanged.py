"""Recording captures that change nothing, in a few statements a batch instead of the full decision.

Most captures of a re-crawl are of reports the archive holds already: pages answering 304
Not Modified, or fetched and parsed again to the same content. ``storage.record`` decides
what a capture is by reading the report, its versions and their parses; for these two
kinds the answer follows from a handful of stored columns, so it is reached here with
plain SQL for the whole batch at once, and the rows written in bulk (``storage.bulk``).
``Shortcuts`` says which captures of a batch these are; ``storage.record`` records them in
runs and decides the others in between:

* captures answered 304 throughout (no bytes, no parse), any number at once
  (``record_not_modified``): the bytes each URL answered last time, the version those
  bytes were recorded as, and the version's attachments are read in three queries.
* a parsed capture whose content key equals its report's latest version's. The parse
  worker sends the parts of the key with the parse (``storage.capture.ContentParts``), so
  the key is a hash of a few lines here. The stored key was computed when that version was
  recorded, under the chrome known then. Chrome is only ever learned, never forgotten:
  content whose key under some of today's chrome equals the stored key is the version's
  content under all of today's chrome, which is the comparison ``storage.record`` makes.
  The keys tried are under none of it and under what this process knows of it (what the
  archive told it, asked again for the paragraphs of a batch when that is not enough). A
  capture parsed as the version was (same document fingerprint) whose key matches neither
  is compared with the version's stored parse as the full decision would compare them,
  and the version's key computed today is stored, so the next capture is found by its key.
  When the report was ever withdrawn or has versions of another parser, or the content is
  another, the capture takes the full path.

Outcomes, rows and errors are those ``storage.record`` would have written.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.util import identity_key

from storage.agencies import normalise_name
from storage.bulk import InsertMany, ManyRows
from storage.capture import CaptureInput, ContentParts, RecordResult, Resource
from storage.capture_rows import record_rows
from storage.chrome import load_chrome
from storage.clock import as_utc
from storage.fingerprint import capture_content, content_key, content_parts, fixed_parts_key, parts_key
from storage.identity import identify
from storage.events import note_seen_many
from storage.later_rows import write_waiting
from storage.newest import NewestCaptures
from storage.oneof import one_of
from storage.parse_rows import StoredVersion, attachments_of, stored_contents
from storage.version_keys import give_fixed_key, rekey
from storage.models import Agency, AgencyAlias, Report, ReportEvent, ReportUrl, Version, VolatileShape

NO_MATCH = "capture has no parse outcome and its bytes match no stored version"


@dataclass
class KnownVersion:
    """A version as far as a capture without a parse is compared with it."""

    id: int
    report_id: int
    version_no: int
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
                _SEEN[model].execute(connection, [{"row_id": k, "seen": v} for k, v in moves.items()])
                _forget(session, model, moves)
        if self.urls:
            _touch_urls(session, self.urls)


def _seen_statement(table: sa.Table) -> ManyRows:
    """Move each row's ``last_seen`` on to ``seen``, never back."""
    return ManyRows({"row_id": sa.Integer(), "seen": table.c.last_seen.type}, lambda row: (
        table.update().where(table.c.id == row("row_id"), table.c.last_seen < row("seen")).values(last_seen=row("seen"))))


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
    _URL_INSERT.execute(connection, inserts)
    if updates:
        _URL_UPDATE.execute(connection, updates)
        _forget(session, ReportUrl, (u["row_id"] for u in updates))


# Statements built once: building one costs more than running it.
_SEEN = {Version: _seen_statement(Version.__table__), Report: _seen_statement(Report.__table__)}
_URLS = ReportUrl.__table__
_URL_ROWS = (sa.select(_URLS.c.id, _URLS.c.report_id, _URLS.c.url, _URLS.c.first_seen, _URLS.c.last_seen)
             .where(one_of(_URLS.c.url, "urls")))
_URL_INSERT = InsertMany(_URLS, ["report_id", "url", "first_seen", "last_seen"])
_URL_UPDATE = ManyRows({"row_id": sa.Integer(), "first": _URLS.c.first_seen.type, "last": _URLS.c.last_seen.type},
                       lambda row: _URLS.update().where(_URLS.c.id == row("row_id"))
                       .values(first_seen=row("first"), last_seen=row("last")))


# Built once: building a statement costs more than running it.
_LATEST_SHAS = NewestCaptures(("url",), lambda capture, asked: capture.c.sha256.is_not(None), ("url", "sha256"))
# The newest page capture of each URL with the bytes asked that was recorded as a version.
_EARLIER_VERSIONS = NewestCaptures(
    ("url", "sha256"),
    lambda capture, asked: sa.and_(capture.c.sha256 == asked.c.sha256, capture.c.role == "page",
                                   capture.c.version_id.is_not(None)),
    ("url", "version_id"))
_VERSIONS = sa.select(Version.id, Version.report_id, Version.version_no, Version.page_url, Version.page_sha256).where(
    sa.or_(one_of(Version.id, "ids"), one_of(Version.page_url, "urls")))


def latest_shas(session: Session, urls: set[str]) -> dict[str, str]:
    """The bytes each URL answered last (what a 304 stands for); a URL with none is left out."""
    return dict(_LATEST_SHAS.execute(session.connection(), [(url,) for url in sorted(urls)]))


def stored_versions(session: Session, pages: dict[str, str]) -> dict[str, list[KnownVersion]]:
    """Per page URL, the versions its bytes may be, newest first: the one these bytes at this URL
    were recorded as last time, and those first seen at this URL with these bytes."""
    connection = session.connection()
    urls = sorted(pages)
    earlier = dict(_EARLIER_VERSIONS.execute(connection, [(url, pages[url]) for url in urls]))
    rows = connection.execute(_VERSIONS, {"ids": sorted(set(earlier.values())), "urls": urls}).all()
    attachments = attachments_of(session, (r.id for r in rows))
    by_id = {r.id: r for r in rows}
    first_seen_here: dict[tuple[str, str | None], list[sa.Row[Any]]] = defaultdict(list)
    for row in rows:
        first_seen_here[(row.page_url, row.page_sha256)].append(row)
    found: dict[str, list[KnownVersion]] = {}
    for url, sha in pages.items():
        matching = {r.id: r for r in first_seen_here[(url, sha)]}
        if url in earlier:
            matching[earlier[url]] = by_id[earlier[url]]
        found[url] = [KnownVersion(r.id, r.report_id, r.version_no, sorted(attachments[r.id]))
                      for r in sorted(matching.values(), key=lambda r: r.id, reverse=True)]
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
    write_waiting(session)  # captures of the batch recorded before these: what their URLs answered
    shas = latest_shas(session, {r.url for c in captures for r in _resources(c)})
    stored = stored_versions(session, {c.page.url: shas[c.page.url] for c in captures if c.page.url in shas})
    touches = _Touches()
    restored: dict[int | None, dict[int, tuple[datetime, int]]] = {}  # run -> report -> (seen, version)
    decided: list[tuple[KnownVersion | None, str | None]] = []
    for capture in captures:
        error = _failure(capture, shas)
        version = None
        if error is None:
            wanted = sorted(shas[a.url] for a in capture.attachments)
            version = next((v for v in stored[capture.page.url] if v.attachments == wanted), None)
            error = NO_MATCH if version is None else None
        if version is not None:
            touches.seen(version.report_id, version.id, capture.page.url, as_utc(capture.page.fetched_at))
            restored.setdefault(capture.run_id, {})[version.report_id] = (as_utc(capture.page.fetched_at), version.id)
        decided.append((version, error))
    results = [
        RecordResult("failed", 0, error=error) if version is None
        else RecordResult("unchanged", 0, version.report_id, version.id, version.version_no)
        for version, error in decided
    ]
    for capture, result in zip(captures, results):
        record_rows(session, capture, {id(r): shas.get(r.url) for r in _resources(capture)}, result)
    touches.write(session)
    for run_id, seen in restored.items():  # a report withdrawn (by a list that failed to list it) is back
        note_seen_many(session, seen, run_id)
    return results


def _latest_statement() -> sa.Select:
    """The latest version of each report a (normalised printed agency name, year, kind)
    identifies, with whether its stored key may not be trusted (the report was withdrawn, or
    has versions of another parser that the full path re-parses first)."""
    other = aliased(Version)
    unsure = sa.or_(
        sa.exists().where(ReportEvent.report_id == Report.id, ReportEvent.kind == "withdrawn"),
        sa.exists().where(other.report_id == Report.id, other.parser_version != sa.bindparam("parser_version")),
    )
    return (
        sa.select(AgencyAlias.alias, Report.year, Report.kind, Report.id, Version.id.label("version_id"),
                  Version.version_no, Version.content_key, Version.fixed_key, Version.fingerprint,
                  (Version.document_url == Version.page_url).label("page_text"), unsure.label("unsure"))
        .select_from(AgencyAlias)
        .join(Agency, Agency.id == AgencyAlias.agency_id)
        .join(Report, Report.agency_key == Agency.key)
        .join(Version, Version.id == Report.latest_version_id)
        # Reports of these names, years and kinds: a few more than those asked, sorted out by the caller.
        .where(one_of(AgencyAlias.alias, "aliases"), one_of(Report.year, "years"), one_of(Report.kind, "kinds"))
        # Another writer's new version of one of these reports waits for this transaction
        # (PostgreSQL; a SQLite transaction has the database to itself from its start).
        .with_for_update(read=True, of=Report)
    )


# Built once: building the statement costs more than running it.
_LATEST = _latest_statement()
_VOLATILE_OF_SITE = sa.select(VolatileShape.shape).where(VolatileShape.site == sa.bindparam("site"))


@dataclass
class _KnownChrome:
    """Paragraphs and shapes an archive has told this process are chrome, per site. Chrome is
    only ever learned, never forgotten: what was chrome once is chrome still."""

    texts: set[str] = field(default_factory=set)
    shapes: set[str] = field(default_factory=set)


# Per database (engine): the chrome this process has read of it.
_KNOWN: weakref.WeakKeyDictionary[Engine, dict[str, _KnownChrome]] = weakref.WeakKeyDictionary()


@dataclass
class _Candidate:
    """A parsed capture that may be unchanged: its report's latest version, the capture's content parts."""

    parts: ContentParts
    attachments: tuple[str, ...]
    row: sa.Row[Any]

    def same(self, known: _KnownChrome) -> bool:
        """Is the content the version's, under what is known of the chrome or under none of it?"""
        shape_of = dict(zip((text for _, text in self.parts.paragraphs), self.parts.shapes))
        stored = self.row.content_key
        return (parts_key(self.parts, self.attachments, lambda text: text in known.texts or shape_of.get(text) in known.shapes)
                == stored or parts_key(self.parts, self.attachments) == stored)


def _bare_not_modified(capture: CaptureInput) -> bool:
    """A capture answered 304 throughout and not parsed: what it is follows from stored rows alone."""
    return capture.parse is None and capture.confirmation is None and all(
        r.status == "not_modified" and r.body is None for r in _resources(capture))


def _parts(capture: CaptureInput) -> ContentParts:
    parse = capture.parse
    assert parse is not None
    return parse.content if parse.content is not None else content_parts(capture_content(capture, []))


class Shortcuts:
    """The captures of one batch (one transaction) that are recorded without the full decision
    of ``storage.record``, in runs of consecutive ones: captures answered 304 throughout, and
    parsed captures whose content is their report's latest version's.

    Which parsed captures are unchanged is found for the whole batch at once: one query for
    the latest versions of their reports, their keys hashed from the parts the parse worker
    made, under the chrome known of their paragraphs (this process remembers what it was
    told is chrome: any of today's chrome will do, see the module's docstring). That stays
    true while the batch is recorded, except for a report the full decision records a
    capture of in between (``recorded``): its captures after that take the full path too.
    """

    def __init__(self, session: Session, engine: Engine, captures: list[CaptureInput],
                 stored: list[dict[int, tuple[str, int]]]) -> None:
        self.session = session
        self.captures = captures
        self.stored = stored
        self.unchanged = _find_unchanged(session, _KNOWN.setdefault(engine, {}), captures, stored)

    def record_from(self, start: int) -> list[RecordResult]:
        """Record the run of captures from ``start`` that need no full decision (results in
        order; none when the capture at ``start`` needs it)."""
        captures = self.captures
        end = start
        if _bare_not_modified(captures[start]):
            while end < len(captures) and _bare_not_modified(captures[end]):
                end += 1
            return record_not_modified(self.session, captures[start:end])
        while end in self.unchanged:
            end += 1
        return self._record_unchanged(range(start, end)) if end > start else []

    def recorded(self, result: RecordResult) -> None:
        """The full decision recorded a capture of this report: what was found of it is not true any more."""
        if result.report_id is not None:
            self.unchanged = {i: row for i, row in self.unchanged.items() if row.id != result.report_id}

    def _record_unchanged(self, indices: range) -> list[RecordResult]:
        results = []
        touches = _Touches()
        for i in indices:
            capture, shas, row = self.captures[i], self.stored[i], self.unchanged[i]
            page = capture.page
            result = RecordResult("unchanged", 0, row.id, row.version_id, row.version_no, capture.parse.error)  # type: ignore[union-attr]
            record_rows(self.session, capture, {id(r): shas[id(r)][0] for r in _resources(capture)}, result)
            results.append(result)
            touches.seen(row.id, row.version_id, page.url, as_utc(page.fetched_at), report_too=True)
            if row.fixed_key is None:  # recorded before revision 0010
                give_fixed_key(self.session.connection(), row.version_id,
                               fixed_parts_key(_parts(capture), _attachment_shas(capture, shas)))
        touches.write(self.session)
        return results


def _eligible(capture: CaptureInput, stored: dict[int, tuple[str, int]]) -> bool:
    """Parsed, not a confirmed fetch, fetched whole: the others need the full decision."""
    return (capture.parse is not None and capture.confirmation is None and capture.page.status not in ("blocked", "error")
            and all(id(r) in stored for r in _resources(capture)))


def _attachment_shas(capture: CaptureInput, stored: dict[int, tuple[str, int]]) -> tuple[str, ...]:
    return tuple(sorted({stored[id(a)][0] for a in capture.attachments}))


def _find_unchanged(session: Session, known: dict[str, _KnownChrome], captures: list[CaptureInput],
                    stored: list[dict[int, tuple[str, int]]]) -> dict[int, sa.Row[Any]]:
    """Of the batch's parsed captures, those whose content is their report's latest version's
    (by position), with that version."""
    parses = {i: c.parse for i, c in enumerate(captures) if _eligible(c, stored[i])}
    # One parser's captures (a crawl's): the stored key of a report read by another is not trusted.
    parser_version = next((p.parser_version for p in parses.values() if p is not None), None)
    wanted: dict[int, tuple[str, int, str]] = {}
    for i, parse in parses.items():
        identity = identify(parse.report, captures[i].listing_title) if parse is not None else None
        if identity is not None and parse is not None and parse.parser_version == parser_version:
            wanted[i] = (normalise_name(identity.agency), identity.year, identity.kind)
    if not wanted:
        return {}
    session.flush()
    aliases, years, kinds = (sorted(set(column)) for column in zip(*wanted.values()))
    latest = {(r.alias, r.year, r.kind): r for r in session.connection().execute(
        _LATEST, {"aliases": aliases, "years": years, "kinds": kinds, "parser_version": parser_version})}
    candidates: dict[int, _Candidate] = {}
    for i, report in wanted.items():
        row = latest.get(report)
        capture = captures[i]
        if row is None or row.unsure:
            continue
        parts = _parts(capture)
        if bool(row.page_text) == parts.page_text:
            candidates[i] = _Candidate(parts, _attachment_shas(capture, stored[i]), row)
    found = {i: c.row for i, c in candidates.items() if c.same(known.setdefault(captures[i].site, _KnownChrome()))}
    # The others' paragraphs may be chrome this process has not been told of yet: ask, once a site.
    unsure = {i: c for i, c in candidates.items() if i not in found and c.parts.page_text}
    for site in {captures[i].site for i in unsure}:
        asked = {i: c for i, c in unsure.items() if captures[i].site == site}
        chrome = known.setdefault(site, _KnownChrome())
        chrome.shapes.update(session.scalars(_VOLATILE_OF_SITE, {"site": site}))
        texts = {text for c in asked.values() for _, text in c.parts.paragraphs} - chrome.texts
        chrome.texts.update(load_chrome(session, site, texts).chrome)
        found.update({i: c.row for i, c in asked.items() if c.same(chrome)})
    # Parsed as the version was (same document text) yet neither key matches: the key may have
    # been stored under less chrome than is known now. Compared as the full decision compares.
    alike = {i: c for i, c in candidates.items() if i not in found and captures[i].parse.fingerprint == c.row.fingerprint}  # type: ignore[union-attr]
    for site in {captures[i].site for i in alike}:
        found.update(_same_as_stored(session, known.setdefault(site, _KnownChrome()), site,
                                     {i: c for i, c in alike.items() if captures[i].site == site}))
    return found


def _same_as_stored(session: Session, known: _KnownChrome, site: str, candidates: dict[int, _Candidate]) -> dict[int, sa.Row[Any]]:
    """Those whose content is their version's under the chrome of both their paragraphs, as
    ``storage.record`` compares them; their versions' keys become the ones computed today (as
    that path stores them), so that the next capture is found by its key alone."""
    contents = stored_contents(session, [StoredVersion(c.row.version_id, bool(c.row.page_text), c.row.fingerprint)
                                         for c in candidates.values()])
    stored = {i: contents[c.row.version_id] for i, c in candidates.items()}
    texts = {text for i, c in candidates.items() if c.parts.page_text
             for text in [*(t for _, t in c.parts.paragraphs), *stored[i].texts()]}
    known.texts.update(load_chrome(session, site, texts - known.texts).chrome)
    is_chrome = known.texts.__contains__  # answers for these paragraphs as the archive would now
    found = {}
    for i, c in candidates.items():
        key = parts_key(c.parts, c.attachments, is_chrome)
        if content_key(stored[i], is_chrome) != key:
            continue
        if key != c.row.content_key:
            rekey(session.connection(), c.row.version_id, c.row.id, key)
        found[i] = c.row
    return found

