"""``kill -9`` of a crawl on PostgreSQL: no process it started (parse workers, the archive
writer, the forkserver) survives it, no database connection it opened stays open, and the
next crawl closes the dead run as ``interrupted``."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import POSTGRES_ADMIN_URL
from tests.crawl.archive_view import runs
from tests.crawl.conftest import crawl_cli, crawl_env, harvester_cmd, slowed_site


def processes_marked(mark: str) -> list[int]:
    """Processes whose environment carries ``mark``: the crawl and everything it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if f"HARVESTER_TEST_MARK={mark}".encode() in environ.split(b"\0") and state != "Z":
                found.append(int(entry.name))
    return found


def connections_named(name: str) -> int:
    engine = sa.create_engine(POSTGRES_ADMIN_URL)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n"), {"n": name}).scalar()
    finally:
        engine.dispose()


def recorded_so_far(db_url: str) -> int:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM versions")).scalar()
    except sa.exc.DBAPIError:  # the crawl has not created the schema yet
        return 0
    finally:
        engine.dispose()


def wait_for(condition, seconds: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_after_kill_9_nothing_of_the_crawl_survives(portal, postgres_url: str, data_dir: Path, sites_dir: Path) -> None:  # type: ignore[no-untyped-def]
    mark = uuid.uuid4().hex[:16]
    db_url = f"{postgres_url}&application_name=crawl-{mark}"
    slowed_site(sites_dir, "fixture-trs", "slow-trs", download_delay=0.2, autothrottle=False)
    env = {**crawl_env(data_dir, polite=True), "HARVESTER_TEST_MARK": mark}
    process = subprocess.Popen(harvester_cmd("crawl", "slow-trs", "--db", db_url), env=env,
                               stdout=subprocess.DEVNULL, stderr=open(data_dir / "crawl.log", "wb"))
    try:
        # Parsed and recorded: the parse workers, the writer and its connection are up.
        assert wait_for(lambda: recorded_so_far(postgres_url) >= 2 or process.poll() is not None, 120)
        assert process.poll() is None, "the crawl finished before it could be killed"
        started = processes_marked(mark)
        assert len(started) >= 3, started  # the crawl, the forkserver, workers
        assert connections_named(f"crawl-{mark}") >= 1
        process.send_signal(signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    survivors_gone = wait_for(lambda: not processes_marked(mark))
    left = processes_marked(mark)
    for pid in left:  # do not leave them to the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert survivors_gone, f"processes outlived the crawl: {left}"
    assert wait_for(lambda: connections_named(f"crawl-{mark}") == 0)

    crawl_cli(["slow-trs"], postgres_url, data_dir)
    assert [status for _, site, _, status, _ in runs(postgres_url) if site == "slow-trs"] == ["interrupted", "ok"]
