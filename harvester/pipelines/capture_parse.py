"""Turning a capture's bytes into the ``ParseOutcome`` the archive records; what a parse
worker process runs (``ParsePipeline`` in ``parse`` sends the work).

The page is parsed first; when its body holds no report (no section, no table: the page is
only a link to the file) the first attachment that parses is the primary document, read with
the page's metadata as hints. A document that cannot be parsed keeps its error. A second
fetch of a page (the confirm pipeline's) whose report body, metadata and title are the first
one's takes the first parse: both pages are read only as far as their bodies.

Nothing here imports Scrapy or the database: a parse worker imports only this and the
parsers, which keeps each worker some 80 MB smaller (a test holds this).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from harvester.attachments import attachment_name
from harvester.items import ParseOutcome, ReportItem, Resource
from harvester.pipelines.bodies import PackedReport, read_bodies
from harvester.pipelines.storable import storable_json
from harvester.pipelines.workers import describe
from harvester.siteconfig import SiteConfig
from parsers import PARSER_VERSION
from parsers.api import parse_document
from parsers.document import Document
from parsers.errors import ParseError
from parsers.extract import Source, read_source
from parsers.extract.page_images import fetched_pictures, images_by_src
from parsers.hints import ReportHints
from parsers.report import Report
from parsers.title import parse_report_title
from storage.blobs import BlobStore
from storage.fingerprint import capture_content, content_parts


def hints_for(capture: ReportItem, site: SiteConfig) -> ReportHints:
    info = parse_report_title(capture.listing_title or "")
    return ReportHints(
        agency=(info.agency if info else None) or site.agency,
        region=site.region,
        year=info.year if info else None,
        title=capture.listing_title,
        publish_date=capture.listing_date,
        source_url=capture.page.url,
    )


def _has_report(report: Report | None) -> bool:
    return report is not None and bool(
        report.sections or report.active_disclosure or report.applications or report.appeals
    )


@dataclass
class ParseRun:
    outcome: ParseOutcome
    crashed: bool = False  # the parser raised something other than ParseError
    # The outcome is the capture's earlier parse (``capture.parse``), whose page was made of the
    # same (``Source.identity``) and read with the same hints: a confirmation fetch that
    # differs in chrome only.
    earlier: bool = False


@dataclass
class _Parsed:
    doc: Document | None
    report: Report | None
    error: str | None = None
    crashed: bool = False
    known: bool = False  # the document had the identity given as known: it was not read further


def _source(resource: Resource, body: bytes, images: dict[str, bytes] | None) -> Source:
    return read_source(body, filename=attachment_name(resource.url) or resource.url, content_type=resource.content_type,
                       images=images)


def _parse(resource: Resource, body: bytes, hints: ReportHints, images: dict[str, bytes] | None = None, *,
           known: str | None = None) -> _Parsed:
    """``known``: the identity (``Source.identity``) of a document parsed with these hints
    already; a document of that identity is not read further nor parsed."""
    try:
        source = _source(resource, body, images)
        if known is not None and source.identity() == known:
            return _Parsed(None, None, known=True)
        doc = source.document()
        report = parse_document(doc, hints)
    except ParseError as exc:
        return _Parsed(None, None, str(exc))
    except Exception as exc:  # a parser bug or a limit (RecursionError, MemoryError): the capture stays
        return _Parsed(None, None, f"parser failed: {describe(exc)}", crashed=True)
    return _Parsed(doc, report)


def _first_identity(page: Resource, earlier: ParseOutcome | None, earlier_page: bytes | None, hints: ReportHints,
                    images: dict[str, bytes]) -> str | None:
    """The identity of the first fetch's page (``earlier_page``), when a second fetch made of the
    same may take its parse (``earlier``): one read with these hints whose report is the page's
    own. Made only here, for the few pages fetched twice, rather than with every parse."""
    if (earlier is None or earlier_page is None or earlier.hints != hints or earlier.error is not None
            or earlier.report is None or earlier.document_url != page.url):
        return None
    try:
        return _source(page, earlier_page, images).identity()
    except Exception:  # noqa: BLE001 - read once already; whatever fails now, the second fetch is parsed
        return None


def parse_capture(capture: ReportItem, site: SiteConfig, bodies: dict[str, bytes]) -> ParseOutcome:
    """The parser's word on a capture; ``bodies`` maps each fetched URL to its bytes (stored
    bytes for 304 answers)."""
    return parse_capture_run(capture, site, bodies).outcome


def parse_capture_run(capture: ReportItem, site: SiteConfig, bodies: dict[str, bytes],
                      earlier_page: bytes | None = None) -> ParseRun:
    """``parse_capture``, also telling whether the parser crashed on the way. A capture parsed
    already (``capture.parse``: a page fetched again to confirm it, ``earlier_page`` the first
    fetch's bytes) takes that parse when its page is made of what the first page was made of
    (``parsers.extract.Source.identity``)."""
    page = capture.page
    page_body = bodies[page.url]
    hints = hints_for(capture, site)
    # Pictures of the page's body were fetched with the capture: they are read with the
    # page, never tried as a document of their own.
    pictures = fetched_pictures(page_body, page.url, {a.url: bodies[a.url] for a in capture.attachments if a.url in bodies},
                                page.content_type)
    picture_urls = {picture.url for picture in pictures}
    earlier, images = capture.parse, images_by_src(pictures)
    parsed = _parse(page, page_body, hints, images, known=_first_identity(page, earlier, earlier_page, hints, images))
    if parsed.known:
        assert earlier is not None
        return ParseRun(earlier, earlier=True)
    crashed = parsed.crashed
    page_doc, report, error = parsed.doc, parsed.report, parsed.error
    fingerprint = page_doc.fingerprint() if page_doc else hashlib.sha256(page_body).hexdigest()
    document_url, used_hints = page.url, hints
    if not _has_report(report):
        # The page is only a link: the first attachment holding a report is the document,
        # else the first attachment at all (its error or empty report is the record).
        attachment_hints = replace(
            hints,
            page_meta=dict(page_doc.page_meta) if page_doc else {},
            title=hints.title or (page_doc.page_title if page_doc else None),
        )
        first = None
        for attachment in capture.attachments:
            body = bodies.get(attachment.url)
            if body is None or attachment.url in picture_urls:
                continue
            attempt = _parse(attachment, body, attachment_hints)
            crashed = crashed or attempt.crashed
            found, problem = attempt.report, attempt.error
            candidate = (attachment.url, found, problem and f"{attachment_name(attachment.url) or attachment.url}: {problem}")
            first = first or candidate
            if _has_report(found):
                first = candidate
                # The page only wraps the report: its text (a header's clock, a visit
                # counter the body finder took in) must not make versions; the report does.
                fingerprint = attempt.doc.fingerprint()
                break
        if first is not None:
            (document_url, report, error), used_hints = first, attachment_hints
    outcome = ParseOutcome(
        report=report.to_dict() if report else None,
        error=error,
        parser_version=PARSER_VERSION,
        fingerprint=fingerprint,
        document_url=document_url,
        hints=used_hints,
    )
    return ParseRun(outcome, crashed)


def _first_page(blobs: BlobStore, name: str | None) -> bytes | None:
    """The first fetch's page by its name in the hand-off store; None when it is not there to
    read, and the second fetch is parsed in full: only a shortcut depends on it."""
    if name is None:
        return None
    try:
        return blobs.get(name)
    except OSError:
        return None


def start_parse_worker() -> None:
    """What a parse worker does before its first job: pdfium is told to find no system font
    (``parsers.extract.pdf_fonts``; imported here, so the crawl process does not load pdfium)."""
    from parsers.extract.pdf_fonts import without_system_fonts

    without_system_fonts()


def needs_parse(capture: ReportItem) -> bool:
    """Only a capture with something new is parsed: a blocked or failed page has nothing, and
    a 304 page whose attachments are all 304 (or absent) is known already."""
    if capture.page.status == "ok":
        return True
    return capture.page.status == "not_modified" and any(a.status == "ok" for a in capture.attachments)


def parse_stored(capture: ReportItem, site: SiteConfig, names: dict[str, str], store: Path,
                 inline: dict[str, bytes], earlier_page: str | None = None) -> ParseRun:
    """``parse_capture_run`` where the bodies are: by sha256 name in the hand-off store at
    ``store`` (see ``handoff``), or ``inline``; ``earlier_page`` names the first fetch's page
    there when this is a second fetch. The report comes back cleaned for the archive
    (``storable.storable_json``) here, beside the other workers, rather than in the crawl process,
    with the parts of its content key (``storage.capture.ContentParts``), and packed
    (``bodies.PackedReport``): the crawl process only hands it on."""
    blobs = BlobStore(store)
    run = parse_capture_run(capture, site, {**read_bodies(names, blobs), **inline}, _first_page(blobs, earlier_page))
    if run.earlier:
        return run  # made storable, given its content parts and packed where it was made
    encoded = None
    if run.outcome.report is not None:
        run.outcome.report, encoded = storable_json(run.outcome.report)
    # The parts of its content key too, so the one archive writer does not walk the report
    # again to find an unchanged capture (``storage.unchanged``).
    run.outcome.content = content_parts(capture_content(capture, [], run.outcome))
    if encoded is not None:
        run.outcome.report = PackedReport.pack(run.outcome.report, encoded)  # type: ignore[assignment]
    return run
