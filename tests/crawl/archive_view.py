"""Reading what a crawl left in the archive, with plain SQL, for the end-to-end tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from storage.cellnames import named_cells


@dataclass
class StoredReport:
    agency: str
    year: int
    site: str | None
    versions: list[dict[str, Any]]  # oldest first: parse_status, parse_error, report_json, document_url

    @property
    def latest(self) -> dict[str, Any]:
        return self.versions[-1]

    def cells(self, index: int = -1) -> dict[str, dict[str, Any]]:
        return {c.address: c.cell for c in named_cells(self.versions[index]["report_json"])}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def stored_reports(db_url: str) -> dict[tuple[str, int], StoredReport]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            reports = conn.execute(sa.text("SELECT id, agency, year, site FROM reports")).fetchall()
            versions = conn.execute(sa.text(
                "SELECT report_id, parse_status, parse_error, report_json, document_url FROM versions ORDER BY id"
            )).fetchall()
    finally:
        engine.dispose()
    by_id = {r.id: StoredReport(r.agency, r.year, r.site, []) for r in reports}
    for v in versions:
        by_id[v.report_id].versions.append(
            {"parse_status": v.parse_status, "parse_error": v.parse_error,
             "report_json": _json(v.report_json), "document_url": v.document_url}
        )
    return {(r.agency, r.year): r for r in by_id.values()}


def captures(db_url: str) -> list[Any]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(
                "SELECT c.url, c.role, c.status, c.outcome, c.http_status, c.error, c.run_id, r.agency, r.year "
                "FROM captures c LEFT JOIN reports r ON r.id = c.report_id ORDER BY c.id"
            )).fetchall()
    finally:
        engine.dispose()


def runs(db_url: str) -> list[Any]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, site, kind, status, stats FROM runs ORDER BY id")).fetchall()
    finally:
        engine.dispose()
    return [(r.id, r.site, r.kind, r.status, _json(r.stats)) for r in rows]
