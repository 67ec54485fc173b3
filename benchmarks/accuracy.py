"""Parser accuracy on every document with a hand-read expected JSON (see parsers/accuracy.py).

Prints one JSON line per document, then a total line: table-3/4 cells right of cells
expected (target >= 99.5% on documents nobody here has seen), table-2 cells, cells invented
(target 0), tables complete, silent failures (a table called complete with a wrong cell),
false error findings (target 0) and missed inconsistencies (target 0). The total also gives
the run's time and peak traced memory.

    .venv/bin/python benchmarks/accuracy.py [DIR ...]     (default: fixtures/)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from parsers.accuracy import discover, score, total  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=[REPO / "fixtures"])
    args = parser.parse_args()
    tracemalloc.start()
    started = time.perf_counter()
    scores = []
    for case in (case for folder in args.dirs for case in discover(folder)):
        scores.append(score(case))
        print(json.dumps(scores[-1].to_dict(), ensure_ascii=False))
    summary = total(scores)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    summary["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    print(json.dumps({"total": summary}, ensure_ascii=False))


if __name__ == "__main__":
    main()
