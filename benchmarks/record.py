"""Recording benchmark: CPU per new version, per unchanged capture and per 304 capture,
at archive sizes of 0, 10,000 and 100,000 versions, on SQLite and on PostgreSQL.

Captures go through ``Archive.record_many`` in batches of the crawl's record pipeline, as
a crawl's writer records them. At each size three kinds are recorded: new versions (the
five versions of fresh reports, ``benchmarks.captures``), unchanged captures (the latest
version of those reports fetched again, same bytes and parse) and not-modified captures
(the same pages answering 304: no bytes, no parse). Each parse comes as a crawl's parse
worker sends it: with the parts of its content key (``storage.capture.ContentParts``) and its
report packed as JSON, which the timed recording takes as the writer does (``with_reports``:
the report's metadata, and its text read only to write a new version). The
archive grows between sizes by copying the first size's reports with the rows recording
looks up (reports, versions, captures, URLs, agencies, page paragraphs) through INSERT ...
SELECT under shifted ids, so recording 100,000 versions one by one is not what the benchmark
spends its time on. The copies carry their cells too, each copied version's numbers its own
(no two agencies print the same figures): a new version's cells go into the index by address
among the archive's others. They carry no other parse rows (sections, findings, report
JSON), which recording only appends to. Last, the largest size's reports are given a year
of daily re-checks (each page's 304 capture copied a day apart, 365 times) and fetched once
more, unchanged and then answering 304: a page's captures grow by one a fetch, and recording
must not grow with them.

Before the first size, a warm-up of ``WARM_UP_VERSIONS`` new versions (twenty reports) and
their unchanged and 304 captures is recorded the same way and reported as ``warm_up``, held
to no target: what a fresh process pays once, the writer once a crawl.

CPU is this process's (``time.process_time``), its garbage collector set as the writer's
(``collect_seldom``); on PostgreSQL the server's CPU for our connections is read from /proc
and reported beside it (same machine). On SQLite each kind ends by checkpointing the WAL, so
it pays for copying its own pages into the file and no other's. Targets (issue 15):
<= 3 ms CPU per new version, <= 0.3 ms per unchanged or not-modified capture. Ratios are to
a floor measured in the same run on the same database: one batched Core INSERT of one
capture-sized row per capture.

    .venv/bin/python benchmarks/record.py [--quick] [--db sqlite|postgresql|both] [--pg-url URL] [--profile FILE]

``--profile`` writes cProfile statistics of the recording calls, timed in CPU as the figures are.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402

from benchmarks.captures import VERSIONS_PER_REPORT, Seed, analyze, not_modified, page_url, seeds, variation  # noqa: E402
from harvester.pipelines.bodies import PackedReport, with_reports  # noqa: E402
from harvester.pipelines.record import BATCH_SIZE  # noqa: E402
from harvester.pipelines.workers import collect_seldom  # noqa: E402
from storage.archive import Archive  # noqa: E402
from storage.capture import CaptureInput  # noqa: E402
from storage.fingerprint import capture_content, content_parts  # noqa: E402
from storage.models import Capture  # noqa: E402

SIZES = (0, 10_000, 100_000)
QUICK_SIZES = (0, 1_000, 5_000)
TARGET_NEW_MS = 3.0
TARGET_UNCHANGED_MS = 0.3
PG_URL = os.environ.get("HARVESTER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DAY = 24 * 60
HISTORY_DAYS = 365  # the daily re-checks behind each page in the last phase
# Each size records reports of its own: far apart ranges of capture numbers.
RANGE = 10_000_000
# Recorded first, apart from the sizes: what a fresh process pays once (statements compiled,
# code first run) went into the first size's figures, an unchanged capture at 0 versions
# 0.32 ms against 0.18 ms for the next 250 captures, where a crawl's writer pays it once.
WARM_UP_VERSIONS = 100


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class ServerCpu:
    """CPU seconds of the PostgreSQL backends serving this benchmark's connections (0 on SQLite)."""

    def __init__(self, engine: sa.Engine, application: str | None) -> None:
        self.engine = engine
        self.application = application
        self.tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        if self.application is None:
            return 0.0
        with self.engine.connect() as conn:
            pids = conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE application_name = :a"),
                                {"a": self.application}).scalars().all()
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / self.tick


@dataclass
class Meter:
    server: ServerCpu

    @contextmanager
    def measure(self, count: int, into: dict[str, Any]) -> Iterator[None]:
        wall, cpu, server = time.perf_counter(), time.process_time(), self.server.seconds()
        yield
        cpu_ms = (time.process_time() - cpu) * 1000 / count
        into.update(captures=count, cpu_ms=round(cpu_ms, 3), wall_ms=round((time.perf_counter() - wall) * 1000 / count, 3))
        if self.server.application is not None:
            into["server_cpu_ms"] = round((self.server.seconds() - server) * 1000 / count, 3)


