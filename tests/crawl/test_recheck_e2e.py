"""A site that re-checks its known report pages in turns (``recheck`` in its config), end to
end: the fixture TRS portal on 127.0.0.1, `harvester crawl` in a subprocess."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from archive_view import stored_reports
from conftest import crawl_cli, site_variant

pytestmark = pytest.mark.slow
SITE = "trs-weekly"


@pytest.fixture
def weekly_site(sites_dir: Path) -> str:
    site_variant(sites_dir, "fixture-trs", SITE, recheck={"every_days": 7})
    return SITE


def asked(fixture_server: Any, paths: set[str]) -> set[str]:
    return {e["path"] for e in fixture_server.log()} & paths


def test_known_pages_wait_their_turn_while_new_and_failed_ones_are_asked_for(  # type: ignore[no-untyped-def]
        fixture_server, manifest, weekly_site: str, sqlite_url: str, data_dir: Path) -> None:
    portal = manifest["portals"]["trs"]
    known = {r["page"] for r in portal["reports"]}
    dead = {d["url"] for d in portal["dead_links"]}
    crawl_cli([weekly_site], sqlite_url, data_dir)
    revised = fixture_server.mutate("revise", report="trs-jgsw-2020")  # its attachment, at the same URL
    fixture_server.mutate("publish", report="trs-jyty-2023")
    [published] = portal["staged"]
    fixture_server.clear_log()

    [second] = crawl_cli([weekly_site], sqlite_url, data_dir)["sites"].values()
    # Recorded a moment ago, the known pages are not due: only the new report and the dead
    # link (whose fetch never answered) are asked for, and the list pages are read as always.
    assert asked(fixture_server, known | dead | {published["page"]}) == dead | {published["page"]}
    assert asked(fixture_server, set(portal["list"]["pages_paths"])) == set(portal["list"]["pages_paths"])
    assert (second["not_due"], second["new_reports"], second["new_versions"]) == (len(known), 1, 0)
    assert second["reports_found"] == len(known) + len(dead) + 1
    with sa.create_engine(sqlite_url).connect() as connection:  # listed, so not withdrawn
        assert connection.execute(sa.text("select count(*) from report_events where kind = 'withdrawn'")).scalar() == 0
        status = connection.execute(sa.text("select status from runs order by id desc")).scalars().first()
    assert status == "ok"
    jgsw = next(r for r in portal["reports"] if r["id"] == "trs-jgsw-2020")
    assert len(stored_reports(sqlite_url)[(jgsw["agency"], jgsw["year"])].versions) == 1  # not seen yet

    fixture_server.clear_log()
    [third] = crawl_cli([weekly_site], sqlite_url, data_dir, "--recheck-all")["sites"].values()
    assert asked(fixture_server, known) == known
    assert (third["not_due"], third["new_versions"]) == (0, 1)
    report = stored_reports(sqlite_url)[(jgsw["agency"], jgsw["year"])]
    old, new = report.cells(0), report.cells(1)
    assert {k: (old[k]["raw"], new[k]["raw"]) for k in new if old.get(k, {}).get("raw") != new[k]["raw"]} == {
        c["cell"]: (c["old"], c["new"]) for c in revised["changes"]}
