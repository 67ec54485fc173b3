"""Many sites in one crawl, as a national harvest crawls them: the big portal split into
``--sites`` sites of ``--reports`` reports each, each served on a loopback host of its own,
and ``harvester crawl`` of them all in one process, against the same reports as one site
crawled in the same run (the baseline). Politeness off, SQLite.

Prints JSON for both crawls: wall time, CPU per report by process kind, the most processes
of each kind running at once, and the peak RSS of the whole process tree; and the many-site
crawl's wall time, CPU and peak memory as ratios to the one-site crawl's. Issue 15's memory
target (the whole tree under 1 GB) is printed against the many-site crawl's peak.

    .venv/bin/python benchmarks/sites.py [--sites 20] [--reports 25]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawl import TREE_RSS_MB, run_step  # noqa: E402
from distributed import served, site_configs  # noqa: E402


def crawl_sites(names: list[str], work: Path, env: dict[str, str], reports: int) -> dict[str, Any]:
    data = work / "data"
    run_env = dict(env, HARVESTER_DATA_DIR=str(data))
    cmd = [sys.executable, "-m", "harvester.cli.main", "crawl", *names, "--db", f"sqlite:///{data / 'a.sqlite3'}", "--json"]
    step, out = run_step(cmd, run_env)
    sites = json.loads(out)["sites"]
    found = sum(site["new_reports"] for site in sites.values())
    if found != reports:
        raise SystemExit(f"{len(names)} sites gave {found} new reports, not {reports}")
    return {
        "sites": len(names),
        "reports": found,
        "wall_s": round(step.wall_s, 2),
        "cpu_ms_per_report": {k: round(v * 1000 / found, 2) for k, v in step.cpu_by_stage.items()},
        "cpu_ms_per_report_total": round(step.cpu_s * 1000 / found, 2),
        "most_processes_at_once": step.most_processes,
        "peak_tree_rss_mb": step.peak_rss_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20, help="sites, each on a loopback host of its own")
    parser.add_argument("--reports", type=int, default=25, help="reports per site")
    args = parser.parse_args()

    from fixtures.portals.generator.big import write_split_roots

    total = args.sites * args.reports
    with tempfile.TemporaryDirectory(prefix="sites-bench-") as tmp:
        work = Path(tmp)
        many_roots = write_split_roots(args.reports, args.sites, REPO / "fixtures" / "seeds", work / "many")
        one_root = write_split_roots(total, 1, REPO / "fixtures" / "seeds", work / "one")
        env = dict(os.environ, PYTHONPATH=str(REPO), HARVESTER_POLITE="0")
        with served(one_root) as urls:
            (work / "sites-one").mkdir()
            names = site_configs(work / "sites-one", urls, None)
            one = crawl_sites(names, work / "crawl-one", {**env, "HARVESTER_SITES_DIR": str(work / "sites-one")}, total)
        with served(many_roots) as urls:
            (work / "sites-many").mkdir()
            names = site_configs(work / "sites-many", urls, None)
            many = crawl_sites(names, work / "crawl-many", {**env, "HARVESTER_SITES_DIR": str(work / "sites-many")}, total)
    ratios = {
        "wall_time": round(many["wall_s"] / one["wall_s"], 3),
        "cpu_per_report": round(many["cpu_ms_per_report_total"] / one["cpu_ms_per_report_total"], 3),
        "peak_tree_rss": round(many["peak_tree_rss_mb"] / one["peak_tree_rss_mb"], 3),
    }
    print(json.dumps({
        "one_site": one,
        "many_sites": many,
        "many_over_one": ratios,
        "many_sites_peak_tree_rss_mb": {"value": many["peak_tree_rss_mb"], "target": f"<= {TREE_RSS_MB}",
                                        "met": many["peak_tree_rss_mb"] <= TREE_RSS_MB},
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
