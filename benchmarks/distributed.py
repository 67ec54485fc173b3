"""Fleet benchmark: the big fixture portal split into several sites, each served on a loopback
host of its own (127.0.0.2, 127.0.0.3, …), crawled by 1, 2 and 4 workers sharing Redis,
against one single-process crawl of the same sites in the same run.

    .venv/bin/python benchmarks/distributed.py [--reports 60] [--sites 4] [--polite-delay 0.05] [--repeat 1]

Each site serves its own share of the big portal's reports (--reports each). Every crawl
runs in subprocesses, into a fresh PostgreSQL schema (the archive a fleet shares; SQLite
would measure its one writer lock instead), with a Redis server of the benchmark's own
(so that its command count is the fleet's alone). Phases, politeness off and then on (a
per-host delay of --polite-delay seconds):
1. ``harvester crawl SITES`` in one process (the baseline);
2. ``harvester crawl SITES --distributed`` then W ``harvester worker --exit-when-idle``, W = 1, 2, 4;
and once, a worker started on an empty queue (what starting a worker costs) and a
single-process crawl of one site alone (so that the difference gives the cost of each
further report, start-up aside).
With --repeat N each phase runs N times and the run with the median wall time is kept.
Prints JSON per phase: wall time, reports/s, the ratio to the single-process crawl, CPU
seconds of the crawl processes (user + system, children included) per report, Redis
commands per report. On a machine shared with other work, wall times follow its load; CPU
seconds per report do not, and are what the README's national estimate uses.
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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PG_URL = os.environ.get("HARVESTER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FLEET_SIZES = (1, 2, 4)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def children_cpu_s() -> float:
    """CPU time of the finished subprocesses (and the processes they waited for) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def harvester(*args: str) -> list[str]:
    return [sys.executable, "-m", "harvester.cli.main", *args]


