"""Helpers for the fleet tests: a Redis database of the test's own, worker processes, and
what the archive must hold after a fleet crawl."""

from __future__ import annotations

import signal
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from archive_view import stored_reports
from conftest import crawl_env, harvester_cmd

REDIS_BASE = "redis://127.0.0.1:6379"
_LOGS: dict[int, IO[str]] = {}  # each worker's stderr, by pid


def fleet_env(data_dir: Path, redis_url: str, **extra: str) -> dict[str, str]:
    return {**crawl_env(data_dir), "HARVESTER_REDIS_URL": redis_url, **extra}


def seed(sites: list[str], db_url: str, data_dir: Path, redis_url: str, **extra: str) -> None:
    result = subprocess.run(harvester_cmd("crawl", *sites, "--distributed", "--db", db_url), capture_output=True,
                            text=True, env=fleet_env(data_dir, redis_url, **extra), timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]


def start_worker(sites: list[str], db_url: str, data_dir: Path, redis_url: str, name: str,
                 exit_when_idle: bool = True, **extra: str) -> subprocess.Popen[str]:
    # Its log goes to a file, not a pipe: Scrapy logs a failed item whole, and a worker whose
    # log outgrew a pipe nobody reads before the end would block on writing it and look hung.
    log = tempfile.TemporaryFile("w+", encoding="utf-8")
    worker = subprocess.Popen(
        harvester_cmd("worker", *sites, *(["--exit-when-idle"] if exit_when_idle else []), "--db", db_url),
        env=fleet_env(data_dir, redis_url, HARVESTER_WORKER_NAME=name, **extra),
        stdout=subprocess.DEVNULL, stderr=log, text=True,
    )
    _LOGS[worker.pid] = log
    return worker


def worker_log(worker: subprocess.Popen[str]) -> str:
    log = _LOGS[worker.pid]
    log.seek(0)
    return log.read()


def finish(workers: list[Any], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    for worker in workers:
        try:
            worker.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            # Scrapy's error lines carry whole items: their first 300 characters say enough.
            errors = [line[:300] for line in worker_log(worker).splitlines() if "ERROR" in line or "Error:" in line]
            raise AssertionError("a worker did not finish:\n" + "\n".join(errors[-20:])) from None
        assert worker.returncode in (0, -signal.SIGKILL), worker_log(worker)[-3000:]


def assert_every_report_once(manifest: dict[str, Any], db_url: str, portals: list[str] | None = None) -> None:
    """The portals' reports (all of them by default) are in the archive, each with one version,
    and each report page was recorded as new once."""
    stored = stored_reports(db_url)
    expected = {(r["agency"], r["year"]) for key, p in manifest["portals"].items() if portals is None or key in portals
                for r in p["reports"]}
    assert set(stored) == expected
    assert all(len(report.versions) == 1 for report in stored.values())
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        pages = Counter(conn.execute(sa.text(
            "SELECT url FROM captures WHERE role = 'page' AND outcome IN ('new_report', 'new_version')")).scalars())
    engine.dispose()
    assert all(n == 1 for n in pages.values())


def reports_stored(db_url: str) -> int:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM reports")).scalar_one())
    finally:
        engine.dispose()
