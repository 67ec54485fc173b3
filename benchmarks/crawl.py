"""Crawl benchmark: a big fixture portal on loopback, crawled with politeness off.

    .venv/bin/python benchmarks/crawl.py [--reports 2000]

Phases, each a subprocess so that one Twisted reactor runs per process:
1. ``harvester crawl`` into a fresh SQLite archive (the first crawl: fetch, parse, store);
2. a bare Scrapy spider fetching exactly the requests the crawl made and doing nothing
   with them (the baseline, measured in the same run against the same server);
3. ``harvester crawl`` again with nothing changed (conditional requests, 304s).
Prints JSON: times, pages/s, crawl/bare throughput ratio (target >= 0.8), re-crawl time
as a fraction of the first crawl (target <= 0.15), peak RSS of the crawl processes, and
what parsing and recording one report cost on their own (what the first crawl adds).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SITE = "fixture-hanweb"  # the big portal is one Hanweb column at the fixture-hanweb paths


def peak_rss_mb() -> float:
    """Largest resident set of any finished child process so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed:\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def crawl(db_url: str, env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    cmd = [sys.executable, "-m", "harvester.cli.main", "crawl", SITE, "--db", db_url, "--json"]
    elapsed, out = timed(cmd, env)
    return elapsed, json.loads(out)["sites"][SITE]


def bare_spider(requests_file: Path) -> None:
    """Phase 2, run in its own process: fetch the logged requests, do nothing with them."""
    import scrapy
    from scrapy.crawler import AsyncCrawlerProcess

    from harvester.crawl import project_settings

    entries = json.loads(requests_file.read_text())

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self):  # type: ignore[no-untyped-def]
            for entry in entries:
                yield scrapy.Request(entry["url"], method=entry["method"], body=entry["form"] or None,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"} if entry["form"] else None,
                                     callback=self.parse, dont_filter=True)

        def parse(self, response):  # type: ignore[no-untyped-def]
            return None

    # The crawler's own transport settings (concurrency, timeouts, user agent), none of its work.
    settings = project_settings({"HARVESTER_POLITE": False, "ROBOTSTXT_OBEY": False, "ITEM_PIPELINES": {},
                                 "DOWNLOADER_MIDDLEWARES": {}, "LOG_LEVEL": "WARNING"})
    process = AsyncCrawlerProcess(settings)
    process.crawl(Bare)
    process.start()


def per_report_costs(portal: Path, work: Path, sample: int = 200) -> dict[str, float]:
    """Milliseconds per report of the two steps a first crawl adds to fetching: parsing
    (parsers.api) and recording a new report (storage.archive), each alone in this process,
    on the first ``sample`` report pages of the portal. They explain the throughput ratio."""
    from datetime import UTC, datetime

    from harvester.items import ReportItem, Resource
    from harvester.pipelines.parse import parse_capture
    from harvester.siteconfig import load_site
    from storage.archive import Archive

    site = load_site(SITE)
    pages = sorted((portal / "site" / "art").rglob("*.html"))[:sample]
    captures = []
    started = time.perf_counter()
    for path in pages:
        url = f"http://bench.test/{path.relative_to(portal / 'site')}"
        body = path.read_bytes()
        item = ReportItem(site=SITE, page=Resource(url, 200, datetime.now(UTC), body, "text/html; charset=UTF-8"))
        item.parse = parse_capture(item, site, {url: body})
        captures.append(item)
    parse_ms = (time.perf_counter() - started) * 1000 / len(pages)
    with Archive.open(f"sqlite:///{work / 'costs.sqlite3'}", work / "costs") as archive:
        started = time.perf_counter()
        for item in captures:
            archive.record(item)
        record_ms = (time.perf_counter() - started) * 1000 / len(pages)
    return {"parse_ms": round(parse_ms, 1), "record_new_report_ms": round(record_ms, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--bare", type=Path, help=argparse.SUPPRESS)  # internal: run phase 2
    args = parser.parse_args()
    if args.bare:
        bare_spider(args.bare)
        return

    from fixtures.portals.generator.big import write_big_root
    from harvester.fixtureserver.server import serve_in_thread

    with tempfile.TemporaryDirectory(prefix="crawl-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        write_big_root(args.reports, REPO / "fixtures" / "seeds", work / "portal")
        build_time = time.perf_counter() - started
        server = serve_in_thread(root=work / "portal")
        try:
            data = work / "data"
            env = dict(os.environ, HARVESTER_FIXTURE_URL=server.url, HARVESTER_POLITE="0",
                       HARVESTER_DATA_DIR=str(data), PYTHONPATH=str(REPO))
            db_url = f"sqlite:///{data / 'bench.sqlite3'}"

            first_time, first = crawl(db_url, env)
            crawl_rss = peak_rss_mb()
            log = server.log()
            requests = [{"url": server.url + e["path"], "method": e["method"], "form": e["form"]}
                        for e in log if e["path"] != "/robots.txt"]
            requests_file = work / "requests.json"
            requests_file.write_text(json.dumps(requests))

            bare_time, _ = timed([sys.executable, __file__, "--bare", str(requests_file)], env)
            server.clear_log()
            again_time, again = crawl(db_url, env)
            answers = [e["status"] for e in server.log()]
        finally:
            server.stop()
        costs = per_report_costs(work / "portal", work)

    crawl_rate = len(requests) / first_time
    bare_rate = len(requests) / bare_time
    print(json.dumps({
        "reports": args.reports,
        "requests": len(requests),
        "portal_build_s": round(build_time, 2),
        "first_crawl": {"wall_s": round(first_time, 2), "pages_per_s": round(crawl_rate, 1), "stats": first},
        "bare_scrapy": {"wall_s": round(bare_time, 2), "pages_per_s": round(bare_rate, 1)},
        "throughput_ratio_vs_bare": round(crawl_rate / bare_rate, 3),
        "unchanged_recrawl": {"wall_s": round(again_time, 2), "fraction_of_first": round(again_time / first_time, 3),
                              "answers_304": answers.count(304), "answers_200": answers.count(200), "stats": again},
        "peak_rss_mb": {"first_crawl": crawl_rss, "all_children": peak_rss_mb()},
        "per_report_cost_alone": costs,
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
