"""Render benchmark: what rendering a column in Chromium costs against reading it as served.

    .venv/bin/python benchmarks/render.py [--repeat 3]

Serves the county-style portal of the generic walker's tests on loopback with three reports
and crawls, each in its own ``harvester crawl`` subprocess into a fresh SQLite archive, with
politeness off:
- the baseline: the column whose links are in the HTML (no render);
- the same reports listed by a column whose links exist only after its script runs,
  with ``render: true`` (one page rendered in /usr/bin/chromium);
- the plain column with ``render: auto`` (links found, so nothing is rendered: the cost of
  having a browser ready).
Prints JSON: median seconds of each, ratios to the baseline, and the peak RSS of the crawl
processes (the crawl process itself; Chromium's processes are not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "crawl"))

from generic_portal import COLUMN, REPORTS, SCRIPT_COLUMN, GenericPortal  # noqa: E402


def crawl(site: str, workdir: Path, env: dict[str, str]) -> tuple[float, float, dict[str, Any]]:
    """One crawl into a fresh archive: seconds, the process's peak RSS in MB, its stats."""
    data = Path(tempfile.mkdtemp(dir=workdir))
    cmd = [sys.executable, "-m", "harvester.cli.main", "crawl", site, "--db", f"sqlite:///{data}/a.sqlite3", "--json"]
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env={**env, "HARVESTER_DATA_DIR": str(data)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    out = process.stdout.read() if process.stdout else ""
    stats = json.loads(out)["sites"][site]
    if stats["new_reports"] != 3:
        raise SystemExit(f"{site}: expected 3 new reports, got {stats}")
    return elapsed, round(usage.ru_maxrss / 1024, 1), stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    portal = GenericPortal(REPORTS[:3])
    try:
        with tempfile.TemporaryDirectory(prefix="render-bench-") as tmp:
            workdir = Path(tmp)
            sites = workdir / "sites"
            sites.mkdir()
            (sites / "plain.yaml").write_text(portal.site_config(COLUMN), encoding="utf-8")
            (sites / "rendered.yaml").write_text(portal.site_config(SCRIPT_COLUMN, render="true"), encoding="utf-8")
            (sites / "ready.yaml").write_text(portal.site_config(COLUMN, render="auto"), encoding="utf-8")
            env = dict(os.environ, HARVESTER_SITES_DIR=str(sites), HARVESTER_POLITE="0")
            runs: dict[str, list[tuple[float, float]]] = {"plain": [], "rendered": [], "ready": []}
            for _ in range(repeat):
                for site in runs:  # interleaved, so load on the machine hits each alike
                    elapsed, rss, _ = crawl(site, workdir, env)
                    runs[site].append((elapsed, rss))
    finally:
        portal.stop()
    seconds = {site: round(statistics.median(t for t, _ in values), 2) for site, values in runs.items()}
    peak = {site: max(r for _, r in values) for site, values in runs.items()}
    print(json.dumps({
        "repeat": repeat,
        "reports_per_crawl": 3,
        "median_seconds": {"baseline_plain": seconds["plain"], "render_true": seconds["rendered"], "render_auto_unneeded": seconds["ready"]},
        "ratio_to_baseline": {"render_true": round(seconds["rendered"] / seconds["plain"], 2),
                              "render_auto_unneeded": round(seconds["ready"] / seconds["plain"], 2)},
        "peak_rss_mb": {"baseline_plain": peak["plain"], "render_true": peak["rendered"], "render_auto_unneeded": peak["ready"]},
    }, indent=2))


if __name__ == "__main__":
    main()
