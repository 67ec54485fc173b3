"""Exporting report versions and their cells: one row per (version, cell), as CSV, JSON lines
or Parquet. Rows are streamed, so exporting a large archive does not hold it in memory."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterator, Literal

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.clock import as_utc
from storage.models import CellRow, Report, Version
from storage.query import QueryFilters, filtered_versions, plain_number
from storage.spreadsheet_safe import spreadsheet_safe

ExportFormat = Literal["csv", "jsonl", "parquet"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "jsonl", "parquet")

SCHEMA = pa.schema([
    ("report_id", pa.int64()), ("agency", pa.string()), ("year", pa.int32()), ("kind", pa.string()),
    ("version_no", pa.int32()), ("version_id", pa.int64()), ("template", pa.string()), ("region", pa.string()),
    ("parse_status", pa.string()), ("parser_version", pa.string()), ("first_seen", pa.string()),
    ("table", pa.string()), ("item", pa.string()), ("row", pa.string()), ("row_label", pa.string()),
    ("column", pa.string()), ("raw", pa.string()), ("value", pa.float64()), ("unit", pa.string()),
    ("state", pa.string()), ("value_wan", pa.float64()),
])
COLUMNS = SCHEMA.names
_BATCH = 5000


def export_rows(
    session: Session, filters: QueryFilters | None = None, selection: sa.Select | None = None
) -> Iterator[dict[str, Any]]:
    """Every cell of every matching version (all versions unless the filters say otherwise).

    ``selection``, a select of (Version, Report) shaped like ``filtered_versions``' (e.g. the
    web interface's facets), replaces the filters. A version without cells (its document did
    not parse, or had no tables) still gives one row, with the cell fields empty, so every
    version appears in an export.
    """
    if selection is None:
        selection = filtered_versions(filters or QueryFilters(all_versions=True))
    versions = selection.subquery()
    v, r = sa.orm.aliased(Version, versions), sa.orm.aliased(Report, versions)
    query = (
        sa.select(
            r.id, r.agency, r.year, r.kind, v.version_no, v.id, v.template, v.region, v.parse_status, v.parser_version,
            v.first_seen, CellRow.table_name, CellRow.item, CellRow.row_key, CellRow.row_label, CellRow.column_key,
            CellRow.raw, CellRow.value, CellRow.unit, CellRow.state, CellRow.value_wan,
        )
        .select_from(versions)
        .outerjoin(CellRow, CellRow.version_id == v.id)
        .order_by(r.agency_key, r.year, r.kind, v.version_no, CellRow.position)
    )
    for row in session.execute(query.execution_options(yield_per=_BATCH)):
        record = dict(zip(COLUMNS, row))
        record["first_seen"] = as_utc(record["first_seen"]).isoformat()
        yield record


def write_export(
    session: Session, path: Path, fmt: ExportFormat, filters: QueryFilters | None = None, selection: sa.Select | None = None
) -> int:
    """Write the export to ``path``; returns the number of rows written."""
    rows = export_rows(session, filters, selection)
    if fmt == "csv":
        return _write_csv(path, rows)
    if fmt == "jsonl":
        return _write_jsonl(path, rows)
    if fmt == "parquet":
        return _write_parquet(path, rows)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _write_csv(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for count, row in enumerate(rows, 1):
            writer.writerow({key: spreadsheet_safe(value) for key, value in {**row, "value": plain_number(row["value"])}.items()})
    return count


def _write_jsonl(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for count, row in enumerate(rows, 1):
            handle.write(json.dumps({**row, "value": plain_number(row["value"])}, ensure_ascii=False) + "\n")
    return count


def _write_parquet(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    with pq.ParquetWriter(path, SCHEMA) as writer:
        batch: list[dict[str, Any]] = []
        for count, row in enumerate(rows, 1):
            batch.append(row)
            if len(batch) == _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
    return count
