"""Writing a version's parse (sections, typed cells, the parser's findings) into its rows.

A parse is derived from the stored bytes: recording a version writes it with the version
(``parse_columns``, ``insert_parse_rows``), and ``harvester reparse`` replaces it in place
(``apply_parse``). The parses written in a transaction are kept at hand for it
(``held_parses``): the change summary and the cross-year rules read them again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.cellnames import NamedCell, named_cells
from storage.json_text import JsonText, to_json
from storage.fingerprint import ReportContent, fixed_key, report_content
from storage.cell_addresses import address_ids
from storage.later_rows import insert_later, insert_rows, write_tuples, write_waiting
from storage.models import CellRow, FindingRow, SectionRow, Version, VersionAttachment
from storage.oneof import one_of


def apply_parse(
    session: Session,
    version: Version,
    report: dict[str, Any] | None,
    error: str | None,
    parser_version: str,
    parsed_at: datetime,
) -> None:
    """Set a stored version's parse fields (its fixed key too, which the parse is part of) and
    replace its sections, cells and parser findings."""
    # Rows waiting in a recording batch (``storage.later_rows``) may be this version's, or its
    # change summary's that a re-parse replaces: written before they are replaced.
    write_waiting(session)
    for name, value in parse_columns(report, error, parser_version, parsed_at).items():
        setattr(version, name, value)
    version.fixed_key = fixed_key(report_content(
        report, attachment_hashes(session, version.id), page_text=version.document_url == version.page_url,
        unparsed=version.fingerprint if report is None else None))
    session.flush()
    for model in (SectionRow, CellRow):
        session.execute(sa.delete(model).where(model.version_id == version.id))
    session.execute(sa.delete(FindingRow).where(FindingRow.version_id == version.id, FindingRow.source == "parser"))
    insert_parse_rows(session, version.id, report)
    hold_parse(session, version.id, report)


def parse_columns(report: dict[str, Any] | None, error: str | None, parser_version: str,
                  parsed_at: datetime, report_text: str | None = None) -> dict[str, Any]:
    """The ``versions`` columns a parse sets (an agency only when the parse names one);
    ``report_text``: the report's JSON as its parse worker encoded it, written as it came
    rather than encoded again, but only as ``JsonText`` (text that became a plain string would
    be written as a JSON string)."""
    metadata = (report or {}).get("metadata") or {}
    columns = {
        "parse_status": "ok" if report is not None and error is None else "error",
        "parse_error": error if report is None or error else None,
        "parser_version": parser_version,
        "parsed_at": parsed_at,
        "report_json": report_text if report is not None and isinstance(report_text, JsonText) else report,
        "title": metadata.get("title"),
        "template": metadata.get("template") if report is not None else None,
        "region": metadata.get("region"),
        "completeness": completeness_of(report),
    }
    if metadata.get("agency"):
        columns["agency"] = metadata["agency"]
    return columns


def insert_parse_rows(session: Session, version_id: int, report: dict[str, Any] | None,
                      cells: list[NamedCell] | None = None) -> None:
    """Write a parse's sections, typed cells and findings as rows of a version that has none;
    ``cells``: the report's ``named_cells``, where the caller has them already."""
    if report is None:
        return
    sections = [
        {"version_id": version_id, "position": i, "number": s["number"], "heading": s["heading"], "text": s["text"]}
        for i, s in enumerate(report.get("sections") or [])
    ]
    insert_rows(session, SectionRow.__table__, sections)
    insert_rows(session, FindingRow.__table__, [finding_row(version_id, "parser", f) for f in report.get("findings") or []])
    if cells is None:
        cells = named_cells(report)
    if cells:
        insert_later(session, _write_cells, [(version_id, cells)])


def _write_cells(connection: sa.Connection, versions: list[tuple[int, list[NamedCell]]]) -> None:
    """The typed cells of versions (a batch's, see ``rows_later``; some 200 a version) written as
    tuples in the order of ``_CELL_COLUMNS``, with their addresses' numbers, asked for all at once."""
    ids = address_ids(connection, {cell[:3] for _, cells in versions for cell in cells})
    rows = []
    add = rows.append
    # A loop over the cells unpacked, each cell's dict read through its bound ``get``: a
    # comprehension reading them as attributes took a third longer to make the rows.
    for version_id, cells in versions:
        for position, (table, row, column, item, row_label, cell) in enumerate(cells):
            get = cell.get
            location = get("location")
            add((version_id, position, table, item, row, column, row_label, get("raw", ""), get("value"), get("unit"),
                 get("state", "text"), get("value_wan"), None if location is None else to_json(location),
                 ids[table, row, column]))
    write_tuples(connection, "cells", _CELL_COLUMNS, rows)


