"""Re-deriving parses from stored bytes with the current parser.

A parse is derived data: re-parsing replaces a version's sections, cells and findings in
place (and the change summaries and cross-year findings that depend on them). It never
creates a version - the bytes have not changed. A parse that changed is recorded as a
"parser_upgrade" event of its report, whether ``harvester reparse`` or a crawl (which
re-parses a report's versions when its parser is newer than theirs) did it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from parsers import api
from parsers.errors import ParseError
from parsers.extract.page_images import body_images
from parsers.hints import ReportHints
from parsers.locations import without_locations
from storage.blobstores import Blobs
from storage.changes import record_change
from storage.clock import utcnow
from storage.crossyear import refresh_cross_year
from storage.db import retrying, writer
from storage.models import Capture, Report, Version, VersionAttachment
from storage.later_rows import write_waiting
from storage.parse_rows import apply_parse
from storage.events import add_event
from storage.fingerprint import retired_key


@dataclass
class ReparseSummary:
    versions: int = 0
    changed: int = 0  # versions whose parse output differs from what was stored
    errors: list[str] = field(default_factory=list)  # "report 3 v2: why"


def reparse(engine: Engine, blobs: Blobs, report_id: int | None = None) -> ReparseSummary:
    """Re-parse every version of one report, or of all reports when ``report_id`` is None."""
    query = sa.select(Version.id).order_by(Version.report_id, Version.version_no)
    if report_id is not None:
        query = query.where(Version.report_id == report_id)
    with Session(engine) as session:
        version_ids = list(session.scalars(query))
    summary = ReparseSummary()
    for version_id in version_ids:
        changed, error = retrying(lambda: _reparse_version(engine, blobs, version_id))
        summary.versions += 1
        summary.changed += changed
        if error:
            summary.errors.append(error)
    return summary


def _reparse_version(engine: Engine, blobs: Blobs, version_id: int) -> tuple[bool, str | None]:
    with Session(writer(engine)) as session, session.begin():
        version = session.get(Version, version_id)
        assert version is not None
        return reparse_in_place(session, blobs, version)


def reparse_in_place(session: Session, blobs: Blobs, version: Version) -> tuple[bool, str | None]:
    """Re-parse one version's bytes with the current parser; (whether its parse changed, error line)."""
    write_waiting(session)  # a version a recording batch has just written: its rows, and its page's capture row
    report = session.get(Report, version.report_id)
    assert report is not None
    sha, content_type = _document_bytes(session, version)
    hints = ReportHints(**version.hints) if version.hints else None
    filename = PurePosixPath(urlsplit(version.document_url).path).name or None
    data = blobs.get(sha)
    images = _page_pictures(session, blobs, version, data, content_type) if version.document_url == version.page_url else None
    try:
        _, parsed = api.parse_bytes(data, filename=filename, content_type=content_type, hints=hints, images=images)
        output, error, parser_version = parsed.to_dict(), None, parsed.parser_version
    except ParseError as exc:
        output, error, parser_version = None, str(exc), version.parser_version
    # Where a cell is printed is provenance, not what the report says: a parse that only
    # gained or moved locations is stored, but it is no change and no event.
    changed = error != version.parse_error or _read(output) != _read(version.report_json)
    before = version.parser_version
    now = utcnow()
    apply_parse(session, version, output, error, parser_version, now)
    if changed:
        # The stored content key describes the old parse: leave one no content has, so that
        # recording compares with the new parse (storage.unchanged, storage.version_keys).
        version.content_key = retired_key(f"{version.id}:{parser_version}:{now.isoformat()}")
        _refresh_changes(session, version)
        refresh_cross_year(session, report)
        add_event(session, report.id, "parser_upgrade", now, version_id=version.id,
                  parser_before=before, parser_after=parser_version)
    return changed, f"report {report.id} v{version.version_no}: {error}" if error else None


def _read(output: dict | None) -> dict | None:
    return None if output is None else without_locations(output)


def _document_bytes(session: Session, version: Version) -> tuple[str, str | None]:
    """The sha256 and content type of the resource the version's parse was read from."""
    if version.document_url != version.page_url:
        attachment = session.scalars(
            sa.select(VersionAttachment).where(VersionAttachment.version_id == version.id, VersionAttachment.url == version.document_url)
        ).first()
        if attachment is not None:
            return attachment.sha256, attachment.content_type
    assert version.page_sha256 is not None, "a version always has its page bytes"
    content_type = session.scalars(
        sa.select(Capture.content_type).where(Capture.url == version.page_url, Capture.sha256 == version.page_sha256).limit(1)
    ).first()
    return version.page_sha256, content_type


def _page_pictures(session: Session, blobs: Blobs, version: Version, page: bytes, content_type: str | None) -> dict[str, bytes]:
    """The pictures of the page's body stored with the version (tables published as pictures), by ``src``."""
    stored = session.execute(
        sa.select(VersionAttachment.url, VersionAttachment.sha256).where(VersionAttachment.version_id == version.id)
    ).all()
    if not stored:
        return {}
    src_of = {image.url: image.src for image in body_images(page, version.page_url, content_type)}
    return {src_of[url]: blobs.get(sha) for url, sha in stored if url in src_of}


def _refresh_changes(session: Session, version: Version) -> None:
    """The change summaries into and out of a re-parsed version describe the old parse; redo them."""
    neighbours = {
        n.version_no: n for n in session.scalars(
            sa.select(Version).where(Version.report_id == version.report_id,
                                     Version.version_no.in_((version.version_no - 1, version.version_no + 1)))
        )
    }
    if (previous := neighbours.get(version.version_no - 1)) is not None:
        record_change(session, previous, version)
    if (following := neighbours.get(version.version_no + 1)) is not None:
        record_change(session, version, following)
