"""Fleet benchmark: the big fixture portal served as several sites on different loopback
hosts (127.0.0.2, 127.0.0.3, …), crawled by 1, 2 and 4 workers sharing Redis, against one
single-process crawl of the same sites in the same run.

    .venv/bin/python benchmarks/distributed.py [--reports 200] [--sites 4] [--polite-delay 0.05]

Phases (each crawl in subprocesses, a fresh SQLite archive and Redis database each):
1. ``harvester crawl SITES`` in one process (the baseline);
2. ``harvester crawl SITES --distributed`` then W ``harvester worker --exit-when-idle``, W = 1, 2, 4;
3. the same with politeness on (a per-host delay of --polite-delay seconds), 1 and 2 workers,
   against the delay's lower bound (requests per host x delay).
Prints JSON: wall time, reports/s, the ratio to the single-process crawl, peak RSS of the
worker processes. On a 2-core machine CPU bounds the scaling: read the ratios, not the rates.
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
REDIS_DB = "redis://127.0.0.1:6379/13"


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def harvester(*args: str) -> list[str]:
    return [sys.executable, "-m", "harvester.cli.main", *args]


def site_configs(sites_dir: Path, urls: list[str], delay: float | None) -> list[str]:
    names = []
    for number, url in enumerate(urls, 1):
        name = f"bench-{number}"
        politeness = f"politeness:\n  download_delay: {delay}\n  concurrency: 2\n" if delay else ""
        (sites_dir / f"{name}.yaml").write_text(
            f"title: bench site {number}\nfamily: hanweb\nregion: 山东省威海市\n"
            f"start_urls:\n  - {url}/hanweb/col/col1001/index.html\n{politeness}", encoding="utf-8")
        names.append(name)
    return names


def run(env: dict[str, str], commands: list[list[str]]) -> float:
    """Start the commands together; the wall time until the last one ends."""
    started = time.perf_counter()
    processes = [subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for cmd in commands]
    for process, cmd in zip(processes, commands):
        _, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(cmd[2:5])}… failed:\n{err[-2000:]}")
    return time.perf_counter() - started


def count_reports(db_url: str) -> int:
    """Report pages captured (the sites serve the same reports, so the archive holds each once)."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT count(*) FROM captures WHERE role = 'page'")).scalar_one()
    engine.dispose()
    return int(found)


def fleet_run(work: Path, label: str, env: dict[str, str], names: list[str], workers: int) -> dict[str, Any]:
    import redis

    redis.Redis.from_url(REDIS_DB).flushdb()
    data = work / label
    db_url = f"sqlite:///{data / 'archive.sqlite3'}"
    run_env = {**env, "HARVESTER_DATA_DIR": str(data), "HARVESTER_REDIS_URL": REDIS_DB}
    seeding = run(run_env, [harvester("crawl", *names, "--distributed", "--db", db_url)])
    crawling = run(run_env, [harvester("worker", *names, "--exit-when-idle", "--db", db_url) for _ in range(workers)])
    return {"workers": workers, "seed_s": round(seeding, 2), "wall_s": round(crawling, 2),
            "reports": count_reports(db_url)}


def single_run(work: Path, label: str, env: dict[str, str], names: list[str]) -> dict[str, Any]:
    data = work / label
    db_url = f"sqlite:///{data / 'archive.sqlite3'}"
    wall = run({**env, "HARVESTER_DATA_DIR": str(data)}, [harvester("crawl", *names, "--db", db_url)])
    return {"workers": 0, "wall_s": round(wall, 2), "reports": count_reports(db_url)}


def with_rates(result: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    result["reports_per_s"] = round(result["reports"] / result["wall_s"], 1)
    result["ratio_to_single_process"] = round(baseline["wall_s"] / result["wall_s"], 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200, help="reports per site")
    parser.add_argument("--sites", type=int, default=4, help="sites, each on a loopback host of its own")
    parser.add_argument("--polite-delay", type=float, default=0.05, help="per-host delay of the polite phase (s)")
    args = parser.parse_args()

    from fixtures.portals.generator.big import write_big_root
    from harvester.fixtureserver.server import serve_in_thread

    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        work = Path(tmp)
        write_big_root(args.reports, REPO / "fixtures" / "seeds", work / "portal")
        servers = [serve_in_thread(root=work / "portal", host=f"127.0.0.{n + 2}") for n in range(args.sites)]
        try:
            results: dict[str, Any] = {"reports_per_site": args.reports, "sites": args.sites}
            for polite, delay in ((False, None), (True, args.polite_delay)):
                sites_dir = work / f"sites-{'polite' if polite else 'fast'}"
                sites_dir.mkdir()
                names = site_configs(sites_dir, [s.url for s in servers], delay)
                env = dict(os.environ, HARVESTER_SITES_DIR=str(sites_dir), PYTHONPATH=str(REPO),
                           HARVESTER_POLITE="1" if polite else "0")
                key = "polite" if polite else "politeness_off"
                baseline = single_run(work, f"{key}-single", env, names)
                fleet = [with_rates(fleet_run(work, f"{key}-{w}", env, names, w), baseline)
                         for w in ((1, 2) if polite else (1, 2, 4))]
                results[key] = {"single_process": with_rates(baseline, baseline), "fleet": fleet}
                if polite:
                    requests_per_host = max(1, baseline["reports"] // args.sites) + args.reports // 8
                    results[key]["delay_lower_bound_s"] = round(requests_per_host * (delay or 0), 2)
            results["peak_rss_mb_any_process"] = peak_rss_mb()
        finally:
            for server in servers:
                server.stop()
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
