"""Several workers, one archive: scrapy-redis frontier with leases, fleet politeness and
fleet runs, against real Redis (a database of each test's own) and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
import redis
import sqlalchemy as sa
from archive_view import runs
from conftest import SITE_OF_PORTAL, harvester_cmd, site_variant, slowed_site
from fleet import REDIS_BASE, assert_every_report_once, finish, seed, start_worker

from harvester.distributed import keys
from harvester.distributed.queue import SEEN_TTL_SECONDS

pytestmark = pytest.mark.slow
SITES = list(SITE_OF_PORTAL.values())
# Seconds between a portal's requests; two workers that each kept it alone would fetch at
# twice that rate, gaps near 0 among them.
DELAY = 0.4


@pytest.fixture
def redis_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A Redis database of this test's own, empty before and after."""
    number = 1 + sum(map(ord, request.node.nodeid)) % 14  # 15 is the queue unit tests'
    url = f"{REDIS_BASE}/{number}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


def test_three_workers_share_three_portals(portal, manifest, postgres_url: str, data_dir: Path,
                                           redis_url: str) -> None:  # type: ignore[no-untyped-def]
    seed(SITES, postgres_url, data_dir, redis_url)
    workers = [start_worker(SITES, postgres_url, data_dir, redis_url, f"w{i}") for i in range(3)]
    finish(workers)
    assert_every_report_once(manifest, postgres_url)
    finished = {site: (status, stats) for _, site, _, status, stats in runs(postgres_url)}
    for key, site in SITE_OF_PORTAL.items():
        status, stats = finished[site]
        assert status == "ok" and stats["new_reports"] == len(manifest["portals"][key]["reports"])
        per_worker = stats["workers"]
        assert sum(w.get("new_reports", 0) for w in per_worker.values()) == stats["new_reports"]
    listing = subprocess.run(harvester_cmd("runs", "--db", postgres_url), capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0 and "fixture-trs" in listing.stdout and "  w" in listing.stdout


def test_a_killed_worker_loses_nothing(portal, manifest, postgres_url: str, data_dir: Path,
                                       redis_url: str) -> None:  # type: ignore[no-untyped-def]
    seed(SITES, postgres_url, data_dir, redis_url)
    lease = {"HARVESTER_LEASE_SECONDS": "4"}
    victim = start_worker(SITES, postgres_url, data_dir, redis_url, "victim", **lease)
    server = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 60
    while not any(server.zcard(keys.queue(site) + ":leased") for site in SITES):  # it holds work now
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    survivors = [start_worker(SITES, postgres_url, data_dir, redis_url, f"w{i}", **lease) for i in range(2)]
    finish(survivors)
    assert_every_report_once(manifest, postgres_url)
    assert all(status == "ok" for _, _, _, status, _ in runs(postgres_url))


def test_two_workers_keep_one_portals_delay(portal, sqlite_url: str, data_dir: Path,
                                            redis_url: str, sites_dir: Path) -> None:  # type: ignore[no-untyped-def]
    polite = {"HARVESTER_POLITE": "1", "HARVESTER_SITES_DIR": str(sites_dir)}
    slowed_site(sites_dir, "fixture-shandong", "slow-shandong", download_delay=DELAY, concurrency=2)
    seed(["slow-shandong"], sqlite_url, data_dir, redis_url, **polite)
    workers = [start_worker(["slow-shandong"], sqlite_url, data_dir, redis_url, f"w{i}", **polite) for i in range(2)]
    finish(workers)
    times = sorted(dt.datetime.fromisoformat(e["time"]) for e in portal.log() if e["path"] != "/robots.txt")
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:])]
    assert len(times) > 10 and min(gaps) >= DELAY, gaps


def test_a_runs_seen_set_expires(portal, sqlite_url: str, data_dir: Path, redis_url: str) -> None:  # type: ignore[no-untyped-def]
    seed(["fixture-shandong"], sqlite_url, data_dir, redis_url)
    server = redis.Redis.from_url(redis_url)
    run_id = int(server.get(keys.run("fixture-shandong")))
    ttl = server.ttl(keys.seen(run_id))
    assert 0 < ttl <= SEEN_TTL_SECONDS
    assert server.scard(keys.seen(run_id)) == 1  # the start URL, asked for by the seeder


