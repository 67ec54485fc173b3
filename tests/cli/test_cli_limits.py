"""Numbers out of range and broken site configs or schedules: one line each, never a
traceback, and one broken site never hides the others."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from harvester.scheduling.runner import SubprocessLauncher
from tests.cli.test_exit_codes import assert_one_line_failure, harvester
from tests.storage.conftest import SEED_ZIBO, capture_of

HUGE = str(2**64)


@pytest.fixture
def archive_db(tmp_path: Path, seeds_dir: Path) -> str:
    from storage.archive import Archive

    url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with Archive.open(url, tmp_path) as archive:
        archive.record(capture_of((seeds_dir / SEED_ZIBO).read_bytes()))
    return url


@pytest.mark.parametrize(("args", "needle"), [
    (["history", HUGE], f"no report with id {HUGE}"),
    (["history", f"淄博经济开发区/{HUGE}"], "neither an id nor agency/year"),
    (["diff", "1", "--from", HUGE], "--from"),
    (["diff", "1", "--to", "0"], "--to"),
    (["query", "--year", HUGE], "--year"),
    (["query", "--year", "-2020"], "--year"),
    (["query", "--limit", HUGE], "--limit"),
])
def test_numbers_out_of_range_are_one_line(archive_db: str, tmp_path: Path, args: list[str], needle: str) -> None:
    result = harvester(*args, "--db", archive_db, env_data=tmp_path)
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr and needle in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("Error")]) == 1


def test_query_for_a_wildcard_rule_finds_nothing(archive_db: str, tmp_path: Path) -> None:
    result = harvester("query", "--finding", "%", "--format", "json", "--db", archive_db, env_data=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout) == []


def _sites_env(tmp_path: Path, files: dict[str, str]) -> dict[str, str]:
    sites = tmp_path / "sites"
    sites.mkdir()
    for name, text in files.items():
        (sites / name).write_text(text, encoding="utf-8")
    return dict(os.environ, HARVESTER_SITES_DIR=str(sites), HARVESTER_DATA_DIR=str(tmp_path / "data"))


BROKEN = {
    "good-one.yaml": "family: generic\nstart_urls: [http://a.gov.test/]\nschedule: '0 3 * * 1'\n",
    "bad-yaml.yaml": "family: generic\nstart_urls: [http://b.gov.test/\n",
    "bad-cron.yaml": "family: generic\nstart_urls: [http://c.gov.test/]\nschedule: '0 25 * * *'\n",
    "bad-type.yaml": "family: generic\nstart_urls: [http://d.gov.test/]\npoliteness: {concurrency: two}\n",
    "...yaml": "family: generic\nstart_urls: [http://e.gov.test/]\n",
}


def test_one_broken_config_or_cron_line_does_not_hide_the_other_sites(tmp_path: Path) -> None:
    env = _sites_env(tmp_path, BROKEN)
    run = lambda *args: subprocess.run([sys.executable, "-m", "harvester.cli.main", *args],  # noqa: E731
                                       capture_output=True, text=True, env=env, timeout=120)
    listed = run("sites", "--json")
    names = {site["name"] for site in json.loads(listed.stdout)}
    assert {"good-one", "bad-cron", "fixture-trs"} <= names and not names & {"bad-yaml", "bad-type", ".."}
    assert listed.returncode == 1 and "Traceback" not in listed.stderr
    errors = listed.stderr.strip().splitlines()
    assert len(errors) == 3 and all(line.startswith("Error: site") for line in errors)
    assert any("politeness.concurrency must be a whole number >= 1, not 'two'" in line for line in errors)
    assert any("site name '..' is not allowed" in line for line in errors)

    schedule = run("schedule", "--list", "--json")
    planned = {row["site"] for row in json.loads(schedule.stdout)}
    assert "good-one" in planned and "fixture-trs" in planned and "bad-cron" not in planned
    assert schedule.returncode == 1 and "Traceback" not in schedule.stderr
    assert any("site bad-cron: bad cron expression '0 25 * * *'" in line for line in schedule.stderr.splitlines())

    only_good = run("schedule", "--list", "--site", "good-one")
    assert only_good.returncode == 0 and only_good.stderr == ""


@pytest.mark.parametrize(("text", "message"), [
    ("start_urls: [http://x.test/]\ntitle: [a, b]\n", "title must be text"),
    ("start_urls: [http://x.test/]\npoliteness: {download_delay: -1}\n", "politeness.download_delay must be a number of seconds >= 0"),
    ("start_urls: [http://x.test/]\npoliteness: {obey_robots: 'no'}\n", "politeness.obey_robots must be true or false"),
    ("start_urls: [http://x.test/]\npoliteness: {retries: true}\n", "politeness.retries must be a whole number"),
    ("start_urls: [http://x.test/]\npoliteness: [1, 2]\n", "politeness must be a mapping"),
    ("start_urls: [http://x.test/]\nselectors: {body: 'div[['}\n", "selectors.body 'div[[' is not valid CSS"),
    ("start_urls: [http://x.test/]\nextra_domains: files.gov.test\nschedule: 5\n", "schedule must be a list of text values"),
    ("start_urls: [http://x.test/]\nverified: maybe\n", "verified must be true or false"),
])
def test_bad_types_in_a_site_config_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    env = _sites_env(tmp_path, {"typed.yaml": text})
    result = subprocess.run([sys.executable, "-m", "harvester.cli.main", "crawl", "typed"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert_one_line_failure(result, "site typed: ", message)


def test_a_scheduled_crawl_gets_the_database_url_from_the_environment_not_its_command_line(tmp_path: Path) -> None:
    secret = "s3cret-pa55"
    url = f"postgresql+psycopg://harvester:{secret}@127.0.0.1:1/archive"
    handle = SubprocessLauncher(url, tmp_path).start(["fixture-trs"], datetime(2026, 1, 5, 2, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert secret not in " ".join(handle.args)
    assert handle.wait(timeout=120) == 1
    [log] = (tmp_path / "logs").glob("fixture-trs-*.log")
    # The crawl did receive the URL (it names the database it could not open), password hidden.
    assert "cannot open database postgresql+psycopg://harvester:***@127.0.0.1:1/archive" in log.read_text()
