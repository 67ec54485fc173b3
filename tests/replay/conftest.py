"""The replay portals and site configs for them (generic walker, no family known)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester.fixtureserver.replay.server import ReplayPortals
from tests.crawl.conftest import sites_dir  # noqa: F401  (the portals fixture writes its site configs there)

REGIONS = {"vsb": "江苏省淮安市", "post": "福建省", "shtml": "山东省淄博市", "bare": "山东省淄博市"}


@pytest.fixture
def portals(sites_dir: Path) -> Iterator[ReplayPortals]:
    served = ReplayPortals()
    for name, region in REGIONS.items():
        (sites_dir / f"replay-{name}.yaml").write_text(
            f"title: replay {name}\nfamily: generic\nregion: {region}\nstart_urls:\n  - {served.start_url(name)}\n",
            encoding="utf-8")
    yield served
    served.stop()


SITES = [f"replay-{name}" for name in REGIONS]
