"""A fleet outlives a restart of its Redis or of its PostgreSQL: the workers wait, resume
when the server is back, and the crawl ends with every report recorded once and the run's
figures counted once. Each test kills servers of its own (killable), never the shared ones."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import sqlalchemy as sa
from archive_view import runs
from conftest import slowed_site
from fleet import assert_every_report_once, finish, reports_stored, seed, start_worker, worker_log

from fixtures.killable import PostgresCluster, RedisServer
from storage.db import create_engine, retrying

pytestmark = pytest.mark.slow
SITE = "slow-shandong"
PORTAL = "sd"
OUTAGE_SECONDS = 3.0


@pytest.fixture
def slow_site(portal, sites_dir: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The Shandong fixture portal with a delay between requests, so that a crawl lasts long
    enough to be cut in the middle; the environment its crawls need."""
    slowed_site(sites_dir, "fixture-shandong", SITE, download_delay=0.4, concurrency=2)
    return {"HARVESTER_POLITE": "1", "HARVESTER_SITES_DIR": str(sites_dir), "HARVESTER_LEASE_SECONDS": "6"}


@pytest.fixture
def own_postgres() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.remove()


def redis_server(tmp_path: Path, persist: bool) -> RedisServer:
    server = RedisServer(tmp_path / "redis", persist=persist)
    server.start()
    return server


def wait_mid_crawl(db_url: str, total: int) -> None:
    """Until some of the site's reports are recorded, but not all: the crawl is under way."""
    deadline = time.monotonic() + 120
    while (stored := reports_stored(db_url)) < 2:
        assert time.monotonic() < deadline, "the workers recorded nothing"
        time.sleep(0.1)
    assert stored < total, "the crawl ended before the outage: make the site slower"


def site_run(db_url: str) -> tuple[str, dict[str, Any]]:
    [(_, _, _, status, stats)] = [r for r in runs(db_url) if r[1] == SITE]
    return status, stats


def crawl_through_outage(db_url: str, redis_url: str, outage: Callable[[], None], back: Callable[[], None],
                         env: dict[str, str], data_dir: Path, reports: int) -> list[str]:
    """Two workers crawl the site; mid-crawl ``outage()`` takes a server away and, after a
    while with both workers still waiting, ``back()`` restarts it; the workers' logs."""
    seed([SITE], db_url, data_dir, redis_url, **env)
    workers = [start_worker([SITE], db_url, data_dir, redis_url, f"w{i}", **env) for i in range(2)]
    wait_mid_crawl(db_url, reports)
    outage()
    time.sleep(OUTAGE_SECONDS)
    assert all(worker.poll() is None for worker in workers), "a worker stopped when its server went away"
    back()
    finish(workers)
    return [worker_log(worker) for worker in workers]


def test_workers_wait_through_a_redis_restart_that_keeps_its_data(slow_site, manifest, postgres_url: str,
                                                                  data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = redis_server(tmp_path, persist=True)
    reports = len(manifest["portals"][PORTAL]["reports"])
    try:
        logs = crawl_through_outage(postgres_url, server.url, server.kill, server.start, slow_site, data_dir, reports)
    finally:
        server.stop()
    assert any("Redis unreachable" in log for log in logs), [log[-3000:] for log in logs]  # they waited
    assert_every_report_once(manifest, postgres_url, [PORTAL])
    status, stats = site_run(postgres_url)
    assert status == "ok"
    # Counted once: a count whose reply the restart lost is not added again when resent.
    assert stats["new_reports"] == reports
    assert sum(w.get("new_reports", 0) for w in stats["workers"].values()) == reports


def test_a_redis_restart_without_persistence_loses_the_queue_and_a_new_seed_completes_it(
        slow_site, manifest, postgres_url: str, data_dir: Path, tmp_path: Path,
        sites_dir: Path) -> None:  # type: ignore[no-untyped-def]
    server = redis_server(tmp_path, persist=False)
    try:
        seed([SITE], postgres_url, data_dir, server.url, **slow_site)
        workers = [start_worker([SITE], postgres_url, data_dir, server.url, f"w{i}", **slow_site) for i in range(2)]
        reports = len(manifest["portals"][PORTAL]["reports"])
        wait_mid_crawl(postgres_url, reports)
        server.kill()
        time.sleep(OUTAGE_SECONDS)
        server.start()
        # Redis came back empty: the run's queue and figures are gone, so the workers find no
        # work and stop, and the run stays open in the archive (nothing says it is complete).
        finish(workers)
        assert site_run(postgres_url)[0] == "running"
        # Seeding again starts a new run (closing the lost one as interrupted) that fetches
        # everything again and records only what the lost run had not; no outage is to come,
        # so it need not be slow.
        slowed_site(sites_dir, "fixture-shandong", SITE, download_delay=0.05, concurrency=2)
        seed([SITE], postgres_url, data_dir, server.url, **slow_site)
        finish([start_worker([SITE], postgres_url, data_dir, server.url, "w-again", **slow_site)])
    finally:
        server.stop()
    assert_every_report_once(manifest, postgres_url, [PORTAL])
    assert sorted(status for _, site, _, status, _ in runs(postgres_url) if site == SITE) == ["interrupted", "ok"]


def test_workers_wait_through_a_postgresql_restart(slow_site, manifest, own_postgres: PostgresCluster, data_dir: Path,
                                                   tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = redis_server(tmp_path, persist=True)
    db_url = own_postgres.url
    reports = len(manifest["portals"][PORTAL]["reports"])
    try:
        # An immediate stop is a crash to PostgreSQL: what was not committed is rolled back.
        logs = crawl_through_outage(db_url, server.url, own_postgres.crash, own_postgres.start, slow_site, data_dir,
                                    reports)
    finally:
        server.stop()
    assert any("database unreachable" in log for log in logs)  # a write waited
    # Waited, not failed: no item was dropped with an error on the way.
    assert not [line[:2000] for log in logs for line in log.splitlines() if "ERROR" in line or "Error:" in line]
    assert_every_report_once(manifest, db_url, [PORTAL])
    status, stats = site_run(db_url)
    assert status == "ok" and stats["new_reports"] == reports


def test_a_write_cut_by_a_postgresql_crash_is_redone_whole(own_postgres: PostgresCluster) -> None:
    engine = create_engine(own_postgres.url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE pairs (n int)"))
    attempts = []

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO pairs VALUES (1)"))
            attempts.append(1)
            if len(attempts) == 1:  # the server crashes between the two halves of the write
                own_postgres.crash()
                threading.Timer(OUTAGE_SECONDS, own_postgres.start).start()
            conn.execute(sa.text("INSERT INTO pairs VALUES (2)"))

    retrying(write)
    with engine.connect() as conn:
        assert sorted(conn.execute(sa.text("SELECT n FROM pairs")).scalars()) == [1, 2]
    engine.dispose()
    assert len(attempts) == 2
