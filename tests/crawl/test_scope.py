"""Scope and "nothing lost" over real HTTP: the crafted portal of ``hostile_portal`` crawled
with a small DOWNLOAD_MAXSIZE. No request reaches another host (not its robots.txt either,
through attachments, 3xx or meta refresh); an extra-domain host has its robots.txt read and
obeyed; every trap ends as a failed capture saying why, never as a silent drop."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harvester.middlewares.scope import host_in_scope
from tests.crawl.archive_view import captures, runs
from tests.crawl.conftest import OffsiteListener, crawl_env, harvester_cmd
from tests.crawl.hostile_portal import MAXSIZE, TRAPS, Portal, serve

CRAWL = """
import json, sys
from pathlib import Path
from harvester.crawl import run_crawl
summary = run_crawl([sys.argv[1]], db_url=sys.argv[2], data_dir=Path(sys.argv[3]), progress=False,
                    settings={"DOWNLOAD_MAXSIZE": int(sys.argv[4]), "DOWNLOAD_WARNSIZE": int(sys.argv[4]) // 2})
print(json.dumps(summary.to_dict()))
"""


@pytest.fixture
def hostile(sites_dir: Path):  # type: ignore[no-untyped-def]
    other = OffsiteListener("127.0.0.2", 0)
    other_url = f"http://127.0.0.2:{other.sock.getsockname()[1]}"
    portal = Portal(other=other_url)
    main, main_url = serve(portal, "127.0.0.1")
    extra, portal.extra = serve(portal, "127.0.0.3")
    (sites_dir / "hostile.yaml").write_text(
        f"title: 淄博市 年报\nfamily: generic\nregion: 山东省淄博市\nstart_urls: ['{main_url}/xxgk/nb/index.html']\n"
        "extra_domains: [127.0.0.3]\n", encoding="utf-8")
    yield portal, other, main_url
    for server in (main, extra):
        server.shutdown()
    other.close()


def test_other_hosts_are_never_contacted_and_every_trap_is_a_failed_capture(hostile, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    site, other, base = hostile
    result = subprocess.run([sys.executable, "-c", CRAWL, "hostile", sqlite_url, str(data_dir), str(MAXSIZE)],
                            capture_output=True, text=True, env=crawl_env(data_dir), timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    stats = json.loads(result.stdout.splitlines()[-1])["sites"]["hostile"]

    assert other.connections == []
    extra_paths = [path for host, path in site.requests if host == "127.0.0.3"]
    assert extra_paths == ["/robots.txt", "/files/5.docx"]  # read first, then obeyed: /private/ never asked

    pages = {row.url.removeprefix(base): row for row in captures(sqlite_url) if row.role == "page"}
    assert set(pages) == {f"/art/{n}.html" for n in TRAPS}
    assert (pages["/art/5.html"].outcome, pages["/art/5.html"].agency) == ("new_report", "淄博市张店区机关事务服务中心")
    failed = {path: row for path, row in pages.items() if row.outcome == "failed"}
    assert set(failed) == set(pages) - {"/art/5.html"}
    attachments = {row.url.split("/")[-1]: row for row in captures(sqlite_url) if row.role == "attachment"}
    for name in ("W020220128.docx", "4.docx", "6.docx"):
        assert attachments[name].status == "blocked", name
    assert "is not the site's" in attachments["W020220128.docx"].error
    assert "robots.txt" in attachments["6.docx"].error
    for name in ("7.pdf", "8.docx", "9.docx"):  # too big, a bomb, cut short: errors, not drops
        assert (attachments[name].status, attachments[name].outcome) == ("error", None), name
        assert attachments[name].error, name
    for path in ("/art/2.html", "/art/3.html"):  # the pages themselves led elsewhere
        assert pages[path].status == "blocked" and "is not the site's" in pages[path].error
    assert stats["offsite"] == 4 and stats["failed"] == 8 and stats["new_reports"] == 1
    [(_, _, _, status, run_stats)] = runs(sqlite_url)
    assert status == "ok" and run_stats["offsite"] == 4


def test_a_crawl_whose_every_list_page_leads_elsewhere_exits_non_zero(hostile, sites_dir: Path, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    site, other, base = hostile
    (sites_dir / "moved.yaml").write_text(f"family: generic\nstart_urls: ['{base}/art/2.html']\n", encoding="utf-8")
    result = subprocess.run(harvester_cmd("crawl", "moved", "--db", sqlite_url), capture_output=True, text=True,
                            env=crawl_env(data_dir), timeout=180)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: crawl failed: moved every list page failed or was blocked (1); nothing was crawled")
    assert other.connections == []
    assert [status for _, _, _, status, _ in runs(sqlite_url)] == ["failed"]


def test_a_list_selector_that_matches_nothing_is_a_warning(hostile, sites_dir: Path, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    site, other, base = hostile
    (sites_dir / "relaid.yaml").write_text(
        f"family: generic\nstart_urls: ['{base}/xxgk/nb/index.html']\nselectors: {{list_links: 'div.news_list a'}}\n",
        encoding="utf-8")
    result = subprocess.run(harvester_cmd("crawl", "relaid", "--db", sqlite_url, "--json"), capture_output=True,
                            text=True, env=crawl_env(data_dir), timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    warning = "selectors.list_links matched nothing on any of the 1 page(s) it was tried on"
    assert f"warning: relaid: {warning}" in result.stderr.splitlines()
    assert json.loads(result.stdout)["sites"]["relaid"]["warnings"] == [warning]
    [(_, _, _, status, run_stats)] = runs(sqlite_url)
    assert status == "ok" and run_stats["warnings"] == [warning]


@pytest.mark.parametrize(("host", "inside"), [
    ("gxj.zibo.gov.cn", True), ("www.gxj.zibo.gov.cn", True), ("GXJ.zibo.gov.cn.", True),
    ("evilgxj.zibo.gov.cn", False), ("zibo.gov.cn", False), ("gxj.zibo.gov.cn.evil.test", False), ("", False),
])
def test_scope_is_the_sites_hosts_and_their_subdomains(host: str, inside: bool) -> None:
    assert host_in_scope(host, ["gxj.zibo.gov.cn", "file.zibo.gov.cn"]) is inside
