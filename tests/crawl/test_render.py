"""Rendering as a fallback: a column whose report links exist only after its script runs,
crawled through scrapy-playwright and the system's Chromium (/usr/bin/chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from archive_view import stored_reports
from conftest import OffsiteListener, crawl_cli
from generic_portal import COLUMN, REPORTS, SCRIPT_COLUMN, XHR_REPORT, GenericPortal

from harvester.siteconfig import SiteConfigError, load_site

pytestmark = pytest.mark.slow


@pytest.fixture
def offsite() -> Iterator[OffsiteListener]:
    """Another host, on a free port of its own: the renderer must never connect to it."""
    listener = OffsiteListener("127.0.0.2", 0)
    yield listener
    listener.close()


@pytest.fixture
def portal(offsite: OffsiteListener) -> Iterator[GenericPortal]:
    host, port = offsite.sock.getsockname()
    server = GenericPortal(REPORTS[:3], f"http://{host}:{port}")
    yield server
    server.stop()


@pytest.mark.parametrize("render", ["auto", "true"])
def test_a_script_drawn_column_is_crawled_once_rendered(render: str, portal: GenericPortal, offsite: OffsiteListener, sites_dir: Path,
                                                        sqlite_url: str, data_dir: Path) -> None:
    (sites_dir / "scripted.yaml").write_text(portal.site_config(SCRIPT_COLUMN, render=render), encoding="utf-8")
    summary = crawl_cli(["scripted"], sqlite_url, data_dir)["sites"]["scripted"]
    assert (summary["reports_found"], summary["new_reports"], summary["errors"]) == (3, 3, 0)
    assert set(stored_reports(sqlite_url)) == {(r.agency, r.year) for r in REPORTS[:3]}
    # auto: served once plain, then once rendered; true: rendered straight away
    assert portal.log.count(SCRIPT_COLUMN + "index.shtml") == (2 if render == "auto" else 1)
    # the browser fetched no image and nothing from another host
    assert "/images/banner.png" not in portal.log and offsite.connections == []


def test_auto_leaves_a_column_with_report_links_unrendered(portal: GenericPortal, sites_dir: Path, sqlite_url: str, data_dir: Path) -> None:
    (sites_dir / "county.yaml").write_text(portal.site_config(render="auto"), encoding="utf-8")
    summary = crawl_cli(["county"], sqlite_url, data_dir)["sites"]["county"]
    assert (summary["reports_found"], summary["new_reports"]) == (3, 3)
    assert portal.log.count(COLUMN + "index.shtml") == 1


def test_without_render_the_column_is_read_once_as_served(portal: GenericPortal, sites_dir: Path, sqlite_url: str, data_dir: Path) -> None:
    (sites_dir / "scripted.yaml").write_text(portal.site_config(SCRIPT_COLUMN), encoding="utf-8")
    summary = crawl_cli(["scripted"], sqlite_url, data_dir)["sites"]["scripted"]
    assert summary["reports_found"] == 0
    assert [path for path in portal.log if path != "/robots.txt"] == [SCRIPT_COLUMN + "index.shtml"]


def test_render_budget_stops_rendering(portal: GenericPortal, sites_dir: Path, sqlite_url: str, data_dir: Path) -> None:
    # two start pages, one render allowed: the second is read as served
    config = portal.site_config(SCRIPT_COLUMN, render="true", render_budget="1")
    config = config.replace('index.shtml"]', f'index.shtml", "{portal.url}{SCRIPT_COLUMN}index.shtml?again=1"]')
    (sites_dir / "scripted.yaml").write_text(config, encoding="utf-8")
    summary = crawl_cli(["scripted"], sqlite_url, data_dir)["sites"]["scripted"]
    assert (summary["reports_found"], summary["pages_fetched"] - summary["reports_found"] * 2) == (3, 2)


def test_render_values_are_checked(sites_dir: Path) -> None:
    (sites_dir / "bad.yaml").write_text("family: generic\nstart_urls: [http://x.gov.cn/]\nrender: sometimes\n", encoding="utf-8")
    with pytest.raises(SiteConfigError, match="render must be true, false or auto"):
        load_site("bad")
    (sites_dir / "ok.yaml").write_text("family: generic\nstart_urls: [http://x.gov.cn/]\nrender: auto\nrender_budget: 5\n", encoding="utf-8")
    site = load_site("ok")
    assert (site.render, site.render_budget) == ("auto", 5)
    assert load_site("bad".replace("bad", "ok")).to_dict()["render"] == "auto"


def test_render_true_reads_a_report_body_the_page_fetches_by_script(sites_dir: Path, sqlite_url: str, data_dir: Path) -> None:
    portal = GenericPortal([XHR_REPORT])
    try:
        (sites_dir / "county.yaml").write_text(portal.site_config(render="true"), encoding="utf-8")
        summary = crawl_cli(["county"], sqlite_url, data_dir)["sites"]["county"]
        again = crawl_cli(["county"], sqlite_url, data_dir)["sites"]["county"]
    finally:
        portal.stop()
    assert (summary["reports_found"], summary["new_reports"], summary["errors"]) == (1, 1, 0)
    [report] = stored_reports(sqlite_url).values()
    assert (report.agency, report.year, len(report.versions)) == (XHR_REPORT.agency, XHR_REPORT.year, 1)
    assert report.latest["parse_status"] == "ok" and report.latest["document_url"] == portal.url + XHR_REPORT.page
    assert len(report.latest["report_json"]["sections"]) == 6
    assert (again["new_reports"], again["new_versions"]) == (0, 0)