def record_in_batches(archive: Archive, captures: list[CaptureInput]) -> Counter[str]:
    """The captures recorded as the crawl's writer records a batch: their packed reports taken
    as the writer takes them (``with_reports``), then ``record_many``."""
    outcomes: Counter[str] = Counter()
    for start in range(0, len(captures), BATCH_SIZE):
        batch = [with_reports(capture) for capture in captures[start:start + BATCH_SIZE]]  # type: ignore[arg-type]
        outcomes.update(r.outcome for r in archive.record_many(batch))
    return outcomes


def floor_ms(archive: Archive, meter: Meter, rows: int) -> float:
    """CPU per row of a batched Core INSERT of capture-sized rows, a batch per transaction."""
    table = sa.Table(f"bench_floor_{uuid.uuid4().hex[:8]}", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("url", sa.Text), sa.Column("fetched_at", sa.DateTime(timezone=True)), sa.Column("sha256", sa.String(64)))
    table.create(archive.engine)
    now = datetime.now(timezone.utc)
    figures: dict[str, Any] = {}
    with meter.measure(rows, figures):
        for start in range(0, rows, BATCH_SIZE):
            with archive.engine.begin() as conn:
                conn.execute(table.insert(), [{"url": f"http://bench.test/floor/{i}", "fetched_at": now, "sha256": "0" * 64}
                                              for i in range(start, min(rows, start + BATCH_SIZE))])
    table.drop(archive.engine)
    return figures["cpu_ms"] + figures.get("server_cpu_ms", 0.0)


def checkpoint(archive: Archive) -> None:
    """Copy what the WAL holds into the SQLite file, as part of the kind of captures that wrote it.

    SQLite checkpoints in the commit that takes the WAL past 1,000 pages, whatever wrote them:
    the 50 unchanged captures of a ``--quick`` size, recorded after 250 new versions, paid for
    copying the new versions' pages, 0.1-0.2 ms a capture. PostgreSQL's checkpoints are its
    own process's, not a backend's."""
    if archive.engine.dialect.name == "sqlite":
        with archive.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def judged(figures: dict[str, Any], target: float, floor: float) -> dict[str, Any]:
    cpu = figures["cpu_ms"]
    return {**figures, "target_cpu_ms": target, "meets_target": cpu <= target,
            "ratio_to_floor": round((cpu + figures.get("server_cpu_ms", 0.0)) / floor, 1) if floor else None}


def _prepared(captures: list[CaptureInput], run_id: int) -> list[CaptureInput]:
    for capture in captures:
        capture.run_id = run_id
        if capture.parse is not None:  # as the crawl's parse worker sends its parse: with its content key's parts, packed
            capture.parse.content = content_parts(capture_content(capture, [], capture.parse))
            if capture.parse.report is not None:
                capture.parse.report = PackedReport.pack(capture.parse.report)  # type: ignore[assignment]
    return captures


def measured(archive: Archive, meter: Meter, kinds: list[tuple[str, list[CaptureInput], set[str], float]], floor: float,
             profile: cProfile.Profile | None = None) -> dict[str, Any]:
    """Each kind's captures recorded in batches, timed: (name, captures, outcomes expected, target ms)."""
    result: dict[str, Any] = {}
    for name, captures, expected, target in kinds:
        figures: dict[str, Any] = {}
        with meter.measure(len(captures), figures):
            if profile is not None:
                profile.enable()
            outcomes = record_in_batches(archive, captures)
            if profile is not None:
                profile.disable()
            checkpoint(archive)
        if set(outcomes) != expected:
            raise SystemExit(f"{name}: expected only {sorted(expected)}, recorded {dict(outcomes)}")
        result[name] = judged({**figures, "outcomes": dict(outcomes)}, target, floor)
    return result


def _latest(first: int, versions: int) -> list[int]:
    """The capture numbers of the last version of each report in the range."""
    return [n for n in range(first, first + versions) if n % VERSIONS_PER_REPORT == VERSIONS_PER_REPORT - 1]


def record_phase(archive: Archive, meter: Meter, bases: list[Seed], first: int, versions: int, floor: float,
                 profile: cProfile.Profile | None = None) -> dict[str, Any]:
    """New versions of fresh reports, then the latest of each again unchanged, then answering 304."""
    run_id = archive.start_run("bench")
    new = _prepared([variation(bases, n) for n in range(first, first + versions)], run_id)
    again = _prepared([variation(bases, n, minutes=DAY) for n in _latest(first, versions)], run_id)
    unmodified = _prepared([not_modified(capture, minutes=2 * DAY) for capture in again], run_id)
    result = measured(archive, meter, [("new_version", new, {"new_report", "new_version"}, TARGET_NEW_MS),
                                       ("unchanged", again, {"unchanged"}, TARGET_UNCHANGED_MS),
                                       ("not_modified", unmodified, {"unchanged"}, TARGET_UNCHANGED_MS)], floor, profile)
    archive.finish_run(run_id, "ok", {})
    return result


