"""``harvester schedule --list`` over real site config files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harvester.cli.main import cli


@pytest.fixture
def sites_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "zz-weekly.yaml").write_text(
        "title: test\nfamily: generic\nstart_urls: [http://127.0.0.1:9/]\nschedule: '30 4 * * 0'\n", encoding="utf-8"
    )
    monkeypatch.setenv("HARVESTER_SITES_DIR", str(sites))
    monkeypatch.setenv("HARVESTER_DATA_DIR", str(tmp_path / "data"))
    return sites


def test_list_shows_next_run_of_each_site(sites_env: Path) -> None:
    result = CliRunner().invoke(cli, ["schedule", "--list", "--site", "zz-weekly", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["site"] for r in rows] == ["zz-weekly"]
    assert rows[0]["schedule"] == ["30 4 * * 0"]
    assert " 04:30:00+08:00" in rows[0]["next_fire"] or "T04:30:00+08:00" in rows[0]["next_fire"]
    text = CliRunner().invoke(cli, ["schedule", "--list", "--site", "zz-weekly"])
    assert text.exit_code == 0 and "zz-weekly" in text.output and "30 4 * * 0" in text.output


def test_unknown_site_is_exit_1_with_one_line(sites_env: Path) -> None:
    result = CliRunner().invoke(cli, ["schedule", "--list", "--site", "nope"])
    assert result.exit_code == 1
    assert "unknown site: nope" in result.output


def test_bad_cron_in_a_config_is_exit_1(sites_env: Path) -> None:
    (sites_env / "zz-bad.yaml").write_text(
        "family: generic\nstart_urls: [http://127.0.0.1:9/]\nschedule: 'every day'\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["schedule", "--list", "--site", "zz-bad"])
    assert result.exit_code == 1
    assert "site zz-bad: bad cron expression 'every day'" in result.output
