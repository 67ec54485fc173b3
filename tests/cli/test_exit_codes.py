"""Every command fails the same way: exit 1 and one clear line for a failure the user
caused, exit 2 for bad usage. Each command's own tests cover its happy path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"


def harvester(*args: str, env_data: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ, HARVESTER_DATA_DIR=str(env_data))
    env.pop("HARVESTER_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "harvester.cli.main", *args], capture_output=True, text=True, env=env, timeout=120, cwd=env_data
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["query"],
        ["history", "1"],
        ["diff", "1"],
        ["export", "--format", "csv", "--out", "out.csv"],
        ["reparse", "--all"],
        ["db", "upgrade"],
    ],
)
def test_unreachable_database(args: list[str], tmp_path: Path) -> None:
    result = harvester(*args, "--db", UNREACHABLE, env_data=tmp_path)
    assert_one_line_failure(result, "cannot open database", "127.0.0.1:1")


@pytest.mark.parametrize("args", [["history", "1"], ["diff", "1"], ["query"], ["export", "--format", "csv", "--out", "o.csv"]])
def test_reading_a_missing_sqlite_archive_does_not_create_one(args: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "archive.sqlite3"
    result = harvester(*args, "--db", str(missing), env_data=tmp_path)
    assert_one_line_failure(result, "no archive at", str(missing))
    assert not missing.exists()


def test_unknown_site(tmp_path: Path) -> None:
    assert_one_line_failure(harvester("crawl", "no-such-site", env_data=tmp_path), "no-such-site")
    assert_one_line_failure(harvester("schedule", "--list", "--site", "no-such-site", env_data=tmp_path), "no-such-site")


def test_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.pdf")
    assert_one_line_failure(harvester("parse", missing, env_data=tmp_path), missing)


def test_bad_query_expression(tmp_path: Path) -> None:
    harvester("db", "upgrade", env_data=tmp_path)
    result = harvester("query", "--where", "applications.new_received.total >", env_data=tmp_path)
    assert_one_line_failure(result, "cannot read condition")


@pytest.mark.parametrize("args", [["crawl"], ["query", "--no-such-option"], ["diff"], ["export", "--format", "xml"]])
def test_bad_usage_exits_2(args: list[str], tmp_path: Path) -> None:
    result = harvester(*args, env_data=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
