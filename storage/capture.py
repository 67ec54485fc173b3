"""What the crawler hands the archive: one fetch of a report page and its attachments.

These are plain data so that the crawl pipeline, ``harvester parse``-style local imports
and tests can all record captures the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from parsers.hints import ReportHints
from storage.clock import as_utc
from storage.json_text import JsonText, from_json

CaptureStatus = Literal["ok", "not_modified", "blocked", "error"]
Outcome = Literal["new_report", "new_version", "unchanged", "failed"]


@dataclass
class Resource:
    """One HTTP fetch (the report page or one attachment).

    ``body`` is None when the server answered 304 Not Modified or the fetch failed; the
    archive then uses the bytes it already holds for this URL.
    """

    url: str
    http_status: int
    fetched_at: datetime
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    status: CaptureStatus = "ok"
    error: str | None = None  # why a fetch failed or was blocked
    # (sha256, size) of a body already in the archive's blob store, put there by the process
    # that fetched it; ``body`` is then None and the bytes are not read or hashed again.
    in_store: tuple[str, int] | None = None


@dataclass(frozen=True)
class ContentParts:
    """A parse's content key (``storage.fingerprint``) in the parts chrome does not touch and
    those it may, made where the parse is made (a parse worker) so that the archive writer
    tells an unchanged capture by hashing them, without walking the report.

    ``head`` is what the key hashes before the paragraphs (unparsed fingerprint, printed
    metadata, cells); ``paragraphs`` are (section number, folded text); ``shapes`` the shape
    of each paragraph (digits masked) when they are the page's own text, else empty.
    """

    head: bytes
    paragraphs: tuple[tuple[int, str], ...]
    shapes: tuple[str, ...]
    page_text: bool


@dataclass
class ParseOutcome:
    """The parser's word on the capture's primary document (the page or its attachment).

    ``report`` is ``Report.to_dict()``; ``error`` is the one-line reason when parsing failed
    (the capture and its bytes are stored all the same). ``fingerprint`` identifies the
    content of the capture for change detection (see ``storage.fingerprint``).
    """

    report: dict[str, Any] | None
    error: str | None
    parser_version: str
    fingerprint: str
    # The URL of the resource that was parsed (the page, or the attachment holding the
    # report) and the hints given to the parser; `harvester reparse` re-reads those bytes
    # with the same hints, so only a parser change can change the parse. None: the page.
    document_url: str | None = None
    hints: ReportHints | None = None
    # Made by the parse worker from ``report`` as stored (``storage.fingerprint.content_parts``);
    # None where nobody made them (the archive then makes them itself).
    content: ContentParts | None = None
    # ``report`` as the JSON text the parse worker made of it, written to the version as it is;
    # None where nobody made it (the archive then encodes ``report``).
    report_text: JsonText | None = field(default=None, compare=False)
    # The report's JSON as its parse worker packed it (UTF-8), where it came so: ``report`` then
    # holds the report's metadata alone, and the JSON is read (:func:`whole_report`) only where
    # a new version is written. Which report a capture holds, and whether it changed
    # (``content``), are told without it.
    report_json: bytes | None = field(default=None, compare=False)


def whole_report(parse: ParseOutcome) -> dict[str, Any] | None:
    """The parse's report in full, read from its packed JSON the first time it is asked for
    (``ParseOutcome.report_json``), its text kept to be written as it is. Reading some 40 KB
    of JSON costs more than writing it; a capture found unchanged never needs it."""
    if parse.report_json is not None:
        packed, parse.report_json = parse.report_json, None
        parse.report, parse.report_text = from_json(packed), JsonText(packed.decode())
    return parse.report


@dataclass
class CaptureInput:
    site: str
    page: Resource
    attachments: list[Resource] = field(default_factory=list)
    listing_title: str | None = None  # the link text on the column page
    listing_date: str | None = None
    parse: ParseOutcome | None = None
    run_id: int | None = None
    # The parse of a second fetch of the page, made when the archive asked for one
    # (``Archive.confirmation_needed``): paragraphs that differ between the two are chrome.
    confirmation: ParseOutcome | None = None


@dataclass
class RecordResult:
    """What the archive made of a capture."""

    outcome: Outcome
    capture_id: int
    report_id: int | None = None
    version_id: int | None = None
    version_no: int | None = None
    error: str | None = None  # why the capture failed, or why its document did not parse
    significance: str | None = None  # of a new version's change


def capture_values(capture: CaptureInput, resource: Resource, sha: str | None, role: str, page_id: int | None) -> dict[str, Any]:
    """The ``captures`` row of one fetch (the page or an attachment) of the capture."""
    return dict(
        run_id=capture.run_id, site=capture.site, role=role, page_capture_id=page_id, url=resource.url,
        fetched_at=as_utc(resource.fetched_at), http_status=resource.http_status, status=resource.status,
        error=resource.error, etag=resource.etag, last_modified=resource.last_modified,
        content_type=resource.content_type, sha256=sha,
        listing_title=capture.listing_title if role == "page" else None,
    )
