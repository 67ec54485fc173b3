"""``harvester serve`` as a user starts it: a process listening on 127.0.0.1 over an archive."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.web.conftest import WebArchive

pytestmark = pytest.mark.slow


def harvester(*args: str) -> list[str]:
    return [sys.executable, "-m", "harvester.cli.main", *args]


def test_serve_announces_its_address_and_answers_until_stopped(web_archive: WebArchive) -> None:
    env = dict(os.environ, HARVESTER_DATA_DIR=str(web_archive.data_dir))
    process = subprocess.Popen(harvester("serve", "--port", "0", "--db", web_archive.db_url),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.match(r"Web interface at (http://127\.0\.0\.1:\d+/) over sqlite:", line)
        assert match, line
        with urllib.request.urlopen(match.group(1) + "index.json", timeout=30) as response:
            assert json.load(response)["reports"] > 0
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_a_port_in_use_is_one_line(web_archive: WebArchive) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(harvester("serve", "--port", str(port), "--db", web_archive.db_url),
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().startswith(f"Error: cannot listen on 127.0.0.1:{port}: Address already in use")
    assert len(done.stderr.strip().splitlines()) == 1


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