def test_pages_a_worker_leaves_for_later_are_not_withdrawn_by_the_worker_closing_the_run(  # type: ignore[no-untyped-def]
        portal, manifest, sqlite_url: str, data_dir: Path, redis_url: str, sites_dir: Path) -> None:
    site_variant(sites_dir, "fixture-trs", "trs-weekly", recheck={"every_days": 7})
    extra = {"HARVESTER_SITES_DIR": str(sites_dir)}
    seed(["trs-weekly"], sqlite_url, data_dir, redis_url, **extra)
    finish([start_worker(["trs-weekly"], sqlite_url, data_dir, redis_url, f"w{i}", **extra) for i in range(2)])
    portal.clear_log()
    seed(["trs-weekly"], sqlite_url, data_dir, redis_url, **extra)
    finish([start_worker(["trs-weekly"], sqlite_url, data_dir, redis_url, f"w{i}", **extra) for i in range(2)])
    known = {r["page"] for r in manifest["portals"]["trs"]["reports"]}
    assert not known & {e["path"] for e in portal.log()}  # recorded a moment ago: not due
    [_, (status, stats)] = [(status, stats) for _, _, _, status, stats in runs(sqlite_url)]
    assert status == "ok" and stats["not_due"] == len(known)
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("select count(*) from report_events where kind = 'withdrawn'")).scalar() == 0
    engine.dispose()


def test_a_worker_serving_run_after_run_asks_with_what_the_last_run_recorded(  # type: ignore[no-untyped-def]
        portal, manifest, sqlite_url: str, data_dir: Path, redis_url: str) -> None:
    worker = start_worker(["fixture-trs"], sqlite_url, data_dir, redis_url, "steady", exit_when_idle=False)
    try:
        for number in (1, 2):
            portal.clear_log()
            seed(["fixture-trs"], sqlite_url, data_dir, redis_url)
            deadline = time.monotonic() + 120
            while [status for _, _, _, status, _ in runs(sqlite_url)].count("ok") < number:
                assert time.monotonic() < deadline and worker.poll() is None
                time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    # The second run's conditional requests carry the validators the first run recorded.
    pages = {r["page"] for r in manifest["portals"]["trs"]["reports"]}
    answers = [e["status"] for e in portal.log() if e["path"] in pages]
    assert len(answers) == len(pages) and set(answers) == {304}


def test_an_idle_worker_does_not_close_a_run_whose_start_requests_are_still_being_queued(
        sqlite_url: str, data_dir: Path, redis_url: str) -> None:
    from scrapy.exceptions import DontCloseSpider
    from scrapy.utils.test import get_crawler

    from harvester.distributed.runs import FleetRun, open_run, seeded
    from storage.archive import Archive

    with Archive.open(sqlite_url, data_dir) as archive:
        run_id = archive.start_run("fixture-trs")
    server = redis.Redis.from_url(redis_url)
    crawler = get_crawler(settings_dict={"HARVESTER_REDIS_URL": redis_url, "HARVESTER_SITE": "fixture-trs",
                                         "HARVESTER_DISTRIBUTED": "worker", "HARVESTER_DB_URL": sqlite_url,
                                         "HARVESTER_DATA_DIR": str(data_dir)})
    idle = FleetRun.from_crawler(crawler)
    open_run(server, "fixture-trs", run_id)  # the seeder's crawl is starting: nothing queued yet
    with pytest.raises(DontCloseSpider):
        idle.spider_idle(None)  # type: ignore[arg-type]
    assert not server.exists(keys.run_finished(run_id))
    seeded(server, run_id)  # its start requests were queued, and done with by the fleet
    with pytest.raises(DontCloseSpider):
        idle.spider_idle(None)  # type: ignore[arg-type]
    assert server.exists(keys.run_finished(run_id))
    assert [status for _, _, _, status, _ in runs(sqlite_url)] == ["ok"]
