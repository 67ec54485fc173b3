"""`harvester sites check SITE` on the county-style portal: what it reads and finds, that it
records nothing, and the warnings a broken config gets."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import crawl_env, harvester_cmd
from generic_portal import COLUMN, REPORTS, GenericPortal

pytestmark = pytest.mark.slow



def sites_check(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(harvester_cmd("sites", "check", *args), capture_output=True, text=True,
                          env=crawl_env(data_dir), timeout=180)


def test_check_lists_pages_reports_documents_and_rejected_links(county_portal: GenericPortal, sites_dir: Path, data_dir: Path) -> None:
    (sites_dir / "county.yaml").write_text(county_portal.site_config(), encoding="utf-8")
    result = sites_check(data_dir, "county", "--json")
    assert result.returncode == 0, result.stderr
    check = json.loads(result.stdout)
    # Pages 2 and 3 are both named by page 1's pager and fetched side by side: any order.
    assert sorted(page["url"].removeprefix(county_portal.url) for page in check["list_pages"]) == [
        f"{COLUMN}index.shtml", f"{COLUMN}index_2.shtml", f"{COLUMN}index_3.shtml"]
    found = {r["title"]: r for r in check["reports"]}
    assert set(found) == {r.title for r in REPORTS}
    for report in REPORTS:
        seen = found[report.title]
        assert (seen["year"], seen["agency"], seen["report_year"], seen["problem"]) == (report.year, report.agency, report.year, None)
        assert seen["document_url"] == county_portal.url + report.file
    assert [a["url"] for a in found[REPORTS[1].title]["attachments"]] == [county_portal.url + REPORTS[1].file]  # the PDF, not the viewer
    rejected = {r["title"]: r["reason"] for r in check["rejected"]}
    assert rejected["某县2023年政府工作报告"] == "title is not an annual report's"
    assert check["warnings"] == []
    assert not (data_dir / "archive.sqlite3").exists()  # nothing recorded

    text = sites_check(data_dir, "county", "--pages", "1", "--reports", "1")
    assert text.returncode == 0, text.stderr
    assert "list pages read: 1" in text.stdout and "(not read, beyond --pages: 2 more list pages)" in text.stdout
    assert f"reads as: {REPORTS[0].agency} {REPORTS[0].year}" in text.stdout
    assert "reports found: 1 (+2 not fetched, beyond --reports)" in text.stdout


def test_check_warns_when_paging_stops_early_and_a_report_has_no_document(county_portal: GenericPortal, sites_dir: Path, data_dir: Path) -> None:
    del county_portal.files[REPORTS[0].file]  # the PDF behind downloadFile() is gone
    config = county_portal.site_config(selectors="{next_page: 'div.pagination a'}")  # a pager that is not there
    (sites_dir / "county.yaml").write_text(config, encoding="utf-8")
    result = sites_check(data_dir, "county", "--json")
    assert result.returncode == 1 and result.stderr.strip() == "Error: 2 warning(s) for site county"
    warnings = json.loads(result.stdout)["warnings"]
    assert warnings[0].startswith(f"paging stops early: {county_portal.url}{COLUMN}index.shtml shows a pager (共3页)")
    assert warnings[1].startswith(f"no readable document for {REPORTS[0].title}: ")


def test_check_of_an_unknown_site_is_one_line(data_dir: Path, sites_dir: Path) -> None:
    result = sites_check(data_dir, "nowhere")
    assert result.returncode == 1 and result.stderr.strip() == "Error: unknown site 'nowhere' (see `harvester sites`)"
