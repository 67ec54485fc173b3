"""The generic walker end to end on a county-style portal (see generic_portal.py): every
report found once, the right agency and year from the report's own document, one version
after repeated crawls, and no viewer page or page chrome taken for a report."""

from __future__ import annotations

from pathlib import Path

import pytest
from archive_view import captures, stored_reports
from conftest import crawl_cli
from generic_portal import REPORTS, GenericPortal

pytestmark = pytest.mark.slow



def test_every_report_once_with_its_own_agency_and_year(county_portal: GenericPortal, sites_dir: Path, db_url: str, data_dir: Path) -> None:
    (sites_dir / "county.yaml").write_text(county_portal.site_config(), encoding="utf-8")
    first = crawl_cli(["county"], db_url, data_dir)["sites"]["county"]
    second = crawl_cli(["county"], db_url, data_dir)["sites"]["county"]

    stored = stored_reports(db_url)
    assert set(stored) == {(r.agency, r.year) for r in REPORTS}
    for report in REPORTS:
        versions = stored[(report.agency, report.year)].versions
        assert len(versions) == 1, report.key
        assert versions[0]["parse_status"] == "ok", (report.key, versions[0]["parse_error"])
        assert versions[0]["document_url"] == county_portal.url + report.file, report.key
    assert (first["reports_found"], first["new_reports"], first["errors"], first["failed"]) == (len(REPORTS), len(REPORTS), 0, 0)
    assert (second["reports_found"], second["new_reports"], second["new_versions"]) == (len(REPORTS), 0, 0)

    fetched = {row.url.removeprefix(county_portal.url) for row in captures(db_url)}
    assert "/static/pdfjs/web/viewer.html" not in {path for path in county_portal.log}
    assert {r.file for r in REPORTS} <= fetched
    assert {"/c100413/index_2.shtml", "/c100413/index_3.shtml"} <= set(county_portal.log)
