"""Archive benchmark: recording versions, typical queries at 10k and 100k versions, bytes stored.

Prints JSON. Recording: ``--versions`` captures (default 10,000) recorded one by one through
``Archive.record``, each a variation of a parsed seed report (a few table cells changed,
five versions per report, 2,000 agencies x years); the cost of an unchanged capture (a
report's latest version captured again) is measured against a new one. What recording
costs a crawl (batches, CPU per capture, 304 answers, archive size) is benchmarks/record.py's. Queries: each timed as the median of several runs, first over
the recorded versions, then after growing the archive to ``--bulk-versions`` (default
100,000) by copying the recorded reports with INSERT ... SELECT (recording 100,000 one by
one takes too long for a benchmark; the copies have the same shape, so query plans see
the same data distribution). Target: every typical query (filters with a limit, one
report's history or diff) < 100 ms at 100k versions; whole-archive aggregations (the
table3_totals view) are reported apart.

Ratios are to baselines measured in the same run on the same database: a one-row insert
and commit (for recording) and a primary-key lookup (for queries), so figures from
different machines compare.

    .venv/bin/python benchmarks/storage.py [--versions 10000] [--bulk-versions 100000] [--db URL]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402

from benchmarks.captures import VERSIONS_PER_REPORT, analyze, seeds, variation  # noqa: E402
from storage.archive import Archive  # noqa: E402
from storage.export import write_export  # noqa: E402
from storage.history import diff_report, report_history, resolve_report  # noqa: E402
from storage.query import QueryFilters, parse_where, run_query  # noqa: E402

TARGET_MS = 100.0


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed(function: Callable[[], Any], runs: int = 5) -> float:
    """Median milliseconds of ``runs`` calls (after one warm-up call)."""
    function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def baseline_commit_ms(archive: Archive, runs: int = 200) -> float:
    with archive.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY, payload TEXT)")
    start = time.perf_counter()
    for i in range(runs):
        with archive.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO bench_baseline (id, payload) VALUES (:i, 'x')"), {"i": i})
    return (time.perf_counter() - start) * 1000 / runs


def queries(archive: Archive, report_ref: str) -> dict[str, float]:
    def run(**filters: Any) -> Callable[[], Any]:
        def go() -> Any:
            with archive.session() as session:
                return run_query(session, QueryFilters(**filters))
        return go

    def history() -> Any:
        with archive.session() as session:
            return report_history(session, resolve_report(session, report_ref))

    def diff() -> Any:
        with archive.session() as session:
            return diff_report(session, resolve_report(session, report_ref))

    big = parse_where("applications.new_received.total > 150")
    return {
        "agency_substring_latest": timed(run(agency="经济开发区12号", limit=100)),
        "year_and_template_latest_limit100": timed(run(year=2021, template="2019", limit=100)),
        "where_cell_latest_limit100": timed(run(where=[big], limit=100)),
        "where_cell_and_year_latest_limit100": timed(run(where=[big], year=2020, limit=100)),
        "finding_rule_latest_limit100": timed(run(finding="X.carry_over", limit=100)),
        "where_cell_all_versions_limit100": timed(run(where=[big], all_versions=True, limit=100)),
        "report_history": timed(history),
        "report_diff_latest": timed(diff),
    }


def analytic(archive: Archive) -> dict[str, float]:
    """Whole-archive aggregations: reported, but not held to the per-query target."""
    def view() -> Any:
        with archive.engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM table3_totals WHERE new_received > 100")).scalar()

    return {"view_table3_totals_over_all_latest": timed(view, runs=3)}


def query_phase(archive: Archive, report_ref: str) -> dict[str, Any]:
    lookup_ms = baseline_lookup_ms(archive)
    ms = queries(archive, report_ref)
    return {
        "baseline_pk_lookup_ms": lookup_ms, "ms": ms, "ratio_to_baseline": {k: round(v / lookup_ms, 1) for k, v in ms.items()},
        "slowest_ms": max(ms.values()), "target_ms": TARGET_MS, "all_under_target": max(ms.values()) < TARGET_MS,
        "analytic_ms": analytic(archive), "peak_rss_mb": peak_rss_mb(),
    }


def baseline_lookup_ms(archive: Archive) -> float:
    def lookup() -> Any:
        with archive.engine.connect() as conn:
            return conn.execute(sa.text("SELECT id FROM versions WHERE id = 1")).scalar()
    return timed(lookup, runs=50)


# Tables hanging off a version, with the columns a copy carries over.
VERSION_CHILDREN = {
    "cells": "position, table_name, item, row_key, column_key, row_label, raw, value, unit, state, value_wan, address_id",
    "sections": "position, number, heading, text",
    "findings": "source, rule, severity, table_name, row_key, column_key, printed, expected, message",
}


def _prefixed(alias: str, columns: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in columns.split(","))


def grow(archive: Archive, target_versions: int) -> int:
    """Copy the recorded reports (with versions, cells, sections, findings, changes) until ``target_versions``."""
    with archive.engine.connect() as conn:
        original_reports = conn.execute(sa.text("SELECT max(id) FROM reports")).scalar()
        original_versions = conn.execute(sa.text("SELECT count(*) FROM versions")).scalar()
    copies = max(0, -(-target_versions // original_versions) - 1)
    for k in range(1, copies + 1):  # a transaction per copy keeps SQLite's write-ahead log small
        with archive.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO reports (agency_key, agency, year, kind, site, first_seen, last_seen) "
                "SELECT agency_key || :suffix, agency || :suffix, year, kind, site, first_seen, last_seen "
                "FROM reports WHERE id <= :last ORDER BY id"), {"suffix": f"#{k}", "last": original_reports})
            conn.execute(sa.text("CREATE TEMPORARY TABLE vmap AS "
                "SELECT v.id AS old_id, r2.id AS new_report_id FROM versions v "
                "JOIN reports r ON r.id = v.report_id "
                "JOIN reports r2 ON r2.agency_key = r.agency_key || :suffix AND r2.year = r.year AND r2.kind = r.kind "
                "WHERE r.id <= :last"), {"suffix": f"#{k}", "last": original_reports})
            columns = ("version_no, content_key, fingerprint, first_seen, last_seen, page_url, page_sha256, document_url, "
                       "listing_title, listing_date, hints, parse_status, parse_error, parser_version, parsed_at, agency, "
                       "title, template, region, report_json")
            conn.execute(sa.text(
                f"INSERT INTO versions (report_id, {columns}) "
                f"SELECT m.new_report_id, {_prefixed('v', columns)} "
                "FROM vmap m JOIN versions v ON v.id = m.old_id ORDER BY v.id"))
            conn.execute(sa.text("CREATE TEMPORARY TABLE idmap AS SELECT m.old_id, v2.id AS new_id FROM vmap m "
                                 "JOIN versions v ON v.id = m.old_id "
                                 "JOIN versions v2 ON v2.report_id = m.new_report_id AND v2.version_no = v.version_no"))
            for table, columns in VERSION_CHILDREN.items():
                conn.execute(sa.text(
                    f"INSERT INTO {table} (version_id, {columns}) SELECT i.new_id, {_prefixed('t', columns)} "
                    f"FROM idmap i JOIN {table} t ON t.version_id = i.old_id"))
            conn.execute(sa.text(
                "INSERT INTO changes (version_id, previous_version_id, significance, summary) "
                "SELECT i.new_id, p.new_id, c.significance, c.summary FROM changes c "
                "JOIN idmap i ON i.old_id = c.version_id JOIN idmap p ON p.old_id = c.previous_version_id"))
            conn.execute(sa.text(
                "UPDATE reports SET latest_version_id = (SELECT v.id FROM versions v WHERE v.report_id = reports.id "
                "ORDER BY v.version_no DESC LIMIT 1) WHERE latest_version_id IS NULL"))
            conn.execute(sa.text("DROP TABLE vmap"))
            conn.execute(sa.text("DROP TABLE idmap"))
    analyze(archive)
    with archive.engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM versions")).scalar()


def stored_bytes(archive: Archive, data_dir: Path) -> dict[str, int]:
    blobs = sum(p.stat().st_size for p in (data_dir / "blobs").rglob("*") if p.is_file())
    with archive.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            database = conn.exec_driver_sql("PRAGMA page_count").scalar() * conn.exec_driver_sql("PRAGMA page_size").scalar()
        else:
            database = conn.execute(sa.text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'")).scalar()
    return {"blobs": blobs, "database": int(database)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--bulk-versions", type=int, default=100_000)
    parser.add_argument("--unchanged-samples", type=int, default=500)
    parser.add_argument("--db", help="An empty database URL (default: a fresh SQLite file in a temporary directory).")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary data directory (blobs, SQLite file).")
    args = parser.parse_args()

    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="bench-storage-"))
    archive = Archive.open(args.db or f"sqlite:///{workdir / 'archive.sqlite3'}", workdir)
    bases = seeds()
    result: dict[str, Any] = {"database": archive.engine.dialect.name, "versions_requested": args.versions}
    result["baseline_commit_ms"] = round(baseline_commit_ms(archive), 3)

    captures = (variation(bases, n) for n in range(args.versions))
    outcomes: dict[str, int] = {}
    start, cpu_start = time.perf_counter(), time.process_time()
    for capture in captures:
        outcome = archive.record(capture).outcome
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    record_seconds = time.perf_counter() - start
    new_ms = record_seconds * 1000 / args.versions
    result["record"] = {
        "outcomes": outcomes, "seconds": round(record_seconds, 1), "ms_per_new_version": round(new_ms, 2),
        "cpu_ms_per_new_version": round((time.process_time() - cpu_start) * 1000 / args.versions, 2),
        "ratio_to_baseline_commit": round(new_ms / result["baseline_commit_ms"], 1), "peak_rss_mb": peak_rss_mb(),
    }

    # Only a report's latest version captured again is unchanged; an earlier one is a revert.
    latest = range(VERSIONS_PER_REPORT - 1, args.versions, VERSIONS_PER_REPORT)
    sample = random.Random(7).sample(latest, min(args.unchanged_samples, len(latest)))
    again = [variation(bases, n) for n in sample]
    start = time.perf_counter()
    unchanged = sum(archive.record(capture).outcome == "unchanged" for capture in again)
    unchanged_ms = (time.perf_counter() - start) * 1000 / len(again)
    result["unchanged"] = {
        "captures": len(again), "all_unchanged": unchanged == len(again), "ms_per_capture": round(unchanged_ms, 2),
        "ratio_to_new_version": round(unchanged_ms / new_ms, 3),
    }
    versions_now = args.versions
    result["bytes_per_version"] = {k: v // versions_now for k, v in stored_bytes(archive, workdir).items()}
    result["bytes_per_version"]["total"] = sum(result["bytes_per_version"].values())

    analyze(archive)
    report_ref = "1"
    result[f"queries_at_{versions_now}"] = query_phase(archive, report_ref)

    export_path = workdir / "export.parquet"
    start = time.perf_counter()
    with archive.session() as session:
        rows = write_export(session, export_path, "parquet")
    result["export_parquet"] = {"rows": rows, "seconds": round(time.perf_counter() - start, 2), "peak_rss_mb": peak_rss_mb()}

    if args.bulk_versions > versions_now:
        start = time.perf_counter()
        grown = grow(archive, args.bulk_versions)
        result[f"queries_at_{grown}"] = {
            "made_by": "bulk INSERT ... SELECT copies of the recorded reports",
            "grow_seconds": round(time.perf_counter() - start, 1),
            **query_phase(archive, report_ref),
        }
    archive.close()
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    if args.keep:
        result["workdir"] = str(workdir)
    else:
        shutil.rmtree(workdir)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
