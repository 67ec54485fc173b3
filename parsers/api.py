"""The parser's public entry points: bytes or a document in, a report out."""

from __future__ import annotations

from parsers import PARSER_VERSION
from parsers.document import Document
from parsers.extract import extract
from parsers.hints import ReportHints
from parsers.report import Metadata, Report
from parsers.title import parse_report_title


def parse_document(doc: Document, hints: ReportHints | None = None) -> Report:
    """Read sections, tables and metadata out of an extracted document and check them."""
    hints = hints or ReportHints()
    title = hints.title or doc.page_title
    info = parse_report_title(title) if title else None
    metadata = Metadata(
        agency=(info.agency if info else None) or hints.agency,
        title=title,
        year=(info.year if info else None) or hints.year,
        region=hints.region,
        publish_date=hints.publish_date,
        source_url=hints.source_url,
    )
    return Report(metadata=metadata, source_format=doc.source_format, parser_version=PARSER_VERSION)


def parse_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    hints: ReportHints | None = None,
) -> tuple[Document, Report]:
    """Extract and parse one file; raises parsers.errors.ParseError when it cannot be read."""
    doc = extract(data, filename=filename, content_type=content_type)
    return doc, parse_document(doc, hints)
