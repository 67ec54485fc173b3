"""The parser's public entry points: bytes or a document in, a report out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from parsers import PARSER_VERSION
from parsers.completeness import assess
from parsers.document import Document
from parsers.errors import ParseError
from parsers.extract import extract
from parsers.extract.unread_pictures import unread_pictures
from parsers.hints import ReportHints
from parsers.limits import read_file
from parsers.metadata import read_metadata
from parsers.layout_honesty import restate_for_layout
from parsers.ocr_honesty import restate_for_ocr
from parsers.report import ActiveDisclosureTable, AppealsTable, ApplicationsTable, Report, Section, Template
from parsers.sections import split_layout
from parsers.tables.active_disclosure import parse_active_disclosure
from parsers.tables.appeals import parse_appeals
from parsers.tables.applications import parse_applications
from parsers.tables.classify import classify_tables
from parsers.templates import active_disclosure_template, applications_template, report_template
from parsers.rules import validate
from parsers.rules.check import finding
from parsers.second_report import second_report_start
from parsers.table_of_contents import without_contents

_QUOTED_CHARS = 60


def parse_document(doc: Document, hints: ReportHints | None = None) -> Report:
    """Read sections, tables and metadata out of an extracted document and check them."""
    blocks = without_contents(doc.blocks)  # a table of contents lists the headings a second report would repeat
    second = second_report_start(blocks)
    second_title = None
    if second is not None:  # the file's report is the first; the second is said to be there
        second_title = " ".join(b.text.strip() for b in blocks[second:second + 2] if b.table is None)[:_QUOTED_CHARS]
        doc = replace(doc, blocks=blocks[:second])
    layout = split_layout(doc)
    metadata = read_metadata(doc, layout, hints or ReportHints())
    standard = classify_tables(layout.tables)

    active_rows = parse_active_disclosure(standard.active_disclosure) if standard.active_disclosure else []
    application_rows = parse_applications(standard.applications) if standard.applications else {}
    appeal_cells = parse_appeals(standard.appeals) if standard.appeals else {}
    table_templates: list[Template] = []
    if active_rows:
        table_templates.append(active_disclosure_template(active_rows))
    if application_rows:
        table_templates.append(applications_template(application_rows))
    metadata.template = report_template(
        table_templates, metadata.year, has_tables=bool(active_rows or application_rows or appeal_cells)
    )
    if metadata.template == "pre-2019":
        layout = split_layout(doc, free_outline=True)

    report = Report(
        metadata=metadata,
        sections=[Section(s.number, s.heading, "\n".join(s.paragraphs)) for s in layout.sections],
        preamble="\n".join(layout.preamble),
        source_format=doc.source_format,
        parser_version=PARSER_VERSION,
    )
    if active_rows:
        report.active_disclosure = ActiveDisclosureTable(active_disclosure_template(active_rows), active_rows)
    if application_rows:
        report.applications = ApplicationsTable(applications_template(application_rows), application_rows)
    if appeal_cells:
        report.appeals = AppealsTable(metadata.template, appeal_cells)
    report.completeness = assess(report)
    notes, unread = unread_pictures(doc.notes)
    report.findings = restate_for_layout(report, restate_for_ocr(report, validate(report, report.completeness, notes))) + unread
    if second_title is not None:
        report.findings.append(finding(
            "document.second_report", "warning", None, None, None, second_title, None,
            f"the file holds another report after this one, not read: {second_title}",
            f"文件在本报告之后还包含另一份报告，未读取：{second_title}"))
    return report


def parse_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    hints: ReportHints | None = None,
    images: Mapping[str, bytes] | None = None,
) -> tuple[Document, Report]:
    """Extract and parse one file; raises parsers.errors.ParseError when it cannot be read.

    ``images``: the pictures an HTML page shows, by their ``src`` (see ``parsers.extract.extract``).
    """
    doc = extract(data, filename=filename, content_type=content_type, images=images)
    return doc, parse_document(doc, hints)


def parse_file(path: str | Path, hints: ReportHints | None = None) -> tuple[Document, Report]:
    """Parse a local file; a missing or unreadable file is a ParseError like bad content."""
    try:
        data = read_file(path)
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror or exc}") from exc
    return parse_bytes(data, filename=Path(path).name, hints=hints)
