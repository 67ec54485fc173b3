"""``harvester serve`` as a user starts it: a process listening on 127.0.0.1 over an archive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.web.conftest import WebArchive, free_port

pytestmark = pytest.mark.slow


def harvester(*args: str) -> list[str]:
    return [sys.executable, "-m", "harvester.cli.main", *args]


def test_serve_answers_on_loopback_until_stopped(web_archive: WebArchive) -> None:
    port = free_port()
    env = dict(os.environ, HARVESTER_DATA_DIR=str(web_archive.data_dir))
    process = subprocess.Popen(harvester("serve", "--port", str(port), "--db", web_archive.db_url),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.json", timeout=10) as response:
                    overview = json.load(response)
                break
            except OSError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "harvester serve did not answer"
                time.sleep(0.2)
        assert overview["reports"] > 0
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out


def test_serve_listens_on_loopback_unless_told() -> None:
    done = subprocess.run(harvester("serve", "--help"), capture_output=True, text=True)
    assert done.returncode == 0 and "default: 127.0.0.1" in done.stdout


def test_serve_without_an_archive_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    done = subprocess.run(harvester("serve", "--db", str(missing)), capture_output=True, text=True,
                          env=dict(os.environ, HARVESTER_DATA_DIR=str(tmp_path)))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"Error: no archive at {missing} (crawl first, run `harvester db upgrade`, or name one with --db)"]
    assert not missing.exists()
