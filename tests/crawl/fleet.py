"""Helpers for the fleet tests: a Redis database of the test's own, worker processes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import crawl_env, harvester_cmd

REDIS_BASE = "redis://127.0.0.1:6379"


def fleet_env(data_dir: Path, redis_url: str, **extra: str) -> dict[str, str]:
    return {**crawl_env(data_dir), "HARVESTER_REDIS_URL": redis_url, **extra}


def seed(sites: list[str], db_url: str, data_dir: Path, redis_url: str, **extra: str) -> None:
    result = subprocess.run(harvester_cmd("crawl", *sites, "--distributed", "--db", db_url), capture_output=True,
                            text=True, env=fleet_env(data_dir, redis_url, **extra), timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]


def start_worker(sites: list[str], db_url: str, data_dir: Path, redis_url: str, name: str,
                 **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        harvester_cmd("worker", *sites, "--exit-when-idle", "--db", db_url),
        env=fleet_env(data_dir, redis_url, HARVESTER_WORKER_NAME=name, **extra),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
