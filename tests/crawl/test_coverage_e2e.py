"""Coverage on a crawled portal: on time, late and missing, and a late report that appears."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import crawl_cli, crawl_env, harvester_cmd

pytestmark = pytest.mark.slow


def coverage_of(db_url: str, data_dir: Path) -> dict[str, dict]:
    result = subprocess.run(
        harvester_cmd("coverage", "--year", "2023", "--as-of", "2024-04-15", "--site", "fixture-shandong", "--json",
                      "--db", db_url), capture_output=True, text=True, env=crawl_env(data_dir), timeout=60)
    assert result.returncode == 0, result.stderr
    return {entry["agency"]: entry for entry in json.loads(result.stdout)["entries"]}


def test_a_report_published_after_the_deadline_is_late(portal, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
    before = coverage_of(sqlite_url, data_dir)
    assert {agency: e["status"] for agency, e in before.items()} == {
        "淄博经济开发区南定镇人民政府": "on_time",  # listed 2024-03-19, a government: due 31 March
        "淄博经济开发区傅家镇人民政府": "missing",
        "淄博经济开发区管理委员会": "missing",
        "淄博市工业和信息化局": "missing",  # a department: due 31 January
    }
    assert before["淄博市工业和信息化局"]["deadline"] == "2024-01-31"
    portal.mutate("publish", report="sd-fj-2023")  # listed 2024-04-12
    crawl_cli(["fixture-shandong"], sqlite_url, data_dir)
    after = coverage_of(sqlite_url, data_dir)["淄博经济开发区傅家镇人民政府"]
    assert (after["status"], after["published"], after["days_late"], after["date_source"]) == (
        "late", "2024-04-12", 12, "printed")
