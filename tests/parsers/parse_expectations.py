"""Pairs (document file, expected JSON) for the end-to-end tests, from whatever fixtures exist.

Every seed text has its expected JSON under fixtures/expected/<seed-stem>.json once the
fixture engineer has written it; renderings of a seed in fixtures/documents/ start with the
seed's stem and must parse to the same JSON.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "fixtures" / "seeds"
EXPECTED = REPO / "fixtures" / "expected"
DOCUMENTS = REPO / "fixtures" / "documents"
# Keys that say how a file was read, not what the report says.
FORMAT_KEYS = ("source_format", "parser_version")


def expected_cases() -> list[tuple[Path, Path]]:
    cases: list[tuple[Path, Path]] = []
    for expected in sorted(EXPECTED.glob("*.json")) if EXPECTED.is_dir() else []:
        stem = expected.stem
        seed = SEEDS / f"{stem}.txt"
        if seed.exists():
            cases.append((seed, expected))
        if DOCUMENTS.is_dir():
            cases += [(doc, expected) for doc in sorted(DOCUMENTS.rglob(f"{stem}*")) if doc.is_file()]
    return cases


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in FORMAT_KEYS}


def readable_diff(expected: dict[str, Any], actual: dict[str, Any]) -> str:
    def lines(d: dict[str, Any]) -> list[str]:
        return json.dumps(d, ensure_ascii=False, indent=1, sort_keys=True).splitlines()

    return "\n".join(difflib.unified_diff(lines(expected), lines(actual), "expected", "actual", lineterm="", n=2))