def a_year_later(archive: Archive, meter: Meter, bases: list[Seed], first: int, versions: int, floor: float,
                 profile: cProfile.Profile | None = None) -> dict[str, Any]:
    """The reports of ``record_phase(first, versions)`` after a year of daily re-checks (each
    page's 304 capture copied a day apart, ``HISTORY_DAYS`` times), fetched once more unchanged
    and then answering 304: what recording costs once each page has a long history of captures."""
    started = time.perf_counter()
    latest = _latest(first, versions)
    table = Capture.__table__
    with archive.engine.begin() as conn:
        answered = conn.execute(sa.select(table).where(table.c.url.in_([page_url(n // VERSIONS_PER_REPORT) for n in latest]),
                                                       table.c.status == "not_modified")).mappings().all()
        copies = [{**{k: v for k, v in row.items() if k != "id"}, "fetched_at": row["fetched_at"] - timedelta(days=day)}
                  for row in answered for day in range(1, HISTORY_DAYS + 1)]
        conn.execute(table.insert(), copies)
    analyze(archive)
    run_id = archive.start_run("bench")
    again = _prepared([variation(bases, n, minutes=3 * DAY) for n in latest], run_id)
    unmodified = _prepared([not_modified(capture, minutes=DAY) for capture in again], run_id)
    result = {"history": {"captures_added": len(copies), "days": HISTORY_DAYS,
                          "seconds": round(time.perf_counter() - started, 1)}}
    result.update(measured(archive, meter, [("unchanged", again, {"unchanged"}, TARGET_UNCHANGED_MS),
                                            ("not_modified", unmodified, {"unchanged"}, TARGET_UNCHANGED_MS)],
                           floor, profile))
    archive.finish_run(run_id, "ok", {})
    return result


# Columns holding the id of a row of another table (no foreign key declared for some).
REFERENCES = {
    "agency_id": "agencies", "report_id": "reports", "latest_version_id": "versions", "version_id": "versions",
    "previous_version_id": "versions", "page_capture_id": "captures",
}
# Columns that must stay unique (or that lookups go by): a copy's own value.
SUFFIXED = {"agencies": ("key", "tail"), "agency_aliases": ("alias",), "reports": ("agency_key", "agency"),
            "report_urls": ("url",), "versions": ("page_url", "document_url"), "captures": ("url",)}
# What recording looks up or appends to with an index to maintain. The cells are copied (~200
# rows a version): a version's cells go into their index by address among every stored cell of
# the same addresses, so what that costs grows with the archive. A copy's other parse rows
# (sections, findings, report JSON: some 20 KB a version) are left out: recording only appends
# to them, and copying them made 100,000 versions take an hour and 9 GB.
COPIED = ("agencies", "agency_aliases", "reports", "report_urls", "versions", "version_attachments", "captures",
          "page_units", "report_events", "cells")
EMPTIED = {"versions": ("report_json",)}
# A copied version's numbers are its own, as another agency's report's are: the base reports
# are variations of five seeds, and an index by value meets five values an address where an
# archive of real reports has thousands.
SHIFTED = {("cells", "value"): "value + (version_id + :off_versions) % 100"}
WITH_ID = ("agencies", "reports", "report_urls", "versions", "captures", "findings", "report_events")


def _copy_statement(table: sa.Table) -> tuple[str, str]:
    """INSERT ... SELECT of the table's base rows under shifted ids; (statement, the column choosing base rows)."""
    exprs, chooser = [], None
    for column in table.columns:
        name = column.name
        if name == "id":
            exprs.append(f"id + :off_{table.name}")
            chooser = chooser or (name, table.name)
        elif name in REFERENCES:
            exprs.append(f"{name} + :off_{REFERENCES[name]}")
            chooser = chooser or (name, REFERENCES[name])
        elif name in SUFFIXED.get(table.name, ()):
            exprs.append(f"{name} || :suffix")
        elif name in EMPTIED.get(table.name, ()):
            exprs.append("NULL")
        elif (table.name, name) in SHIFTED:
            exprs.append(SHIFTED[table.name, name])
        else:
            exprs.append(name)
    assert chooser is not None, table.name
    column, owner = chooser
    columns = ", ".join(c.name for c in table.columns)
    return (f"INSERT INTO {table.name} ({columns}) SELECT {', '.join(exprs)} FROM {table.name} "
            f"WHERE {column} <= :base_{owner}"), owner


def grow(archive: Archive, base: dict[str, int], target: int) -> dict[str, Any]:
    """Copy the base reports (ids up to ``base``) until the archive holds ``target`` versions."""
    started = time.perf_counter()
    metadata = sa.MetaData()
    metadata.reflect(archive.engine, only=COPIED)
    statements = [_copy_statement(metadata.tables[name]) for name in COPIED]
    copies = 0
    while True:
        with archive.engine.begin() as conn:
            count = conn.execute(sa.text("SELECT count(*) FROM versions")).scalar_one()
            if count + base["versions_count"] > target:
                break
            values: dict[str, Any] = {"suffix": f"#{uuid.uuid4().hex[:8]}"}
            for name in WITH_ID:
                values[f"off_{name}"] = conn.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {name}")).scalar_one()
                values[f"base_{name}"] = base[name]
            for statement, _ in statements:
                conn.execute(sa.text(statement), values)
        copies += 1
    with archive.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for name in WITH_ID:
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT coalesce(max(id), 1) FROM {name}))"))
    analyze(archive)
    return {"copies": copies, "versions": count, "seconds": round(time.perf_counter() - started, 1)}


def base_ids(archive: Archive) -> dict[str, int]:
    with archive.engine.connect() as conn:
        ids = {name: conn.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {name}")).scalar_one() for name in WITH_ID}
        ids["versions_count"] = conn.execute(sa.text("SELECT count(*) FROM versions")).scalar_one()
    return ids


@contextmanager
def database(kind: str, workdir: Path, pg_url: str) -> Iterator[tuple[str, str | None]]:
    """A fresh, empty database of ``kind``: (URL, PostgreSQL application name or None)."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'archive.sqlite3'}", None
        return
    schema = f"bench_record_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{pg_url}?options=-csearch_path%3D{schema}&application_name={schema}", schema
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run_backend(kind: str, sizes: tuple[int, ...], versions: int, bases: list[Seed], pg_url: str,
                profile: cProfile.Profile | None = None) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-record-"))
    result: dict[str, Any] = {}
    try:
        with database(kind, workdir, pg_url) as (url, application):
            archive = Archive.open(url, workdir)
            meter = Meter(ServerCpu(archive.engine, application))
            floor = floor_ms(archive, meter, 2000)
            result["floor_cpu_ms_per_row"] = round(floor, 4)
            result["warm_up"] = record_phase(archive, meter, bases, len(sizes) * RANGE, WARM_UP_VERSIONS, floor)
            base: dict[str, int] | None = None
            for index, size in enumerate(sizes):
                phase: dict[str, Any] = {}
                if base is not None:
                    phase["grown"] = grow(archive, base, size)
                phase.update(record_phase(archive, meter, bases, index * RANGE, versions, floor, profile))
                phase["peak_rss_mb"] = peak_rss_mb()
                result[f"at_{size}_versions"] = phase
                if base is None:
                    base = base_ids(archive)
            last = (len(sizes) - 1) * RANGE
            result[f"at_{sizes[-1]}_versions_a_year_later"] = a_year_later(archive, meter, bases, last, versions, floor, profile)
            archive.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES} and fewer captures per size")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg-url", default=PG_URL, help="a PostgreSQL database to make a scratch schema in")
    parser.add_argument("--versions", type=int, help="new versions recorded per size (default 1000, quick 250)")
    parser.add_argument("--profile", type=Path, help="write cProfile statistics of the recording calls here "
                        "(for finding what to speed up; the figures then include the profiler's cost)")
    args = parser.parse_args()
    sizes = QUICK_SIZES if args.quick else SIZES
    versions = args.versions or (250 if args.quick else 1000)
    started = time.perf_counter()
    # The crawl's writer collects cycles seldom; at the collector's default this process
    # walked its whole heap (the captures waiting to be recorded) some half a second of the
    # recording's, which no writer spends.
    collect_seldom()
    bases = seeds()
    result: dict[str, Any] = {"sizes": list(sizes), "new_versions_per_size": versions, "batch_size": BATCH_SIZE,
                              "targets_cpu_ms": {"new_version": TARGET_NEW_MS, "unchanged": TARGET_UNCHANGED_MS,
                                                 "not_modified": TARGET_UNCHANGED_MS}}
    profile = cProfile.Profile(time.process_time) if args.profile else None  # CPU, as the figures
    for kind in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        result[kind] = run_backend(kind, sizes, versions, bases, args.pg_url, profile)
    if profile is not None:
        profile.dump_stats(args.profile)
    result["all_meet_targets"] = all(
        figures["meets_target"] for kind in ("sqlite", "postgresql") if kind in result
        for key, phase in result[kind].items() if key.startswith("at_")
        for name, figures in phase.items() if isinstance(figures, dict) and "meets_target" in figures)
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    result["peak_rss_mb"] = peak_rss_mb()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
