"""The crawl process's garbage collector, as a crawl leaves it: start-up's objects frozen out of
its passes, and a pass only every 20,000 objects more made than freed (Scrapy's objects of a
response are freed by their reference counts once it is handled)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from tests.crawl.conftest import crawl_env

CRAWL = """
import gc, json, sys
from pathlib import Path
from harvester.crawl import run_crawl
summary = run_crawl(["fixture-hanweb"], db_url=sys.argv[1], data_dir=Path(sys.argv[2]), progress=False)
print(json.dumps({"new": summary.to_dict()["sites"]["fixture-hanweb"]["new_reports"],
                  "threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}))
"""


def test_a_crawl_freezes_what_start_up_made_and_collects_seldom(portal, sqlite_url: str, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run([sys.executable, "-c", CRAWL, sqlite_url, str(data_dir)], capture_output=True, text=True,
                            env=crawl_env(data_dir), timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    after = json.loads(result.stdout.splitlines()[-1])
    assert after["new"] > 0  # a crawl that recorded reports, not one that stopped at the start
    young, older, oldest = after["threshold"]
    assert young >= 10 * gc.get_threshold()[0] and [older, oldest] == list(gc.get_threshold()[1:])
    assert after["frozen"] > 10_000
