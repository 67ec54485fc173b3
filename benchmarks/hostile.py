"""What the extractor limits cost on real reports, and what the hostile corpus costs with them.

Prints JSON with two parts:

- ``overhead``: seconds of one parse of a fixture report (HTML, DOCX, PDF) with the limit
  checks, and as a ratio to the same parse with the checks switched off (the baseline,
  measured in the same run, alternating with it; the fastest run of each counts);
- ``corpus``: each bomb of ``tests/hostile/corpus.py`` parsed in a child process: its wall
  time and peak RSS, both as ratios to parsing the real report of the same format in a
  child process, and the one-line error it ended with.

    .venv/bin/python benchmarks/hostile.py [--min-seconds 1.0]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from parsers import limits  # noqa: E402
from parsers.api import parse_bytes  # noqa: E402
from parsers.extract import docx, html, html_tables, pdf, pdf_tables  # noqa: E402
from tests.hostile import corpus  # noqa: E402

_BOMBS = ("docx_grid_span", "docx_grid_before", "docx_nested_sdt", "docx_inflating_member", "html_nested",
          "html_span_bomb", "pdf_inflating_stream")
_CHILD = """
import sys, time
sys.path.insert(0, {repo!r})
from parsers.api import parse_file
from parsers.errors import ParseError
start = time.perf_counter()
try:
    parse_file(sys.argv[1])
    outcome = "parsed"
except ParseError as exc:
    outcome = str(exc)
print(time.perf_counter() - start)
# VmHWM, not ru_maxrss: the latter survives exec and would report the parent's peak
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
print(outcome)
"""


@contextmanager
def _checks_off() -> Iterator[None]:
    """The extractors as they were before the limits: every check a no-op, members read whole."""
    saved = [(module, name, getattr(module, name)) for module, name in (
        (docx, "check_tree"), (docx, "take_table_slots"), (docx, "read_zip_member"), (html, "check_tree"),
        (html_tables, "take_table_slots"), (pdf_tables, "take_table_slots"), (pdf, "check_stream_sizes"))]
    docx.check_tree = html.check_tree = pdf.check_stream_sizes = lambda *_: None
    docx.take_table_slots = html_tables.take_table_slots = pdf_tables.take_table_slots = lambda *_: None
    docx.read_zip_member = lambda archive, name: archive.read(name)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def _fastest(data: bytes, filename: str, min_seconds: float) -> tuple[float, float]:
    """(seconds with the checks, seconds without) of one parse, the fastest of alternating runs.

    Alternating and keeping the fastest run of each keeps other work on the machine from
    landing on one side of the comparison only.
    """
    checked = baseline = float("inf")
    rounds, start = 0, time.perf_counter()
    while rounds < 5 or time.perf_counter() - start < min_seconds:
        with _checks_off():
            began = time.perf_counter()
            parse_bytes(data, filename=filename)
            baseline = min(baseline, time.perf_counter() - began)
        began = time.perf_counter()
        parse_bytes(data, filename=filename)
        checked = min(checked, time.perf_counter() - began)
        rounds += 1
    return checked, baseline


def _overhead(min_seconds: float) -> dict[str, dict[str, float]]:
    reports: dict[str, tuple[Callable[[], bytes], str]] = {
        "html": (corpus.real_html, "r.html"), "docx": (corpus.real_docx, "r.docx"), "pdf": (corpus.real_pdf, "r.pdf")}
    result = {}
    for fmt, (read, filename) in reports.items():
        checked, baseline = _fastest(read(), filename, min_seconds)
        result[fmt] = {"seconds_per_parse": round(checked, 5), "baseline_seconds": round(baseline, 5),
                       "ratio_to_baseline": round(checked / baseline, 3)}
    return result


def _in_child(path: Path) -> tuple[float, int, str]:
    run = subprocess.run([sys.executable, "-c", _CHILD.format(repo=str(REPO)), str(path)],
                         capture_output=True, text=True, timeout=600, check=True)
    seconds, rss_kb, outcome = run.stdout.strip().split("\n", 2)
    return float(seconds), int(rss_kb), outcome


def _corpus() -> dict[str, dict[str, object]]:
    result: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as work:
        baselines = {}
        for suffix, read in ((".docx", corpus.real_docx), (".html", corpus.real_html), (".pdf", corpus.real_pdf)):
            path = Path(work) / f"real{suffix}"
            path.write_bytes(read())
            baselines[suffix] = _in_child(path)
        for name in _BOMBS:
            filename, build = corpus.CORPUS[name]
            path = Path(work) / filename
            path.write_bytes(build())
            seconds, rss_kb, outcome = _in_child(path)
            base_seconds, base_rss, _ = baselines[path.suffix]
            result[name] = {"bytes": path.stat().st_size, "seconds": round(seconds, 3), "peak_rss_mb": round(rss_kb / 1024, 1),
                            "time_ratio_to_real_report": round(seconds / base_seconds, 2),
                            "rss_ratio_to_real_report": round(rss_kb / base_rss, 2), "outcome": outcome}
            os.unlink(path)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-seconds", type=float, default=1.0, help="alternate the overhead runs of each format at least this long")
    args = parser.parse_args()
    print(json.dumps({"limits": {name: default for name, default, _ in limits.describe()},
                      "overhead": _overhead(args.min_seconds), "corpus": _corpus()}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
