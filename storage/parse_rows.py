"""Writing a version's parse (sections, typed cells, the parser's findings) into its rows.

A parse is derived from the stored bytes: recording a version writes it, and
``harvester reparse`` replaces it in place with the same function.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.cellnames import named_cells
from storage.models import CellRow, FindingRow, SectionRow, Version


def apply_parse(
    session: Session,
    version: Version,
    report: dict[str, Any] | None,
    error: str | None,
    parser_version: str,
    parsed_at: datetime,
    *,
    fresh: bool = False,
) -> None:
    """Set the version's parse fields and replace its sections, cells and parser findings.

    ``fresh``: the version was just created, so it has no rows to replace.
    """
    metadata = (report or {}).get("metadata") or {}
    version.parse_status = "ok" if report is not None and error is None else "error"
    version.parse_error = error if report is None or error else None
    version.parser_version = parser_version
    version.parsed_at = parsed_at
    version.report_json = report
    version.title = metadata.get("title")
    version.template = metadata.get("template") if report is not None else None
    version.region = metadata.get("region")
    version.completeness = completeness_of(report)
    if metadata.get("agency"):
        version.agency = metadata["agency"]
    session.flush()

    if not fresh:
        for model in (SectionRow, CellRow):
            session.execute(sa.delete(model).where(model.version_id == version.id))
        session.execute(sa.delete(FindingRow).where(FindingRow.version_id == version.id, FindingRow.source == "parser"))
    if report is None:
        return
    sections = [
        {"version_id": version.id, "position": i, "number": s["number"], "heading": s["heading"], "text": s["text"]}
        for i, s in enumerate(report.get("sections") or [])
    ]
    cells = [
        {
            "version_id": version.id,
            "position": i,
            "table_name": c.table,
            "item": c.item,
            "row_key": c.row,
            "column_key": c.column,
            "row_label": c.row_label,
            "raw": c.cell.get("raw", ""),
            "value": c.cell.get("value"),
            "unit": c.cell.get("unit"),
            "state": c.cell.get("state", "text"),
            "value_wan": c.cell.get("value_wan"),
            "location": c.cell.get("location"),
        }
        for i, c in enumerate(named_cells(report))
    ]
    findings = [finding_row(version.id, "parser", f) for f in report.get("findings") or []]
    connection = session.connection()
    for model, rows in ((SectionRow, sections), (CellRow, cells), (FindingRow, findings)):
        if rows:  # Core executemany: these rows are never loaded back as objects in this session
            connection.execute(model.__table__.insert(), rows)


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
