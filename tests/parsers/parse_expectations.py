"""The end-to-end cases from the fixtures: (document, expected JSON, metadata the page adds).

fixtures/README.md: every rendering of a seed parses to the seed's expected JSON except
``source_format``, with its manifest entry's ``metadata`` laid over the expected metadata.
The cases are read from whatever fixtures exist, so new renderings are tested as they land.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parsers.locations import without_locations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@dataclass(frozen=True)
class Case:
    document: Path
    expected: Path
    metadata: dict[str, Any]

    @property
    def id(self) -> str:
        return self.document.name

    def want(self) -> dict[str, Any]:
        expected = json.loads(self.expected.read_text(encoding="utf-8"))
        expected["metadata"] = {**expected["metadata"], **self.metadata}
        return comparable(expected)


def _manifest_cases(folder: Path) -> list[Case]:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    return [
        Case(folder / name, FIXTURES / entry["expected"], entry.get("metadata", {}))
        for name, entry in entries.items()
        if isinstance(entry, dict) and entry.get("expected") and (folder / name).exists()
    ]


def expected_cases() -> list[Case]:
    seeds = [
        Case(seed, FIXTURES / "expected" / f"{seed.stem}.json", {})
        for seed in sorted((FIXTURES / "seeds").glob("*.txt"))
        if (FIXTURES / "expected" / f"{seed.stem}.json").exists()
    ]
    return seeds + _manifest_cases(FIXTURES / "documents") + _manifest_cases(FIXTURES / "malformed")


def malformed_outcomes() -> dict[Path, dict[str, Any]]:
    manifest = FIXTURES / "malformed" / "manifest.json"
    if not manifest.exists():
        return {}
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    return {FIXTURES / "malformed" / name: entry for name, entry in entries.items()}


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """What a report says, for comparing with a hand-read one: not its format, the parser that
    read it (named by its source's digest), nor where its cells are printed."""
    return {k: v for k, v in without_locations(report).items() if k not in ("source_format", "parser_version")}


def readable_diff(expected: dict[str, Any], actual: dict[str, Any]) -> str:
    def lines(d: dict[str, Any]) -> list[str]:
        return json.dumps(d, ensure_ascii=False, indent=1, sort_keys=True).splitlines()

    return "\n".join(difflib.unified_diff(lines(expected), lines(actual), "expected", "actual", lineterm="", n=2))
