"""The generic walker end to end on a county-style portal (see generic_portal.py): every
report found once, the right agency and year from the report's own document, one version
after repeated crawls, and no viewer page or page chrome taken for a report."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from archive_view import captures, stored_reports
from conftest import crawl_cli
from generic_portal import COLUMN, REPORTS, GenericPortal, Report

from tests.parsers.docx_edits import retyped

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


def _crawled(portal: GenericPortal, site: str, sites_dir: Path, db_url: str, data_dir: Path) -> dict[str, int]:
    """The summary of a crawl of ``portal`` as ``site``; the portal is stopped after it."""
    try:
        (sites_dir / f"{site}.yaml").write_text(portal.site_config(), encoding="utf-8")
        return crawl_cli([site], db_url, data_dir)["sites"][site]
    finally:
        portal.stop()


def _recorded_from_their_documents(reports: list[Report], portal: GenericPortal, db_url: str) -> None:
    """Each report recorded once, parsed, from the document the portal serves for it."""
    stored = stored_reports(db_url)
    assert set(stored) == {(r.agency, r.year) for r in reports}
    for report in reports:
        version = stored[(report.agency, report.year)].versions[0]
        assert (version["parse_status"], version["document_url"]) == ("ok", portal.url + report.file), report.key


def test_a_list_linking_straight_to_the_documents_records_each_document(sites_dir: Path, db_url: str, data_dir: Path) -> None:
    # Many columns link the PDF or DOCX itself; the real Huai'an PDF has the binary comment
    # line that keeps Scrapy from taking it for text, the DOCX is a ZIP.
    direct = [replace(report, link="direct") for report in REPORTS if report.key in ("huaian-2024", "gxj-2020")]
    portal = GenericPortal(direct)
    summary = _crawled(portal, "direct", sites_dir, db_url, data_dir)
    _recorded_from_their_documents(direct, portal, db_url)
    assert (summary["reports_found"], summary["new_reports"], summary["errors"], summary["failed"]) == (2, 2, 0, 0)


def test_documents_behind_unnamed_download_urls_and_a_base_href_are_recorded(sites_dir: Path, db_url: str, data_dir: Path) -> None:
    # The column declares <base href="/"> and pages with "下一页>" in a .fy div; one report page
    # links its file through getFile.do?fileId=… with the file's name only in the link's text,
    # another relative to its own <base href>.
    kinds = {"kfq-2020": "named_download", "gxj-2020": "base", "zdkfq-2023": "named_download", "jgsw-2020": "frame"}
    reports = [replace(report, link=kinds[report.key]) for report in REPORTS if report.key in kinds]
    portal = GenericPortal(reports, pager_kind="plain", base_href=True)
    summary = _crawled(portal, "named", sites_dir, db_url, data_dir)
    assert f"{COLUMN}index_2.shtml" in portal.log
    _recorded_from_their_documents(reports, portal, db_url)
    assert (summary["reports_found"], summary["new_reports"], summary["errors"], summary["failed"]) == (4, 4, 0, 0)


def test_titles_the_list_cuts_short_are_decided_by_the_page(sites_dir: Path, db_url: str, data_dir: Path) -> None:
    # "淄博经济开发区2020年政府信息公开…" with no title attribute: only the page's own title says
    # it is a report; the cut "某县2022年政府信息公开工作年度报…" is a circular about reports.
    # A page that is gone is an error of the crawl, not a report that failed: nothing says it is one.
    portal = GenericPortal(REPORTS[:4], title_attr=False)
    del portal.files[REPORTS[3].page]
    summary = _crawled(portal, "cut", sites_dir, db_url, data_dir)
    assert set(stored_reports(db_url)) == {(r.agency, r.year) for r in REPORTS[:3]}
    assert f"{COLUMN}202304/tb.shtml" in portal.log  # asked for, and left out by its own title
    assert (summary["reports_found"], summary["new_reports"], summary["errors"], summary["failed"]) == (3, 3, 1, 0)
    assert [row.url for row in captures(db_url) if row.status != "ok"] == []


def test_a_file_replaced_behind_the_servers_304s_is_seen_at_its_next_whole_download(sites_dir: Path, db_url: str,
                                                                                   data_dir: Path) -> None:
    # The agency corrects its DOCX at the same URL; the server (a cache in front of it) goes on
    # answering 304 to the old ETag. A month after the file's last whole download it is asked
    # for without validators, and the correction is recorded.
    report = next(replace(r, link="download") for r in REPORTS if r.key == "gxj-2020")
    portal = GenericPortal([report])
    try:
        (sites_dir / "stale.yaml").write_text(portal.site_config(), encoding="utf-8")
        crawl_cli(["stale"], db_url, data_dir)
        old_bytes, content_type = portal.files[report.file]
        portal.stale_etags[report.file] = '"' + hashlib.sha256(old_bytes).hexdigest()[:16] + '"'
        corrected = retyped(report.document, {}, after={"六、其他需要报告的事项": ["本报告第三部分数据已于2021年3月更正。"]})
        portal.files[report.file] = (corrected, content_type)
        hidden = crawl_cli(["stale"], db_url, data_dir)["sites"]["stale"]
        _captures_older_by(db_url, timedelta(days=31))
        seen = crawl_cli(["stale"], db_url, data_dir)["sites"]["stale"]
    finally:
        portal.stop()
    assert (hidden["new_versions"], seen["new_versions"]) == (0, 1)
    assert len(stored_reports(db_url)[(report.agency, report.year)].versions) == 2


def _captures_older_by(db_url: str, age: timedelta) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as connection:
            for capture_id, fetched_at in connection.execute(sa.text("SELECT id, fetched_at FROM captures")).all():
                when = fetched_at if isinstance(fetched_at, datetime) else datetime.fromisoformat(fetched_at)
                connection.execute(sa.text("UPDATE captures SET fetched_at = :at WHERE id = :id"),
                                   {"at": when - age, "id": capture_id})
    finally:
        engine.dispose()
