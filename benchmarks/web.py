"""Web interface benchmark: the time of each page over real HTTP on an archive of 100k versions.

Prints JSON. The archive is made as ``benchmarks/storage.py`` makes it: ``--versions``
captures (default 2,000) recorded through ``Archive.record``, then grown to
``--bulk-versions`` (default 100,000) by INSERT ... SELECT copies. The web application then
runs under uvicorn on 127.0.0.1 and each page is fetched over one keep-alive connection:
the median of ``--runs`` requests after a warm-up. Target: every page under 200 ms on
SQLite. The baseline, measured in the same run, is a static file from the same server, so
the ratios say what the pages cost beyond HTTP and the framework.

    .venv/bin/python benchmarks/web.py [--versions 2000] [--bulk-versions 100000] [--db URL]
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import resource
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import uvicorn  # noqa: E402

from harvester.web.app import create_app  # noqa: E402
from storage.archive import Archive  # noqa: E402

TARGET_MS = 200.0


def storage_benchmark() -> Any:
    """benchmarks/storage.py as a module (its name would shadow the ``storage`` package)."""
    spec = importlib.util.spec_from_file_location("bench_storage", REPO / "benchmarks" / "storage.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(archive: Archive, versions: int, bulk_versions: int) -> int:
    bench = storage_benchmark()
    bases = bench.seeds()
    for n in range(versions):
        archive.record(bench.variation(bases[(n // bench.VERSIONS_PER_REPORT) % len(bases)], n))
    return bench.grow(archive, bulk_versions) if bulk_versions > versions else versions


def serve(archive: Archive) -> tuple[uvicorn.Server, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(archive), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, port


def timed_get(connection: http.client.HTTPConnection, path: str, runs: int) -> tuple[float, int]:
    """Median milliseconds of ``runs`` GETs (after one warm-up) and the response size."""
    samples, size = [], 0
    for attempt in range(runs + 1):
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}: {body[:200]!r}")
        size = len(body)
        if attempt:
            samples.append(elapsed)
    return round(statistics.median(samples), 2), size


def pages(archive: Archive) -> dict[str, str]:
    """One URL of each kind, on a report in the middle of the archive with more than one version."""
    import sqlalchemy as sa

    from storage.models import Report, Version

    with archive.session() as session:
        count = session.scalar(sa.select(sa.func.count()).select_from(Report)) or 0
        report = session.scalars(
            sa.select(Report).join(Version, Version.id == Report.latest_version_id)
            .where(Version.version_no > 1, Report.id >= count // 2).order_by(Report.id).limit(1)
        ).one()
        latest = session.get(Version, report.latest_version_id)
        assert latest is not None
    card = f"/reports/{report.id}"
    return {
        "overview": "/",
        "reports": "/reports",
        "reports_filtered": f"/reports?year={report.year}&has_errors=1&changed=1",
        "reports_agency_search": f"/reports?agency={quote(report.agency[:4])}",
        "reports_page_100": "/reports?page=100",
        "report_card": card,
        "report_card_json": card + ".json",
        "diff": f"{card}/diff/1..{latest.version_no}",
        "evidence": f"{card}/versions/{latest.version_no}/evidence?cell=applications.new_received.total",
        "agency": f"/agencies/{quote(report.agency)}",
        "agency_json": f"/agencies/{quote(report.agency)}.json",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=2_000)
    parser.add_argument("--bulk-versions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", help="An empty database URL (default: a fresh SQLite file in a temporary directory).")
    args = parser.parse_args()

    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    archive = Archive.open(args.db or f"sqlite:///{workdir / 'archive.sqlite3'}", workdir)
    try:
        versions = build(archive, args.versions, args.bulk_versions)
        build_seconds = time.perf_counter() - started
        server, port = serve(archive)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        baseline_ms, _ = timed_get(connection, "/static/app.css", args.runs * 3)
        ms, sizes = {}, {}
        for name, path in pages(archive).items():
            ms[name], sizes[name] = timed_get(connection, path, args.runs)
        # A facet that reads every latest parse's JSON (no column holds it yet): reported apart.
        apart = {"reports_incomplete_parse": timed_get(connection, "/reports?incomplete=1", 3)[0]}
        connection.close()
        server.should_exit = True
        result = {
            "database": archive.engine.dialect.name,
            "versions": versions,
            "build_seconds": round(build_seconds, 1),
            "baseline_static_file_ms": baseline_ms,
            "ms": ms,
            "ratio_to_baseline": {k: round(v / baseline_ms, 1) for k, v in ms.items()},
            "bytes": sizes,
            "slowest_ms": max(ms.values()),
            "target_ms": TARGET_MS,
            "all_under_target": max(ms.values()) < TARGET_MS,
            "reported_apart_ms": apart,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "total_seconds": round(time.perf_counter() - started, 1),
        }
    finally:
        archive.close()
        shutil.rmtree(workdir, ignore_errors=True)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
