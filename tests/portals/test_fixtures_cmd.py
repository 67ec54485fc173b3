"""``harvester fixtures serve`` and ``harvester fixtures mutate`` from the command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from harvester.cli.main import cli
from harvester.fixtureserver import FixtureServer
from portal_client import request


def test_mutate_talks_to_the_running_server(server: FixtureServer) -> None:
    result = CliRunner().invoke(cli, ["fixtures", "mutate", "reupload", "report=trs-kfq-2021", "new_url=true", "--url", server.url])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["ok"] is True and answer["url"] != answer["old_url"]
    assert request(server.url, answer["old_url"]).status == 404


def test_mutate_reports_errors_in_one_line(server: FixtureServer) -> None:
    runner = CliRunner()
    unknown = runner.invoke(cli, ["fixtures", "mutate", "takedown", "report=nope", "--url", server.url])
    assert unknown.exit_code == 1 and "unknown report 'nope'" in unknown.output
    usage = runner.invoke(cli, ["fixtures", "mutate", "takedown", "nope", "--url", server.url])
    assert usage.exit_code == 2 and "is not KEY=VALUE" in usage.output


def test_mutate_without_a_server_says_so() -> None:
    result = CliRunner().invoke(cli, ["fixtures", "mutate", "reset", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 1 and "no fixture server at http://127.0.0.1:9" in result.output


def test_serve_runs_until_interrupted(repo_root: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "harvester.fixtureserver", "--port", "0"],
        cwd=repo_root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # As from a terminal: a suite started in the background has SIGINT ignored, which its
        # children inherit, and Python then never turns Ctrl-C into KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("Fixture portals at http://127.0.0.1:"), line
        url = line.split()[3].rstrip("/")
        assert request(url, "/robots.txt").status == 200
    finally:
        proc.send_signal(signal.SIGINT)  # as Ctrl-C
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_serve_rejects_a_directory_that_is_not_a_root(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["fixtures", "serve", "--root", str(tmp_path), "--port", "0"])
    assert result.exit_code == 1 and "no server.json" in result.output


def test_serve_rejects_a_root_from_another_generator(tmp_path: Path) -> None:
    (tmp_path / "server.json").write_text('{"schema": 1, "portals": [{"key": "x", "items": []}]}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["fixtures", "serve", "--root", str(tmp_path), "--port", "0"])
    assert result.exit_code == 1 and "regenerate the root" in result.output
    (tmp_path / "server.json").write_text('{"schema": 7}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["fixtures", "serve", "--root", str(tmp_path), "--port", "0"])
    assert result.exit_code == 1 and "schema 7, this server reads schema 1" in result.output


def test_log_prints_and_clears_the_request_log(server: FixtureServer) -> None:
    request(server.url, "/robots.txt")
    result = CliRunner().invoke(cli, ["fixtures", "log", "--clear", "--url", server.url])
    assert result.exit_code == 0, result.output
    assert [(e["path"], e["status"]) for e in json.loads(result.output)] == [("/robots.txt", 200)]
    assert server.log() == []
