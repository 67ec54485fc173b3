"""The real reports of fixtures/real/ and their hand-read expected JSON.

Shared by the test of the originals and the tests of their LibreOffice/Chromium renderings,
which must read to the same table cells.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"


def real_documents() -> list[Path]:
    """Every real document that has an expected JSON, by name."""
    expected = {path.stem for path in (REAL / "expected").glob("*.json")}
    return sorted(path for path in REAL.iterdir() if path.is_file() and path.stem in expected)


def expected_of(document: Path) -> dict[str, Any]:
    """The document's expected JSON without its ``_notes`` (what was decided where it is ambiguous)."""
    expected = json.loads((REAL / "expected" / f"{document.stem}.json").read_text(encoding="utf-8"))
    return {key: value for key, value in expected.items() if not key.startswith("_")}


def table_cells(report: dict[str, Any]) -> dict[str, str | None]:
    """Every table cell of a report dict by a path naming its table, row and column -> its printed text."""
    tables = report["tables"]
    cells: dict[str, str | None] = {}
    for index, row in enumerate(tables.get("active_disclosure", {}).get("rows", [])):
        for column, cell in row["cells"].items():
            cells[f"T2/{index}:{row['item']}{row['label']}/{column}"] = cell["raw"]
    for key, row in tables.get("applications", {}).get("rows", {}).items():
        for column, cell in row["cells"].items():
            cells[f"T3/{key}/{column}"] = cell["raw"]
    for key, cell in tables.get("appeals", {}).get("cells", {}).items():
        cells[f"T4/{key}"] = cell["raw"]
    return cells


def cell_differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Cells missing, wrong or invented in ``actual``, one line each."""
    want, got = table_cells(expected), table_cells(actual)
    lines = [f"{path}: expected {want[path]!r}, got {got.get(path, '<missing>')!r}"
             for path in want if got.get(path) != want[path]]
    lines += [f"{path}: not in the document, got {got[path]!r}" for path in got if path not in want]
    return lines