def site_configs(sites_dir: Path, urls: list[str], delay: float | None) -> list[str]:
    names = []
    for number, url in enumerate(urls, 1):
        name = f"bench-{number}"
        politeness = f"politeness:\n  download_delay: {delay}\n  concurrency: 2\n" if delay else ""
        (sites_dir / f"{name}.yaml").write_text(
            f"title: bench site {number}\nfamily: hanweb\nregion: 山东省\n"
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


class Schemas:
    """A fresh PostgreSQL schema per crawl, all dropped at the end."""

    def __init__(self) -> None:
        import sqlalchemy as sa

        self.sa = sa
        self.admin = sa.create_engine(PG_URL)
        self.made: list[str] = []

    def fresh(self) -> str:
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with self.admin.begin() as conn:
            conn.execute(self.sa.text(f'CREATE SCHEMA "{schema}"'))
        self.made.append(schema)
        return f"{PG_URL}?options=-csearch_path%3D{schema}"

    def migrate(self, db_url: str, data: Path) -> None:
        from storage.archive import Archive

        Archive.open(db_url, data).close()

    def reports(self, db_url: str) -> int:
        engine = self.sa.create_engine(db_url)
        with engine.connect() as conn:
            found = conn.execute(self.sa.text("SELECT count(*) FROM reports")).scalar_one()
        engine.dispose()
        return int(found)

    def drop_all(self) -> None:
        with self.admin.begin() as conn:
            for schema in self.made:
                conn.execute(self.sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        self.admin.dispose()


class Bench:
    def __init__(self, work: Path, redis_server: Any, schemas: Schemas) -> None:
        import redis

        self.work = work
        self.redis_url = redis_server.url
        self.redis = redis.Redis.from_url(self.redis_url)
        self.schemas = schemas

    def commands(self) -> int:
        return int(self.redis.info("stats")["total_commands_processed"])

    def measure(self, env: dict[str, str], label: str, workers: int) -> dict[str, Any]:
        """One crawl of the sites: single-process (``workers`` 0) or seeded and served by a fleet."""
        db_url = self.schemas.fresh()
        data = self.work / f"{label}-{uuid.uuid4().hex[:6]}"
        self.schemas.migrate(db_url, data)  # outside the measured crawl, single-process or not
        run_env = {**env, "HARVESTER_DATA_DIR": str(data), "HARVESTER_REDIS_URL": self.redis_url}
        names = env["BENCH_SITES"].split()
        self.redis.flushdb()
        result: dict[str, Any] = {"workers": workers}
        cpu, commands = children_cpu_s(), self.commands()
        if workers:
            result["seed_s"] = round(run(run_env, [harvester("crawl", *names, "--distributed", "--db", db_url)]), 2)
            wall = run(run_env, [harvester("worker", *names, "--exit-when-idle", "--db", db_url)
                                 for _ in range(workers)])
        else:
            wall = run(run_env, [harvester("crawl", *names, "--db", db_url)])
        reports = self.schemas.reports(db_url)
        cpu_s = children_cpu_s() - cpu
        result.update(wall_s=round(wall, 2), reports=reports, reports_per_s=round(reports / wall, 2),
                      cpu_s=round(cpu_s, 1), cpu_s_per_report=round(cpu_s / max(reports, 1), 4))
        if workers:
            result["redis_commands_per_report"] = round((self.commands() - commands) / max(reports, 1), 1)
        return result

    def median(self, repeat: int, env: dict[str, str], label: str, workers: int) -> dict[str, Any]:
        runs = sorted((self.measure(env, label, workers) for _ in range(repeat)), key=lambda r: r["wall_s"])
        kept = runs[len(runs) // 2]
        if repeat > 1:
            kept["wall_s_all"] = [r["wall_s"] for r in runs]
        return kept

    def idle_worker(self, env: dict[str, str]) -> dict[str, float]:
        """A worker that finds no work: the start-up and shutdown every worker pays once."""
        db_url = self.schemas.fresh()
        run_env = {**env, "HARVESTER_DATA_DIR": str(self.work / "idle"), "HARVESTER_REDIS_URL": self.redis_url}
        run(run_env, [harvester("crawl", "--distributed", *env["BENCH_SITES"].split(), "--db", db_url)])
        self.redis.flushdb()
        cpu = children_cpu_s()
        wall = run(run_env, [harvester("worker", *env["BENCH_SITES"].split(), "--exit-when-idle", "--db", db_url)])
        return {"wall_s": round(wall, 2), "cpu_s": round(children_cpu_s() - cpu, 2)}


@contextmanager
def served(roots: list[Path]) -> Iterator[list[str]]:
    from harvester.fixtureserver.server import serve_in_thread

    servers = [serve_in_thread(root=root, host=f"127.0.0.{number + 2}") for number, root in enumerate(roots)]
    try:
        yield [s.url for s in servers]
    finally:
        for server in servers:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=60, help="reports per site")
    parser.add_argument("--sites", type=int, default=4, help="sites, each on a loopback host of its own")
    parser.add_argument("--polite-delay", type=float, default=0.05, help="per-host delay of the polite phase (s)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per phase; the median is kept")
    args = parser.parse_args()

    from fixtures.killable import RedisServer
    from fixtures.portals.generator.big import write_split_roots

    results: dict[str, Any] = {"reports_per_site": args.reports, "sites": args.sites, "repeat": args.repeat,
                               "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        work = Path(tmp)
        redis_server = RedisServer(work / "redis", persist=False)
        redis_server.start()
        schemas = Schemas()
        try:
            bench = Bench(work, redis_server, schemas)
            roots = write_split_roots(args.reports, args.sites, REPO / "fixtures" / "seeds", work / "portals")
            with served(roots) as urls:
                results.update(phases(bench, urls, args))
            results["peak_rss_mb_any_process"] = peak_rss_mb()
            results["load_average_at_end"] = os.getloadavg()
        finally:
            redis_server.stop()
            schemas.drop_all()
    print(json.dumps(results, ensure_ascii=False, indent=2))


def phases(bench: Bench, urls: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Politeness off, then on: the single-process crawl and the fleets of each size."""
    results: dict[str, Any] = {}
    for polite, delay in ((False, None), (True, args.polite_delay)):
        sites_dir = bench.work / f"sites-{'polite' if polite else 'fast'}"
        sites_dir.mkdir()
        names = site_configs(sites_dir, urls, delay)
        env = dict(os.environ, HARVESTER_SITES_DIR=str(sites_dir), PYTHONPATH=str(REPO),
                   HARVESTER_POLITE="1" if polite else "0", BENCH_SITES=" ".join(names))
        baseline = bench.median(args.repeat, env, "single", 0)
        fleet = [bench.median(args.repeat, env, f"fleet{w}", w) for w in FLEET_SIZES]
        for result in (baseline, *fleet):
            result["ratio_to_single_process"] = round(baseline["wall_s"] / result["wall_s"], 3)
        phase: dict[str, Any] = {"single_process": baseline, "fleet": fleet}
        if polite:
            # Each request to a host waits its turn: its list pages (20 reports a page) and report pages.
            phase["delay_s"] = delay
            phase["delay_lower_bound_s"] = round((args.reports + -(-args.reports // 20)) * (delay or 0), 2)
        else:
            results["worker_start_up"] = bench.idle_worker(env)
            # One site alone: what a crawl costs beyond starting up, per report, is the difference.
            one_site = bench.median(args.repeat, {**env, "BENCH_SITES": names[0]}, "single-one-site", 0)
            extra = max(1, baseline["reports"] - one_site["reports"])
            results["single_process_per_extra_report"] = {
                "cpu_s": round((baseline["cpu_s"] - one_site["cpu_s"]) / extra, 4),
                "wall_s": round((baseline["wall_s"] - one_site["wall_s"]) / extra, 4),
                "one_site": one_site,
            }
            one = fleet[0]
            results["queue_overhead"] = {
                "cpu_s_per_report": round(one["cpu_s_per_report"] - baseline["cpu_s_per_report"], 4),
                "cpu_ratio_fleet1_to_single": round(one["cpu_s_per_report"] / baseline["cpu_s_per_report"], 3),
                "wall_ratio_fleet1_to_single": round(one["wall_s"] / baseline["wall_s"], 3),
            }
        results["polite" if polite else "politeness_off"] = phase
    return results


if __name__ == "__main__":
    main()
