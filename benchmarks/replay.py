"""Replay benchmark: false versions on unchanged portals we have no fixtures for, and what
the version decision costs per report.

    .venv/bin/python benchmarks/replay.py [--refetches 1000]

The replay portals (four CMS layouts, chrome that changes on every request, no validators)
are captured once, then re-fetched round after round with nothing changed, each capture
going through the crawl's parse and confirm steps into a fresh SQLite archive. Prints JSON:
false versions per 1,000 unchanged re-fetches (target 0), how many captures needed a
confirmation fetch, and per report the time of recording (the version decision with its
transaction) against the time of parsing the same capture, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from harvester.fixtureserver.replay.recrawl import confirm, fetch_capture  # noqa: E402
from harvester.fixtureserver.replay.server import ReplayPortals  # noqa: E402
from harvester.siteconfig import SiteConfig  # noqa: E402
from storage.archive import Archive  # noqa: E402
from storage.fingerprint import content_key  # noqa: E402
from storage.record import capture_content  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refetches", type=int, default=1000)
    args = parser.parse_args()
    portals = ReplayPortals()
    targets = []
    for name, portal in portals.portals.items():
        site = SiteConfig(name=f"replay-{name}", title=name, family="generic", start_urls=[portals.start_url(name)])
        targets += [(site, portals.url(name) + r.path, r.title) for r in portal.layout.reports]
    work = Path(tempfile.mkdtemp(prefix="replay-bench-"))
    outcomes: Counter[str] = Counter()
    parse_s = record_s = key_s = 0.0
    confirmations = captures = 0
    with Archive.open(f"sqlite:///{work / 'archive.sqlite3'}", work) as archive:
        for site, url, title in targets:  # the first crawl
            item = fetch_capture(site, url, title)
            confirm(archive, site, item)
            assert archive.record(item).outcome == "new_report", url
        while captures < args.refetches:
            for site, url, title in targets:
                started = time.perf_counter()
                item = fetch_capture(site, url, title)
                parsed = time.perf_counter()
                confirmations += confirm(archive, site, item)
                before_record = time.perf_counter()
                outcomes[archive.record(item).outcome] += 1
                done = time.perf_counter()
                content = capture_content(item, [])
                content_key(content)
                key_s += time.perf_counter() - done
                parse_s += parsed - started
                record_s += done - before_record
                captures += 1
    portals.stop()
    false_versions = outcomes["new_version"] + outcomes["new_report"]
    print(json.dumps({
        "unchanged_refetches": captures,
        "layouts": len(portals.portals),
        "reports": len(targets),
        "outcomes": dict(outcomes),
        "false_versions_per_1000": round(1000 * false_versions / captures, 2),
        "confirmation_fetches_per_1000": round(1000 * confirmations / captures, 2),
        "record_ms_per_report": round(1000 * record_s / captures, 2),
        "parse_ms_per_report": round(1000 * parse_s / captures, 2),
        "record_vs_parse_ratio": round(record_s / parse_s, 3),
        "content_key_ms_per_report": round(1000 * key_s / captures, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