# The order of each cell's tuple (locations as JSON text, ``storage.json_text``).
_CELL_COLUMNS = ("version_id", "position", "table_name", "item", "row_key", "column_key", "row_label", "raw", "value",
                 "unit", "state", "value_wan", "location", "address_id")


def attachment_hashes(session: Session, version_id: int) -> list[str]:
    session.flush()
    return list(session.scalars(sa.select(VersionAttachment.sha256).where(VersionAttachment.version_id == version_id)))


_HELD = "held_parses"


def hold_parse(session: Session, version_id: int, report: dict[str, Any] | None) -> None:
    """Keep a parse just written at hand for the rest of the transaction (``held_parses``)."""
    session.info.setdefault(_HELD, {})[version_id] = report


def held_parses(session: Session, version_ids: set[int]) -> dict[int, dict[str, Any] | None]:
    """The parses of these versions: those written in this session as they are, the others read
    (a stored parse is some 40 KB of JSON; the diff and the cross-year rules need it again)."""
    found = parses_held(session, version_ids)
    missing = version_ids - set(found)
    if missing:
        session.flush()
        found.update(session.connection().execute(_PARSES, {"ids": sorted(missing)}).all())
    return found


def parses_held(session: Session, version_ids: set[int]) -> dict[int, dict[str, Any] | None]:
    """The parses of these versions that were written in this session (``hold_parse``); no others."""
    held = session.info.get(_HELD, {})
    return {i: held[i] for i in version_ids if i in held}


_PARSES = sa.select(Version.id, Version.report_json).where(one_of(Version.id, "ids"))


class VersionRow(Protocol):
    """What reading a stored version's content takes of its row."""

    @property
    def id(self) -> int: ...

    @property
    def page_text(self) -> bool: ...  # the report is the page itself (document URL = page URL)

    @property
    def fingerprint(self) -> str: ...


class StoredVersion(NamedTuple):
    id: int
    page_text: bool
    fingerprint: str


def stored_contents(session: Session, versions: Iterable[VersionRow]) -> dict[int, ReportContent]:
    """The contents of stored versions (by id), from their parses (``held_parses``) and attachments."""
    rows = {v.id: v for v in versions}
    if not rows:
        return {}
    parses = held_parses(session, set(rows))
    attachments = attachments_of(session, rows)
    return {i: report_content(parses[i], attachments[i], page_text=bool(v.page_text),
                              unparsed=v.fingerprint if parses[i] is None else None)
            for i, v in rows.items()}


def attachments_of(session: Session, version_ids: Iterable[int]) -> dict[int, list[str]]:
    """The sha256s of these versions' attachments, in their order. A version's attachments are
    written with it and never change: those read or written in this session are kept for it."""
    known: dict[int, list[str]] = session.info.setdefault(_HELD_ATTACHMENTS, {})
    wanted = set(version_ids)
    missing = sorted(wanted - set(known))
    if missing:
        found: dict[int, list[str]] = defaultdict(list)
        for version_id, sha in session.connection().execute(_ATTACHMENTS, {"ids": missing}):
            found[version_id].append(sha)
        known.update((i, found[i]) for i in missing)
    return {i: known[i] for i in wanted}


def hold_attachments(session: Session, version_id: int, shas: list[str]) -> None:
    """The sha256s of the attachments of a version just written, in their order (``attachments_of``)."""
    session.info.setdefault(_HELD_ATTACHMENTS, {})[version_id] = shas


_HELD_ATTACHMENTS = "held_attachments"
_ATTACHMENTS = (sa.select(VersionAttachment.version_id, VersionAttachment.sha256)
                .where(one_of(VersionAttachment.version_id, "ids"))
                .order_by(VersionAttachment.version_id, VersionAttachment.position))


def completeness_of(report: dict[str, Any] | None) -> str | None:
    """complete | incomplete | not_applicable for a parse's per-table statuses; None without any."""
    statuses = {table["status"] for table in ((report or {}).get("completeness") or {}).values()}
    if not statuses:
        return None
    if statuses & {"partial", "missing"}:
        return "incomplete"
    return "not_applicable" if statuses == {"not_applicable"} else "complete"


def finding_row(version_id: int, source: str, finding: dict[str, Any]) -> dict[str, Any]:
    """A ``parsers.report.Finding`` as a dict -> a findings row."""
    return {
        "version_id": version_id,
        "source": source,
        "rule": finding["rule"],
        "severity": finding["severity"],
        "table_name": finding.get("table"),
        "row_key": finding.get("row"),
        "column_key": finding.get("column"),
        "printed": finding.get("printed"),
        "expected": finding.get("expected"),
        "message": finding.get("message", ""),
    }
