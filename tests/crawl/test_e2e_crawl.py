"""End to end over real HTTP on 127.0.0.1: the fixture portals served in this process,
`harvester crawl` in a subprocess, the archive read back with SQL.

Politeness delays are off here (HARVESTER_POLITE=0) except in the kill-and-resume test,
which also checks that Crawl-delay spaced the requests.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from archive_view import captures, runs, stored_reports
from conftest import SITE_OF_PORTAL, crawl_cli, crawl_env, harvester_cmd, slowed_site

from harvester import USER_AGENT

pytestmark = pytest.mark.slow
SITES = list(SITE_OF_PORTAL.values())


def report_paths(manifest: dict[str, Any]) -> set[str]:
    return {r["page"] for p in manifest["portals"].values() for r in p["reports"]}


def cell_matches(cell: dict[str, Any] | None, expected: Any) -> bool:
    return cell is not None and (cell["value"] == expected or cell["raw"] == expected)


def test_each_portal_yields_exactly_its_reports(fixture_server, offsite, manifest, db_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    summary = crawl_cli(SITES, db_url, data_dir)
    stored = stored_reports(db_url)
    expected = {(r["agency"], r["year"]): (key, r) for key, p in manifest["portals"].items() for r in p["reports"]}
    assert set(stored) == set(expected)
    can_convert = shutil.which("soffice") is not None
    for ident, (portal, spec) in expected.items():
        report = stored[ident]
        assert report.site == SITE_OF_PORTAL[portal] and len(report.versions) == 1, spec["id"]
        if spec["needs_libreoffice"] and not can_convert:
            continue  # stored with whatever the parser could read; the cells need LibreOffice
        assert report.latest["parse_status"] == "ok", (spec["id"], report.latest["parse_error"])
        cells = report.cells()
        wrong = {k: v for k, v in spec["key_cells"].items() if not cell_matches(cells.get(k), v)}
        assert not wrong, (spec["id"], wrong)
        expected_document = spec["attachment"] or spec["page"]
        assert report.latest["document_url"].endswith(expected_document), spec["id"]

    rows = captures(db_url)
    fetched = {row.url.removeprefix(fixture_server.url) for row in rows}
    for portal in manifest["portals"].values():
        never = [e["url"] for e in portal["ignore"] + portal["disallowed"] + portal["offsite"]]
        assert not fetched & set(never)
        for dead in portal["dead_links"]:
            [row] = [r for r in rows if r.url.endswith(dead["url"])]
            assert (row.status, row.http_status, row.outcome, row.agency) == ("error", 404, "failed", None)

    log = fixture_server.log()
    requested = {entry["path"] for entry in log}
    disallowed = manifest["robots"]["disallow"]
    assert not [p for p in requested if any(p.startswith(prefix) for prefix in disallowed)]
    assert not [e for p in manifest["portals"].values() for e in p["ignore"] if e["url"] in requested]
    assert offsite.connections == []
    assert {entry["user_agent"] for entry in log} == {USER_AGENT}

    for key, portal in manifest["portals"].items():
        site = summary["sites"][SITE_OF_PORTAL[key]]
        assert site["finish_reason"] == "finished"
        assert site["new_reports"] == len(portal["reports"])
        assert site["reports_found"] == len(portal["reports"]) + len(portal["dead_links"])
        assert site["failed"] == len(portal["dead_links"]) and site["errors"] == 0
    recorded = {site: (status, stats) for _, site, kind, status, stats in runs(db_url)}
    assert recorded["fixture-trs"][0] == "ok"
    assert recorded["fixture-trs"][1]["new_reports"] == len(manifest["portals"]["trs"]["reports"])


def test_unchanged_recrawl_makes_no_version_and_is_answered_304(fixture_server, manifest, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    crawl_cli(SITES, sqlite_url, data_dir)
    before = {k: len(r.versions) for k, r in stored_reports(sqlite_url).items()}
    fixture_server.clear_log()
    summary = crawl_cli(SITES, sqlite_url, data_dir)
    assert {k: len(r.versions) for k, r in stored_reports(sqlite_url).items()} == before
    for site in summary["sites"].values():
        assert (site["new_reports"], site["new_versions"]) == (0, 0)
        assert site["not_modified"] >= 0.9 * site["reports_found"] - 1  # every report but the dead link
    pages = report_paths(manifest)
    answers = [e["status"] for e in fixture_server.log() if e["path"] in pages]
    assert len(answers) == len(pages) and answers.count(304) == len(pages)
    # a 304 page's known attachments are asked for conditionally too, and are unchanged
    attachments = {r["attachment"] for p in manifest["portals"].values() for r in p["reports"] if r["attachment"]}
    answers = [e["status"] for e in fixture_server.log() if e["path"] in attachments]
    assert len(answers) == len(attachments) and set(answers) == {304}
    lists = [e for e in fixture_server.log() if e["path"] in {p["start_path"] for p in manifest["portals"].values()}]
    assert len(lists) == 3 and all(e["status"] == 200 for e in lists)  # list pages are always re-read


def recorded_so_far(db_url: str) -> int:
    try:
        return len(stored_reports(db_url))
    except sa.exc.OperationalError:  # the crawl has not created the schema yet
        return 0


def _report(manifest: dict[str, Any], report_id: str) -> dict[str, Any]:
    return next(r for p in manifest["portals"].values() for r in p["reports"] + p.get("staged", []) if r["id"] == report_id)


def test_mutations_give_exactly_the_expected_versions_and_failures(fixture_server, manifest, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    crawl_cli(SITES, sqlite_url, data_dir)
    first_runs = max(run[0] for run in runs(sqlite_url))
    revised = fixture_server.mutate("revise", report="hanweb-etdz-2020")
    # The page stays the same (304); only its attachment changes at the same URL.
    revised_attachment = fixture_server.mutate("revise", report="trs-jgsw-2020")
    fixture_server.mutate("reupload", report="trs-jgsw-2019")  # same bytes, same URL
    moved = fixture_server.mutate("reupload", report="sd-gxj-2021", new_url=True)  # same bytes, new URL
    fixture_server.mutate("publish", report="trs-jyty-2023")
    fixture_server.mutate("challenge", report="hanweb-hcq-2022", kind="ruishu")
    fixture_server.mutate("challenge", report="trs-kfq-2022", kind="jiasule")
    fixture_server.mutate("challenge", report="sd-nd-2021", kind="unavailable")
    fixture_server.mutate("challenge", report="sd-fj-2022", kind="wzws")
    summary = crawl_cli(SITES, sqlite_url, data_dir)
    stored = stored_reports(sqlite_url)

    def stored_of(report_id: str):  # type: ignore[no-untyped-def]
        spec = _report(manifest, report_id)
        return stored[(spec["agency"], spec["year"])]

    for report_id, mutation in (("hanweb-etdz-2020", revised), ("trs-jgsw-2020", revised_attachment)):
        report = stored_of(report_id)
        assert len(report.versions) == 2, report_id
        old, new = report.cells(0), report.cells(1)
        changed = {k: (old[k]["raw"], new[k]["raw"]) for k in new if old.get(k, {}).get("raw") != new[k]["raw"]}
        assert changed == {c["cell"]: (c["old"], c["new"]) for c in mutation["changes"]}, report_id
    assert len(stored_of("trs-jgsw-2019").versions) == 1
    assert len(stored_of("sd-gxj-2021").versions) == 1
    published = stored_of("trs-jyty-2023")
    assert len(published.versions) == 1 and published.latest["parse_status"] == "ok"
    for report_id in ("hanweb-hcq-2022", "trs-kfq-2022", "sd-nd-2021", "sd-fj-2022"):
        assert len(stored_of(report_id).versions) == 1  # a failed fetch is never a version

    second = [r for r in captures(sqlite_url) if r.run_id > first_runs]
    pages = {r.url.removeprefix(fixture_server.url): r for r in second if r.role == "page"}
    for report_id, status, http_status in [("hanweb-hcq-2022", "blocked", 412), ("trs-kfq-2022", "blocked", 521),
                                           ("sd-fj-2022", "blocked", 307), ("sd-nd-2021", "error", 503)]:
        page = pages[_report(manifest, report_id)["page"]]
        assert (page.status, page.http_status, page.outcome) == (status, http_status, "failed"), report_id
    assert any(r.url.endswith(moved["url"]) and r.status == "ok" for r in second)

    total = {k: sum(site[k] for site in summary["sites"].values()) for k in ("new_reports", "new_versions", "blocked", "failed")}
    assert total["new_reports"] == 1 and total["new_versions"] == 2
    assert total["blocked"] == 3
    assert total["failed"] == 3 + 4  # the three dead links, three challenges, one 503
    assert not [e for e in fixture_server.log() if e["path"].startswith("/WZWSRE")]  # never followed


def test_a_killed_crawl_resumes_with_nothing_lost_or_doubled(fixture_server, manifest, sqlite_url: str, data_dir: Path, sites_dir: Path) -> None:  # type: ignore[no-untyped-def]
    # Polite for real, so the crawl is slow enough to kill: slower than the writer's batches
    # on a loaded machine, which may otherwise record every report before the kill lands.
    delay = 0.25
    slowed_site(sites_dir, "fixture-trs", "slow-trs", download_delay=delay, autothrottle=False)
    process = subprocess.Popen(harvester_cmd("crawl", "slow-trs", "--db", sqlite_url), env=crawl_env(data_dir, polite=True),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if recorded_so_far(sqlite_url) >= 3:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the crawl finished before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    first = stored_reports(sqlite_url)
    reports = manifest["portals"]["trs"]["reports"]
    assert 3 <= len(first) < len(reports)

    log = [e for e in fixture_server.log() if e["path"] != "/robots.txt"]
    times = sorted(e["time"] for e in log)
    from datetime import datetime

    span = (datetime.fromisoformat(times[-1]) - datetime.fromisoformat(times[0])).total_seconds()
    assert span >= 0.9 * delay * (len(times) - 1), "requests came faster than the site's download delay"

    crawl_cli(["slow-trs"], sqlite_url, data_dir)
    stored = stored_reports(sqlite_url)
    assert set(stored) == {(r["agency"], r["year"]) for r in reports}
    assert all(len(r.versions) == 1 for r in stored.values())
    statuses = [status for _, site, _, status, _ in runs(sqlite_url) if site == "slow-trs"]
    assert statuses == ["interrupted", "ok"]  # the killed run was closed by the next one, which finished


def test_crawl_usage_errors(data_dir: Path) -> None:
    env = crawl_env(data_dir)
    nothing = subprocess.run(harvester_cmd("crawl"), capture_output=True, text=True, env=env)
    assert nothing.returncode == 2 and "--all" in nothing.stderr
    unknown = subprocess.run(harvester_cmd("crawl", "no-such-site"), capture_output=True, text=True, env=env)
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == ["Error: unknown site 'no-such-site' (see `harvester sites`)"]
    no_db = subprocess.run(harvester_cmd("crawl", "fixture-trs", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"),
                           capture_output=True, text=True, env=env)
    assert no_db.returncode == 1
    [line] = no_db.stderr.strip().splitlines()
    assert line.startswith("Error: cannot open database postgresql+psycopg://nobody@127.0.0.1:1/none")

    from harvester.scheduling.locks import SiteLock

    lock = SiteLock(data_dir / "locks", "fixture-trs")
    assert lock.acquire()
    try:
        busy = subprocess.run(harvester_cmd("crawl", "fixture-trs"), capture_output=True, text=True, env=env)
    finally:
        lock.release()
    assert busy.returncode == 1
    [line] = busy.stderr.strip().splitlines()
    assert line.startswith("Error: site fixture-trs is being crawled by another process")


def test_a_crawl_of_several_sites_crawls_those_no_other_process_is_crawling(
        portal, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from harvester.scheduling.locks import SiteLock

    lock = SiteLock(data_dir / "locks", "fixture-trs")
    assert lock.acquire()
    try:
        result = subprocess.run(harvester_cmd("crawl", "fixture-trs", "fixture-shandong", "--db", sqlite_url, "--json"),
                                capture_output=True, text=True, env=crawl_env(data_dir), timeout=180)
    finally:
        lock.release()
    assert result.returncode == 1  # one site was not crawled: said, and the exit status says so
    summary = json.loads(result.stdout)
    assert list(summary["sites"]) == ["fixture-shandong"] and summary["sites"]["fixture-shandong"]["new_reports"] > 0
    [busy] = summary["busy"]
    assert busy.startswith("site fixture-trs is being crawled by another process")
    assert result.stderr.strip().splitlines()[-1].startswith("Error: crawl failed: site fixture-trs is being crawled")


def test_on_a_terminal_the_crawl_shows_progress_and_a_summary_table(fixture_server, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    import fcntl
    import os
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))  # wide: no wrapped headers
    process = subprocess.Popen(harvester_cmd("crawl", "fixture-shandong", "--db", sqlite_url), env=crawl_env(data_dir),
                               stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the crawl has ended
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    text = screen.decode("utf-8", "replace")
    assert process.wait(timeout=120) == 0, text[-3000:]
    assert "crawling" in text and "pages fetched" in text  # the live table
    assert "crawl summary" in text and "fixture-shandong" in text and "┃" in text  # the final rich table
    assert " INFO: " not in text  # Scrapy's log lines would tear the live display


def test_a_portal_s_error_pages_answered_200_are_failed_captures_never_versions_or_reports(  # type: ignore[no-untyped-def]
        fixture_server, manifest, sqlite_url: str, data_dir: Path) -> None:
    crawl_cli(SITES, sqlite_url, data_dir)
    first_runs = max(run[0] for run in runs(sqlite_url))
    erring = {"hanweb-etdz-2020": "notfound", "trs-jgsw-2020": "maintenance", "sd-gxj-2021": "signon"}
    for report_id, kind in erring.items():
        fixture_server.mutate("challenge", report=report_id, kind=kind)
    fixture_server.mutate("publish", report="trs-jyty-2023")  # listed for the first time, under maintenance
    fixture_server.mutate("challenge", report="trs-jyty-2023", kind="maintenance")
    crawl_cli(SITES, sqlite_url, data_dir)
    stored = stored_reports(sqlite_url)
    assert (_report(manifest, "trs-jyty-2023")["agency"], 2023) not in stored
    for report_id in erring:
        spec = _report(manifest, report_id)
        assert len(stored[(spec["agency"], spec["year"])].versions) == 1, report_id
    second = {r.url.removeprefix(fixture_server.url): r for r in captures(sqlite_url) if r.run_id > first_runs and r.role == "page"}
    said = {report_id: second[_report(manifest, report_id)["page"]] for report_id in [*erring, "trs-jyty-2023"]}
    assert all((row.status, row.outcome) == ("error", "failed") for row in said.values())
    assert "页面不存在" in said["hanweb-etdz-2020"].error and "系统维护中" in said["trs-jgsw-2020"].error
    assert "sign-on form" in said["sd-gxj-2021"].error

    fixture_server.reset()  # the pages are back as they were: nothing changed, nothing reverted
    crawl_cli(SITES, sqlite_url, data_dir)
    stored = stored_reports(sqlite_url)
    assert all(len(report.versions) == 1 for report in stored.values())


def _withdrawn(db_url: str) -> int:
    with sa.create_engine(db_url).connect() as connection:
        return connection.execute(sa.text("select count(*) from report_events where kind = 'withdrawn'")).scalar()


def test_a_list_page_answering_a_maintenance_page_withdraws_nothing(fixture_server, manifest, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    crawl_cli(["fixture-trs"], sqlite_url, data_dir)
    second_page = manifest["portals"]["trs"]["list"]["pages_paths"][1]
    fixture_server.mutate("challenge", url=second_page, kind="maintenance")  # and so the third page is never reached
    summary = crawl_cli(["fixture-trs"], sqlite_url, data_dir)
    assert _withdrawn(sqlite_url) == 0
    assert summary["sites"]["fixture-trs"]["errors"] == 1
    fixture_server.reset()
    crawl_cli(["fixture-trs"], sqlite_url, data_dir)
    assert _withdrawn(sqlite_url) == 0
