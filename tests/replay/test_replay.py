"""Change detection on layouts we have no fixtures for: real report pages inside four CMS
layouts whose chrome changes on every request and which send no validators. Re-crawls of
unchanged portals make no version; each real change makes exactly one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import sqlalchemy as sa

from harvester.fixtureserver.replay.content import fixture_docx
from harvester.fixtureserver.replay.recrawl import recrawl
from harvester.fixtureserver.replay.server import ReplayPortals
from harvester.siteconfig import load_site
from storage.archive import Archive
from storage.events import events
from storage.models import Change, Report, Version
from tests.crawl.conftest import crawl_cli, crawl_env, harvester_cmd
from tests.replay.conftest import SITES

RECRAWLS = 20


def _versions(archive: Archive) -> dict[tuple[str, int], int]:
    with archive.session() as session:
        rows = session.execute(sa.select(Report.agency, Report.year, sa.func.count(Version.id))
                               .join(Version, Version.report_id == Report.id).group_by(Report.id))
        return {(agency, year): n for agency, year, n in rows}


def _crawl(db_url: str, data_dir: Path) -> dict[str, int]:
    summary = crawl_cli(SITES, db_url, data_dir)
    return {k: sum(site[k] for site in summary["sites"].values()) for k in ("new_reports", "new_versions", "failed")}


def test_recrawls_of_unchanged_portals_make_no_version_and_each_real_change_one(
        portals: ReplayPortals, sqlite_url: str, data_dir: Path) -> None:
    assert _crawl(sqlite_url, data_dir) == {"new_reports": 7, "new_versions": 0, "failed": 0}
    sites = [load_site(name) for name in SITES]
    with Archive.open(sqlite_url, data_dir) as archive:
        baseline = _versions(archive)
        assert len(baseline) == 7 and set(baseline.values()) == {1}
        for _ in range(RECRAWLS):
            assert recrawl(archive, sites) == {"unchanged": 7}
        assert _versions(archive) == baseline

    # One cell of the 平潭 page pasted from Word, one sentence of a report in no container,
    # a new attachment beside the 淮安 PDF; then the real crawler sees them.
    portals.edit("post", 0, ">58<", ">59<")
    portals.edit("bare", 1, "主动公开政府信息514条", "主动公开政府信息541条")
    portals.attach("vsb", 0, "/__local/8/3A/F2/huaian_szf_2024_fj.docx", fixture_docx("000_9d093eecd5b1c4d3"))
    assert _crawl(sqlite_url, data_dir) == {"new_reports": 0, "new_versions": 3, "failed": 0}
    with Archive.open(sqlite_url, data_dir) as archive:
        assert recrawl(archive, sites) == {"unchanged": 7}
        after = _versions(archive)
        changed = {key for key in after if after[key] != baseline[key]}
        assert changed == {("平潭综合实验区", 2025), ("淄博经济开发区", 2020), ("淮安市人民政府", 2024)}
        assert {after[key] for key in changed} == {2}
        with archive.session() as session:
            grades = dict(session.execute(
                sa.select(Report.agency, Change.significance).join(Version, Version.id == Change.version_id)
                .join(Report, Report.id == Version.report_id)).all())
    assert grades == {"平潭综合实验区": "numbers", "淄博经济开发区": "text", "淮安市人民政府": "formatting"}


def test_a_report_taken_off_its_column_is_withdrawn_only_after_a_complete_crawl(
        portals: ReplayPortals, sqlite_url: str, data_dir: Path) -> None:
    sites = ["replay-bare"]
    assert crawl_cli(sites, sqlite_url, data_dir)["sites"]["replay-bare"]["new_reports"] == 2
    portals.unlist("bare", 0)
    portals.fail_lists("bare")
    unread = subprocess.run(harvester_cmd("crawl", *sites, "--db", sqlite_url), capture_output=True, text=True,
                            env=crawl_env(data_dir), timeout=180)
    # The list could not be read: the crawl says so (exit 1), and nothing is concluded.
    assert unread.returncode == 1 and "every list page failed" in unread.stderr
    with Archive.open(sqlite_url, data_dir) as archive, archive.session() as session:
        assert events(session, ("withdrawn",)) == []
    portals.fail_lists("bare", False)
    crawl_cli(sites, sqlite_url, data_dir)
    portals.unlist("bare", 0, listed=True)
    crawl_cli(sites, sqlite_url, data_dir)
    with Archive.open(sqlite_url, data_dir) as archive, archive.session() as session:
        happened = [(e.agency, e.kind) for e in events(session, ("withdrawn", "restored"))]
    assert happened == [("淄博市工业和信息化局", "withdrawn"), ("淄博市工业和信息化局", "restored")]
