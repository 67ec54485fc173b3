"""Parse throughput per format over the fixture documents and the seeds.

Prints JSON: for each format, reports parsed per second (extraction + parsing +
validation), seconds per report, peak traced memory of one parse, and the time per report
as a ratio to a baseline measured in the same run (decoding and hashing the same bytes),
so figures from different machines compare. Targets: >= 200/s for HTML and text, >= 20/s
for PDF (on the pdfium path; see parsers/extract/pdf_page.py for the pdfminer fallback).

    .venv/bin/python benchmarks/parse.py [--min-seconds 1.0]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from parsers.api import parse_bytes  # noqa: E402
from parsers.extract.pdf_page import pdfium_reads  # noqa: E402
from parsers.extract.sniff import sniff_format  # noqa: E402

TARGETS = {"seedtext": 200, "html": 200, "pdf": 20}


def _inputs() -> dict[str, list[tuple[str, bytes]]]:
    files = sorted((REPO / "fixtures" / "seeds").glob("*.txt")) + sorted(
        p for p in (REPO / "fixtures" / "documents").glob("*") if p.suffix in (".html", ".docx", ".pdf", ".txt")
    )
    by_format: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    for path in files:
        data = path.read_bytes()
        by_format[sniff_format(data, suffix=path.suffix.lstrip("."))].append((path.name, data))
    return by_format


def _rate(work: list[tuple[str, bytes]], run, min_seconds: float) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    done, start = 0, time.perf_counter()
    while True:
        for name, data in work:
            run(name, data)
            done += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done, elapsed


def _baseline(name: str, data: bytes) -> None:
    hashlib.sha256(data).hexdigest()
    data.decode("utf-8", errors="replace")


def _parse(name: str, data: bytes) -> None:
    parse_bytes(data, filename=name)


def _peak_bytes(work: list[tuple[str, bytes]]) -> int:
    peak = 0
    for name, data in work:
        tracemalloc.start()
        _parse(name, data)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-seconds", type=float, default=1.0, help="time each format for at least this long")
    args = parser.parse_args()
    results = {}
    for fmt, work in sorted(_inputs().items()):
        for name, data in work:  # warm up: imports, regex caches
            _parse(name, data)
        base_count, base_elapsed = _rate(work, _baseline, min(args.min_seconds, 0.2))
        count, elapsed = _rate(work, _parse, args.min_seconds)
        per_report = elapsed / count
        results[fmt] = {
            "files": len(work),
            "reports_per_second": round(count / elapsed, 1),
            "seconds_per_report": round(per_report, 5),
            "ratio_to_baseline": round(per_report / (base_elapsed / base_count), 1),
            "peak_memory_mb": round(_peak_bytes(work) / 2**20, 2),
            "target_reports_per_second": TARGETS.get(fmt),
        }
        if fmt == "pdf":  # files pdfium reads whole; the others go through pdfminer, several times slower
            results[fmt]["read_by_pdfium"] = sum(1 for _, data in work if pdfium_reads(data))
    json.dump({"benchmark": "parse", "python": sys.version.split()[0], "formats": results}, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
