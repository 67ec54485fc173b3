"""The README's demo command, run as a user would on a fresh data directory."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def readme_demo_command(repo_root: Path) -> list[str]:
    """The first command of the README's opening block: the demo."""
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    first = [line for line in block.splitlines() if line.strip()][0]
    return first.split("#", 1)[0].split()


def test_make_demo_crawls_the_fixture_portals_into_a_fresh_archive(repo_root: Path, tmp_path: Path) -> None:
    command = readme_demo_command(repo_root)
    assert command == ["make", "demo"]
    data = tmp_path / "data"
    env = dict(os.environ, HARVESTER_DATA_DIR=str(data))
    env.pop("HARVESTER_DB_URL", None)
    done = subprocess.run(command, cwd=repo_root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    manifest = json.loads((repo_root / "fixtures" / "portals" / "manifest.json").read_text(encoding="utf-8"))
    expected = {
        (report["agency"], report["year"])
        for portal in manifest["portals"].values()
        for report in portal["reports"]
    }
    inconsistent = {
        (report["agency"], report["year"])
        for portal in manifest["portals"].values()
        for report in portal["reports"]
        if report["inconsistent"]
    }

    out = done.stdout
    match = re.search(r"Harvested (\d+) reports from 3 fixture portals", out)
    assert match, out
    assert int(match.group(1)) == len(expected)
    assert f"{len(inconsistent)} report(s) fail validation:" in out
    for agency, year in inconsistent:
        assert f"{agency} {year} (report " in out
    assert "harvester diff " in out and "harvester query " in out

    database = data / "archive.sqlite3"
    assert database.is_file()
    with sqlite3.connect(database) as conn:
        stored = set(conn.execute("select agency, year from reports").fetchall())
        versions = conn.execute("select count(*) from versions").fetchone()[0]
    assert stored == expected
    assert versions == len(expected)
