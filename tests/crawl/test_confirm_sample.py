"""End to end: a first crawl fetches twice only its site's sample of new report pages.

The big portal (one Hanweb column, pages made when asked for) carries a visit counter and the
time of the request on every page, as the fixture server's pages do; its report pages are
served from 127.0.0.1 and crawled by `harvester crawl` in a subprocess."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, crawl_cli

from storage.chrome import SAMPLED_REPORTS

pytestmark = pytest.mark.slow
REPORTS = 3 * SAMPLED_REPORTS


@pytest.fixture
def big_portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from fixtures.portals.generator.big import big_root
    from harvester.fixtureserver.server import serve_in_thread

    server = serve_in_thread(root=big_root(REPORTS, REPO / "fixtures" / "seeds", tmp_path / "portal"))
    monkeypatch.setenv("HARVESTER_FIXTURE_URL", server.url)
    yield server
    server.stop()


def test_only_the_sites_first_new_pages_are_fetched_twice(big_portal, db_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    summary = crawl_cli(["fixture-hanweb"], db_url, data_dir)
    assert summary["sites"]["fixture-hanweb"]["new_reports"] == REPORTS
    fetches = Counter(e["path"] for e in big_portal.log() if e["path"].startswith("/art/") and e["status"] == 200)
    assert len(fetches) == REPORTS
    assert Counter(fetches.values()) == {1: REPORTS - SAMPLED_REPORTS, 2: SAMPLED_REPORTS}

    big_portal.clear_log()
    again = crawl_cli(["fixture-hanweb"], db_url, data_dir)["sites"]["fixture-hanweb"]
    assert (again["not_modified"], again["new_versions"], again["new_reports"]) == (REPORTS, 0, 0)
