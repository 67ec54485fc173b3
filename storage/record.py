"""Recording one capture: where a new report or a new version is decided.

A capture is a new version when the report's content (``storage.fingerprint``: printed
metadata, cells, paragraphs, attachment bytes) differs from every stored version's under
what is known of the site's chrome (``storage.chrome``). Content equal to the latest
version's is unchanged; equal to an older one's, a new version marked as reverted to it.
A capture that carries a confirmation (the crawler fetched the page twice because only
paragraphs differed) first teaches the archive which paragraphs vary between fetches.
Versions parsed by another parser are re-parsed first, so a parser upgrade is an event,
never a version.

Most captures that reach this module are new versions, and a stored parse is some 40 KB of
JSON: a version's content is compared only with the versions whose fixed key (the content
but its paragraphs, ``storage.fingerprint.fixed_key``) is the capture's, since no chrome can
make the others alike. Rows are written through Core statements built once; those the batch
does not read back wait for its end, to go one statement per table (``storage.later_rows``);
the ORM keeps only the report and agency objects.

Everything one capture writes (capture rows, report, URL, version with its sections,
cells, findings, change summary, cross-year findings) is one transaction, run again from
the start when it loses a race with another writer; the unique keys on
(report_id, version_no) and (report_id, content_key) make the loser find the winner's
version on its second attempt, so two writers of the same content make one version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
import functools
import hashlib
from dataclasses import asdict, dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from storage.agencies import known_agencies, read_ahead, resolve_agency
from storage.blobstores import Blobs
from storage.capture import CaptureInput, ContentParts, Outcome, ParseOutcome, RecordResult, Resource, whole_report
from storage.capture_rows import record_rows
from storage.cellnames import named_cells
from storage.changes import record_new_change
from storage.chrome import in_sample, learn_varying, load_chrome, note_page_paragraphs, varying_paragraphs
from storage.clock import as_utc, later, utcnow
from storage.crossyear import deferred_cross_year, refresh_cross_year
from storage.db import retrying, writer
from storage.document_digest import document_digest
from storage.events import add_event, fate_read, latest_fate, new_report, note_seen
from storage.fingerprint import (ChromeTest, ReportContent, attachment_set, capture_content, content_key, content_parts,
                                 fixed_key, fixed_parts_key, is_page_text, only_text_differs, parts_key, report_content)
from storage.identity import ReportIdentity, identify
from storage.ignoring_duplicates import inserts_ignoring_duplicates
from storage.later_rows import rows_later, write_waiting
from storage.models import Agency, Base, Blob, Report, ReportUrl, Version, VersionAttachment
from storage.pages import newest_on_pages, same_page
from storage.parse_rows import (attachment_hashes, attachments_of, hold_attachments, hold_parse, insert_parse_rows,
                                parse_columns, stored_contents)
from storage.reparse import reparse_in_place
from storage.unchanged import NO_MATCH, Shortcuts, latest_shas, stored_versions
from storage.version_keys import give_fixed_key, rekey

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
    with (Session(writer(engine), expire_on_commit=False) as session, session.begin(), deferred_cross_year(session),
          rows_later(session)):
        _insert_blobs(session, dict(blob for resources in stored for blob in resources.values()).items())
        shortcuts = Shortcuts(session, engine, captures, stored)
        _read_ahead(session, [c for i, c in enumerate(captures) if i not in shortcuts.unchanged and c.parse is not None])
        results: list[RecordResult] = []
        while len(results) < len(captures):
            done = shortcuts.record_from(len(results))
            if not done:
                at = len(results)
                done = [_record_in(session, blobs, captures[at], stored[at])]
                shortcuts.recorded(done[0])
            results.extend(done)
        return results


def _read_ahead(session: Session, captures: list[CaptureInput]) -> None:
    """What the full decision of each of these parsed captures asks of its own, asked for all
    at once: whether their page paragraphs are chrome (two statements a site, see
    ``load_chrome``) and their agencies (two statements, see ``read_ahead``). The answers are
    kept for the session and stay true while the batch is recorded (a paragraph a capture
    recorded meanwhile shows on one more report's page is asked again, an agency a capture
    created is known): each capture gets the answers it would have had alone."""
    texts: dict[str, set[str]] = {}
    names = []
    for capture in captures:
        parse = capture.parse
        assert parse is not None
        parts = parse.content
        if parts is not None and parts.page_text:  # parts the parse worker made: not made twice here
            texts.setdefault(capture.site, set()).update(text for _, text in parts.paragraphs)
        identity = identify(parse.report, capture.listing_title)
        if identity is not None:
            names.append((identity.agency, _region(parse)))
    for site, paragraphs in texts.items():
        load_chrome(session, site, paragraphs)
    read_ahead(session, names)


def _store_bytes(blobs: Blobs, capture: CaptureInput) -> dict[int, tuple[str, int]]:
    """(sha256, size) of each resource with bytes, by ``id``: those in the store already named."""
    stored: dict[int, tuple[str, int]] = {}
    for resource in _resources(capture):
        if resource.in_store is not None:
            stored[id(resource)] = resource.in_store
        elif resource.body is not None:
            stored[id(resource)] = (blobs.put(resource.body), len(resource.body))
    return stored


def _resources(capture: CaptureInput) -> list[Resource]:
    return [capture.page, *capture.attachments]


def _record_in(session: Session, blobs: Blobs, capture: CaptureInput, stored: dict[int, tuple[str, int]]) -> RecordResult:
    shas = {id(r): stored[id(r)][0] if id(r) in stored else _earlier_sha(session, r) for r in _resources(capture)}
    content = _content(capture, shas)
    try:
        result = _decide(session, blobs, capture, shas, content)
    except _Failed as failure:
        result = RecordResult("failed", 0, error=str(failure))
    # Decided first, so that the capture's rows are written once, with what came of it.
    record_rows(session, capture, shas, result)
    return result


def _content(capture: CaptureInput, shas: dict[int, str | None]) -> _CaptureContent | None:
    """The content of a parsed capture whose bytes are all at hand (else it fails or has none)."""
    attachment_shas = [shas[id(a)] for a in capture.attachments]
    parse = capture.parse
    if parse is None or shas[id(capture.page)] is None or None in attachment_shas:
        return None
    return _CaptureContent(_parts(capture, parse), attachment_set(attachment_shas))  # type: ignore[arg-type]


def _parts(capture: CaptureInput, parse: ParseOutcome) -> ContentParts:
    """The parts of the content key of a parse of the capture (its own, or its confirmation's):
    the parse worker's where it sent them, so that the report is not walked again here."""
    return parse.content if parse.content is not None else content_parts(capture_content(capture, [], parse), shapes=False)


@dataclass
class _CaptureContent:
    """A capture's content as its keys are made of it: the parts of its parse
    (``storage.capture.ContentParts``) and its attachments' sha256s, sorted, each once."""

    parts: ContentParts
    attachments: tuple[str, ...]

    @property
    def page_text(self) -> bool:
        return self.parts.page_text

    def texts(self) -> list[str]:
        return [text for _, text in self.parts.paragraphs]

    def key(self, is_chrome: ChromeTest) -> str:
        return parts_key(self.parts, self.attachments, is_chrome)

    @functools.cached_property
    def fixed(self) -> str:
        return fixed_parts_key(self.parts, self.attachments)


@dataclass
class _Stored:
    """A stored version as far as deciding a capture goes; its parse is read only when needed."""

    id: int
    report_id: int
    version_no: int
    content_key: str
    fixed_key: str | None
    page_text: bool
    fingerprint: str
    page_url: str


def _decide(session: Session, blobs: Blobs, capture: CaptureInput, shas: dict[int, str | None],
            content: _CaptureContent | None) -> RecordResult:
    """What the capture is, with the rows that makes written (but the capture's own rows)."""
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
        return _unchanged_by_bytes(session, capture, shas)

    identity = identify(parse.report, capture.listing_title)
    if identity is None:
        raise _Failed(f"report not identifiable: {parse.error or 'no agency and year in the report or its listing title'}")
    seen = as_utc(page.fetched_at)
    agency = resolve_agency(session, identity.agency, _region(parse))
    report = _report(session, agency, identity, capture.site, seen)
    _touch_url(session, report.id, page.url, seen, new=report.new)
    assert content is not None  # parsed, and every resource's bytes at hand (checked above)
    attachment_shas = [shas[id(a)] or "" for a in capture.attachments]
    versions = [] if report.new else _stored_versions(session, blobs, report.id, parse.parser_version)
    latest = versions[0] if versions else None
    # The same report is often published on more than one page (the agency's site and the
    # city's column, a page and a PDF elsewhere), each read its own way. Each page is compared
    # with what it showed last, not with the report's latest version whichever page that came
    # from: compared with the latest, two copies made a version of each other on every crawl.
    own = next((v for v in versions if same_page(v.page_url, page.url)), None)
    if capture.confirmation is not None and content.page_text:
        confirmation = _parts(capture, capture.confirmation)
        first, second = content.texts(), [text for _, text in confirmation.paragraphs]
        # (Most pages: nothing varied between the two fetches.) A second fetch answered with
        # another page (系统维护中, an error page) or another report teaches nothing: what it
        # does not share with the first is not the page's chrome, and chrome is never forgotten.
        if second != first and fixed_parts_key(confirmation, content.attachments) == content.fixed:
            shown = own or latest
            stored = _stored_contents(session, [shown])[0].texts() if shown else []
            learn_varying(session, capture.site, varying_paragraphs(first, second, stored))
    same, key = _same_content(session, capture.site, content, versions)
    # Content a stored version has is no version of its own, unless this page held it before
    # and has shown other content since: the page went back to it.
    reverted = same is not None and same_page(same.page_url, page.url) and same is not own
    if same is not None and not reverted:
        _seen_again(session, same, seen, key, content)
    elif same is None and (shown := own or latest) is not None and _saved_again(session, blobs, capture, shas, content, shown):
        session.connection().execute(_SEEN, {"version_id": shown.id, "seen": seen})  # its key stays its own files'
        same = shown
    if same is not None and not reverted:
        _report_seen(session, report)
        note_seen(session, report.id, seen, same.id, capture.run_id)
        return RecordResult("unchanged", 0, report.id, same.id, same.version_no, parse.error)

    number = (latest.version_no + 1) if latest else 1
    parsed = whole_report(parse) if parse.error is None else None
    version_id = session.connection().execute(_VERSION_INSERT, {
        "report_id": report.id,
        "version_no": number,
        # Two versions share a content only after a revert; keep the key unique all the same.
        "content_key": key if same is None else _revert_key(key, number),
        "fixed_key": content.fixed,
        "fingerprint": parse.fingerprint,
        "first_seen": seen,
        "last_seen": seen,
        "page_url": page.url,
        "page_sha256": shas[id(page)],
        "document_url": parse.document_url or page.url,
        "listing_title": capture.listing_title,
        "listing_date": capture.listing_date,
        "hints": asdict(parse.hints) if parse.hints else None,
        "agency": identity.agency,
        "reverted_to": same.version_no if same is not None else None,
        **parse_columns(parsed, parse.error, parse.parser_version, seen, parse.report_text),
    }).scalar_one()
    cells = named_cells(parsed)  # for its rows and, a revision, the change summary's diff
    insert_parse_rows(session, version_id, parsed, cells)
    hold_parse(session, version_id, parsed)
    hold_attachments(session, version_id, attachment_shas)
    if capture.attachments:
        session.connection().execute(VersionAttachment.__table__.insert(), [
            {"version_id": version_id, "position": position, "url": attachment.url, "sha256": shas[id(attachment)],
             "content_type": attachment.content_type}
            for position, attachment in enumerate(capture.attachments)
        ])
    if content.page_text:
        note_page_paragraphs(session, capture.site, report.id, content.texts())
    _new_latest(session, report, version_id)
    significance = None
    if latest is not None:
        significance = record_new_change(session, latest.id, version_id, parsed, attachment_shas, cells)
    if same is not None:
        add_event(session, report.id, "reverted", seen, version_id=version_id, run_id=capture.run_id, reverted_to=same.version_no)
    note_seen(session, report.id, seen, version_id, capture.run_id)
    refresh_cross_year(session, report)
    outcome: Outcome = "new_version" if latest else "new_report"
    return RecordResult(outcome, 0, report.id, version_id, number, parse.error, significance)


def _stored_versions(session: Session, blobs: Blobs, report_id: int, parser_version: str) -> list[_Stored]:
    """The report's versions, newest first, once those another parser read are re-parsed:
    a parser upgrade is an event of the versions it re-read, never a version."""
    rows = session.connection().execute(_VERSIONS, {"report_id": report_id}).all()
    stale = [row.id for row in rows if row.parser_version != parser_version]
    for version_id in stale:
        version = session.get(Version, version_id)
        assert version is not None
        reparse_in_place(session, blobs, version)
    if stale:
        session.flush()
        rows = session.connection().execute(_VERSIONS, {"report_id": report_id}).all()
    return [_Stored(r.id, report_id, r.version_no, r.content_key, r.fixed_key, r.document_url == r.page_url, r.fingerprint,
                    r.page_url) for r in rows]


def _stored_contents(session: Session, versions: list[_Stored]) -> list[ReportContent]:
    """The contents of stored versions. A version without a fixed key (recorded before
    revision 0010) is given its own here."""
    contents = stored_contents(session, versions)
    for version in versions:
        if version.fixed_key is None:
            version.fixed_key = fixed_key(contents[version.id])
            give_fixed_key(session.connection(), version.id, version.fixed_key)
    return [contents[v.id] for v in versions]


def _same_content(session: Session, site: str, content: _CaptureContent, versions: list[_Stored]) -> tuple[_Stored | None, str]:
    """The newest version whose content is the capture's under the site's chrome, and the capture's key.

    Only versions whose fixed key is the capture's (or not known) can be: the others differ in
    what no chrome touches, and their parses are not read. Of those, the latest version is
    compared first, under what is known of the chrome of its paragraphs and the capture's;
    the older ones (read only when it differs) under the chrome of all.
    """
    candidates = [v for v in versions if v.fixed_key in (None, content.fixed)]
    first = candidates[:1] if candidates[:1] == versions[:1] else []
    asked: set[str] = set()
    chrome: frozenset[str] = frozenset()
    key = ""
    for chunk in [c for c in (first, candidates[len(first):]) if c] or [[]]:
        contents = _stored_contents(session, chunk)
        texts = _judged_texts([content, *contents]) - asked
        chrome |= load_chrome(session, site, texts).chrome
        asked |= texts
        is_chrome = chrome.__contains__
        key = content.key(is_chrome)
        same = next((v for v, c in zip(chunk, contents) if content_key(c, is_chrome) == key), None)
        if same is not None:
            return same, key
    return None, key


def _seen_again(session: Session, version: _Stored, seen: datetime, key: str, content: _CaptureContent) -> None:
    """A version captured again: a later last_seen, and the capture's keys as computed today."""
    connection = session.connection()
    connection.execute(_SEEN, {"version_id": version.id, "seen": seen})
    if version.content_key != key:
        rekey(connection, version.id, version.report_id, key)
    if version.fixed_key is None:
        give_fixed_key(connection, version.id, content.fixed)
    _read_again(session, Version, version.id)


def _saved_again(session: Session, blobs: Blobs, capture: CaptureInput, shas: dict[int, str | None],
                 content: _CaptureContent, shown: _Stored) -> bool:
    """Whether the capture is ``shown`` (what its page showed last, else the report's latest
    version) with its files saved again: the same parse,
    and attachments whose bytes differ only in what a writer stamps on a save
    (``storage.document_digest``): a PDF exported again, a DOCX re-saved, a download stamped."""
    # Told by the attachments alone for nearly every capture (a page's own text has none):
    # the stored parse is read and folded only for a report in files of its own.
    attachments = attachment_set(attachments_of(session, [shown.id])[shown.id])
    if attachments == content.attachments or len(attachments) != len(content.attachments):
        return False
    [stored] = _stored_contents(session, [shown])
    is_chrome = load_chrome(session, capture.site, _judged_texts([content, stored])).is_chrome
    if parts_key(content.parts, stored.attachments, is_chrome) != content_key(stored, is_chrome):
        return False
    new = {shas[id(a)]: a.body for a in capture.attachments}
    digests = sorted(document_digest(body if body is not None else blobs.get(sha)) for sha, body in new.items() if sha)
    return digests == sorted(document_digest(blobs.get(sha)) for sha in stored.attachments)


def _judged_texts(contents: list[ReportContent | _CaptureContent]) -> set[str]:
    """The paragraphs whose being chrome matters: those of contents that are a page's own text."""
    return {text for c in contents if c.page_text for text in c.texts()}


def _revert_key(key: str, number: int) -> str:
    return hashlib.sha256(f"{key}:reverted:{number}".encode("ascii")).hexdigest()


def _region(parse: ParseOutcome) -> str | None:
    return (parse.hints.region if parse.hints else None) or ((parse.report or {}).get("metadata") or {}).get("region")


def stored_content(session: Session, version: Version) -> ReportContent:
    return report_content(
        version.report_json, attachment_hashes(session, version.id), page_text=version.document_url == version.page_url,
        unparsed=version.fingerprint if version.report_json is None else None,
    )


# Statements built once: building one costs more than running it.
_VERSION_INSERT = Version.__table__.insert().returning(Version.__table__.c.id)
_VERSIONS = (sa.select(Version.id, Version.version_no, Version.content_key, Version.fixed_key, Version.parser_version,
                       Version.document_url, Version.page_url, Version.fingerprint)
             .where(Version.report_id == sa.bindparam("report_id")).order_by(Version.version_no.desc()))
_SEEN = (sa.update(Version.__table__).where(Version.id == sa.bindparam("version_id"), Version.last_seen < sa.bindparam("seen"))
         .values(last_seen=sa.bindparam("seen")))
_LATEST_OF_YEARS = (sa.select(Report.agency_id, Report.year, Report.kind, Version)
                    .join(Version, Report.latest_version_id == Version.id)
                    .where(sa.tuple_(Report.agency_id, Report.year, Report.kind).in_(sa.bindparam("keys", expanding=True))))


def confirmation_needed(session: Session, capture: CaptureInput, sampled: dict[str, set[str]]) -> bool:
    """Should the crawler fetch the page again before this capture is recorded?

    Yes when the report is the page itself and either it is new to the archive and one of
    its site's sample (``storage.chrome.in_sample``, counting in ``sampled``) or its content
    differs from the latest version's in paragraphs only: what varies between two fetches
    is chrome, what stays is the report.
    """
    answer = _unfolded_answer(session, capture, sampled)
    if isinstance(answer, bool):
        return answer
    # The capture's attachments are not fetched yet: compare like with like.
    content, old = capture_content(capture, []), replace(stored_content(session, answer), attachments=())
    return only_text_differs(content, old, load_chrome(session, capture.site, _judged_texts([content, old])).is_chrome)


def confirmations_known(session: Session, captures: Sequence[CaptureInput], sampled: dict[str, set[str]]) -> list[bool | None]:
    """``confirmation_needed`` of each capture where it is told without reading the capture's
    report beyond its metadata; None where the archive holds the report and only folding both
    can tell. A crawl's new reports are all told so, cheaply enough to ask where the crawl runs."""
    return [answer if isinstance(answer, bool) else None for answer in _unfolded_answers(session, captures, sampled)]


def _unfolded_answer(session: Session, capture: CaptureInput, sampled: dict[str, set[str]]) -> bool | Version:
    [answer] = _unfolded_answers(session, [capture], sampled)
    return answer


def _unfolded_answers(session: Session, captures: Sequence[CaptureInput], sampled: dict[str, set[str]]) -> list[bool | Version]:
    """Of each capture, the answer to ``confirmation_needed`` or the latest version to fold it
    with; the agencies the reports name, and those agencies' reports of the years, are looked
    up together (``known_agencies``, ``_latest_of_years``)."""
    reports = [_page_report(capture) for capture in captures]
    agencies = iter(known_agencies(session, [(identity.agency, region) for identity, region in filter(None, reports)]))
    keys = [None if report is None else _year_of(next(agencies), report[0]) for report in reports]
    latest = _latest_of_years(session, {key for key in keys if key is not None})
    # A page is compared with what it showed last, where the report's latest version is
    # another page's (a copy of the report elsewhere: see ``_decide``).
    own = newest_on_pages(session, {(latest[key].report_id, capture.page.url) for capture, key in zip(captures, keys)
                                    if key in latest and not same_page(latest[key].page_url, capture.page.url)})
    answers: list[bool | Version] = []
    for capture, report, key in zip(captures, reports, keys):
        if report is None:
            answers.append(False)
        elif key in latest:
            answers.append(own.get((latest[key].report_id, capture.page.url), latest[key]))
        else:  # a new agency, or a report of the year the archive does not hold
            answers.append(in_sample(session, capture.site, capture.page.url, sampled))
    return answers


def _year_of(agency: Agency | None, identity: ReportIdentity) -> tuple[int, int, str] | None:
    """Which report of a known agency a page holds (agency, year, kind); None for a new agency."""
    return None if agency is None else (agency.id, identity.year, identity.kind)


def _latest_of_years(session: Session, keys: set[tuple[int, int, str]]) -> dict[tuple[int, int, str], Version]:
    """The latest version of each (agency, year, kind) the archive has a report of, in one query."""
    if not keys:
        return {}
    rows = session.execute(_LATEST_OF_YEARS, {"keys": sorted(keys)})
    return {(agency_id, year, kind): version for agency_id, year, kind, version in rows}


def _page_report(capture: CaptureInput) -> tuple[ReportIdentity, str | None] | None:
    """Which report a capture's page holds, and the region its parse gives, when the page
    holds one newly parsed as its own text; None when nothing about it is new to confirm (no
    parse, the stored bytes parsed again, or a report in a document of its own, which has no
    chrome)."""
    parse = capture.parse
    if parse is None or parse.report is None or parse.error is not None or capture.page.status == "not_modified":
        return None
    identity = identify(parse.report, capture.listing_title)
    return (identity, _region(parse)) if identity is not None and is_page_text(capture, parse) else None


def _unchanged_by_bytes(session: Session, capture: CaptureInput, shas: dict[int, str | None]) -> RecordResult:
    """A capture without a parse (a 304 the crawler did not re-parse, or bytes it found recorded
    already) is unchanged if its bytes are a known version's."""
    page = capture.page
    write_waiting(session)  # the rows of the batch's captures recorded before this one
    page_sha = shas[id(page)]
    version = page_sha and version_by_bytes(session, page.url, page_sha, [shas[id(a)] for a in capture.attachments])
    if not version:
        raise _Failed(NO_MATCH)
    version.last_seen = later(version.last_seen, page.fetched_at)
    _touch_url(session, version.report_id, page.url, as_utc(page.fetched_at))
    note_seen(session, version.report_id, as_utc(page.fetched_at), version.id, capture.run_id)
    return RecordResult("unchanged", 0, version.report_id, version.id, version.version_no)


def version_by_bytes(session: Session, url: str, page_sha: str, attachment_shas: Iterable[str | None]) -> Version | None:
    """The version a page at ``url`` with these bytes, and attachments with these (None: not
    fetched), was recorded as, if any: a capture of it needs no parse."""
    wanted = sorted(s for s in attachment_shas if s)
    stored = stored_versions(session, {url: page_sha}).get(url, [])
    found = next((version for version in stored if version.attachments == wanted), None)
    return None if found is None else session.get(Version, found.id)


def _insert_blobs(session: Session, blobs: Iterable[tuple[str, int]]) -> None:
    now = utcnow()
    rows = [{"sha256": sha, "size": size, "stored_at": now} for sha, size in blobs]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    session.connection().execute(_NEW_BLOBS[dialect], rows)


# Built once (Core, not the ORM's bulk insert): every capture with bytes runs one.
_NEW_BLOBS = inserts_ignoring_duplicates(Blob.__table__, ["sha256"])


def _earlier_sha(session: Session, resource: Resource) -> str | None:
    """The bytes we already hold for a URL that answered 304 Not Modified."""
    if resource.status != "not_modified":
        return None
    write_waiting(session)  # the rows of the batch's captures recorded before this one
    return latest_shas(session, {resource.url}).get(resource.url)


@dataclass
class _Report:
    """A report as recording reads and moves it: a row, written through Core."""

    id: int
    agency_key: str
    year: int
    kind: str
    latest_version_id: int | None
    new: bool = False  # made by this capture: no version, URL or event of it to read
    seen_later: datetime | None = None  # a later last_seen to write (with the new latest version, if any)


def _report(session: Session, agency: Agency, identity: ReportIdentity, site: str, seen: datetime) -> _Report:
    year, kind = identity.year, identity.kind
    connection = session.connection()
    row = connection.execute(_REPORT_ROW, {"agency_key": agency.key, "year": year, "kind": kind}).first()
    if row is None:
        report_id = connection.execute(_REPORT_INSERT, {
            "agency_key": agency.key, "agency_id": agency.id, "agency": identity.agency, "year": year, "kind": kind,
            "site": site, "first_seen": seen, "last_seen": seen}).scalar_one()
        new_report(session, report_id)
        return _Report(report_id, agency.key, year, kind, None, new=True)
    fate_read(session, row.id, row.fate)
    # The later last_seen is written once the capture is decided, in one statement with a new latest version.
    return _Report(row.id, agency.key, year, kind, row.latest_version_id,
                   seen_later=seen if seen > as_utc(row.last_seen) else None)


def _report_seen(session: Session, report: _Report) -> None:
    if report.seen_later is not None:
        session.connection().execute(_REPORT_SEEN, {"report_id": report.id, "seen": report.seen_later})
        _read_again(session, Report, report.id)


def _new_latest(session: Session, report: _Report, version_id: int) -> None:
    report.latest_version_id = version_id
    if report.seen_later is None:
        session.connection().execute(_REPORT_LATEST, {"report_id": report.id, "latest": version_id})
    else:
        session.connection().execute(_REPORT_LATEST_SEEN, {"report_id": report.id, "latest": version_id,
                                                           "seen": report.seen_later})
    _read_again(session, Report, report.id)


def _read_again(session: Session, model: type[Base], row_id: int) -> None:
    """A row written through Core: an object of it an earlier capture of the session loaded is read again."""
    loaded = session.identity_map.get(identity_key(model, row_id))
    if loaded is not None:
        session.expire(loaded)


_REPORTS = Report.__table__
_REPORT_ROW = sa.select(_REPORTS.c.id, _REPORTS.c.last_seen, _REPORTS.c.latest_version_id,
                        latest_fate(_REPORTS.c.id).label("fate")).where(
    _REPORTS.c.agency_key == sa.bindparam("agency_key"), _REPORTS.c.year == sa.bindparam("year"),
    _REPORTS.c.kind == sa.bindparam("kind"))
_REPORT_INSERT = _REPORTS.insert().returning(_REPORTS.c.id)
_REPORT_SEEN = _REPORTS.update().where(_REPORTS.c.id == sa.bindparam("report_id"),
                                      _REPORTS.c.last_seen < sa.bindparam("seen")).values(last_seen=sa.bindparam("seen"))
_REPORT_LATEST = _REPORTS.update().where(_REPORTS.c.id == sa.bindparam("report_id")).values(
    latest_version_id=sa.bindparam("latest"))
_REPORT_LATEST_SEEN = _REPORT_LATEST.values(last_seen=sa.case(
    (_REPORTS.c.last_seen < sa.bindparam("seen"), sa.bindparam("seen")), else_=_REPORTS.c.last_seen))


def _touch_url(session: Session, report_id: int, url: str, seen: datetime, *, new: bool = False) -> None:
    """Note that the report (``new``: just made) was seen at ``url`` (``report_urls``), through Core:
    its rows are never written as objects, and an object an earlier capture of the session loaded is read again."""
    connection = session.connection()
    # Mostly the report is seen at its URL again, later: one statement moves last_seen on.
    moved = None if new else connection.execute(_URL_LATER, {"of_report": report_id, "at_url": url, "seen": seen}).first()
    if moved is not None:
        _read_again(session, ReportUrl, moved.id)
        return
    row = None if new else connection.execute(_URL_ROW, {"report_id": report_id, "url": url}).first()
    if row is None:
        connection.execute(_URLS.insert(), {"report_id": report_id, "url": url, "first_seen": seen, "last_seen": seen})
        return
    first, last = min(as_utc(row.first_seen), seen), later(row.last_seen, seen)
    if (first, last) != (as_utc(row.first_seen), as_utc(row.last_seen)):
        connection.execute(_URL_SEEN, {"row_id": row.id, "first": first, "last": last})
        _read_again(session, ReportUrl, row.id)


_URLS = ReportUrl.__table__
_URL_ROW = sa.select(_URLS.c.id, _URLS.c.first_seen, _URLS.c.last_seen).where(
    _URLS.c.report_id == sa.bindparam("report_id"), _URLS.c.url == sa.bindparam("url"))
_URL_SEEN = _URLS.update().where(_URLS.c.id == sa.bindparam("row_id")).values(
    first_seen=sa.bindparam("first"), last_seen=sa.bindparam("last"))
_URL_LATER = (_URLS.update().where(_URLS.c.report_id == sa.bindparam("of_report"), _URLS.c.url == sa.bindparam("at_url"),
                                   _URLS.c.last_seen < sa.bindparam("seen"))
              .values(last_seen=sa.bindparam("seen")).returning(_URLS.c.id))
