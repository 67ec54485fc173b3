"""How right the parser is on documents whose expected JSON was read by hand.

Documents are found by a convention, so a new format or a new folder of real reports plugs
in without code: a document ``DIR/NAME.EXT`` is expected to parse to the first of
``DIR/expected/NAME.json``, ``DIR/../expected/NAME.json`` or ``DIR/NAME.expected.json``
that exists, or to the ``expected`` file its folder's ``manifest.json`` names (relative to
the folder's parent, as ``fixtures/documents/manifest.json`` does).

Per document: table-3/4 cells right of cells expected (the figure the issue's target is set
on), table-2 cells likewise, cells invented (a blank, a dash or an absent cell read as a
number), tables complete, tables the parser calls complete although a cell is wrong
(silent failures), error findings the expected JSON does not have (false alarms), and
inconsistencies the expected JSON names that the parser missed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from parsers.api import parse_bytes
from parsers.errors import ParseError
from parsers.locations import without_locations

_SKIPPED_NAMES = ("manifest.json", "README.md")


@dataclass
class Case:
    document: Path
    expected: Path


@dataclass
class Score:
    document: str
    cells_expected: int = 0  # tables 3 and 4
    cells_right: int = 0
    t2_cells_expected: int = 0
    t2_cells_right: int = 0
    cells_invented: int = 0
    tables_expected: int = 0  # standard tables the document prints
    tables_complete: int = 0  # of those, the parser says complete
    silent_failures: int = 0  # the parser says complete, a cell is wrong or missing
    false_errors: int = 0
    missed_inconsistencies: int = 0
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["cell_accuracy"] = _ratio(self.cells_right, self.cells_expected)
        return out


def discover(root: Path) -> list[Case]:
    """Every document under ``root`` that has an expected JSON, by the convention above."""
    cases: list[Case] = []
    for folder in sorted({root, *(p for p in root.rglob("*") if p.is_dir())}):
        if folder.name == "expected":
            continue
        named = _manifest(folder)
        for document in sorted(p for p in folder.iterdir() if p.is_file()):
            if document.name in _SKIPPED_NAMES or document.name.endswith(".expected.json"):
                continue
            expected = named.get(document.name) or next(
                (c for c in (folder / "expected" / f"{document.stem}.json", folder.parent / "expected" / f"{document.stem}.json",
                             folder / f"{document.stem}.expected.json") if c.is_file()), None)
            if expected is not None:
                cases.append(Case(document, expected))
    return cases


def score(case: Case) -> Score:
    result = Score(str(case.document))
    want = json.loads(case.expected.read_text(encoding="utf-8"))
    try:
        got = without_locations(parse_bytes(case.document.read_bytes(), filename=case.document.name)[1].to_dict())
    except ParseError as exc:
        got = {"tables": {}, "findings": [], "completeness": {}}
        result.error = str(exc)
    want_cells, got_cells = table_cells(want), table_cells(got)
    for address, cell in want_cells.items():
        right = got_cells.get(address) == cell
        if address[0] == "active_disclosure":
            result.t2_cells_expected += 1
            result.t2_cells_right += right
        else:
            result.cells_expected += 1
            result.cells_right += right
    result.cells_invented = sum(
        1 for address, cell in got_cells.items()
        if cell.get("state") == "number" and (want_cells.get(address) or {}).get("state") != "number"
    )
    for table in want.get("tables", {}):
        result.tables_expected += 1
        status = (got.get("completeness", {}).get(table) or {}).get("status")
        result.tables_complete += status == "complete"
        wrong = any(got_cells.get(a) != c for a, c in want_cells.items() if a[0] == table)
        result.silent_failures += status == "complete" and wrong
    expected_errors = {_where(f) for f in want.get("findings", []) if f["severity"] == "error"}
    result.false_errors = sum(1 for f in got.get("findings", []) if f["severity"] == "error" and _where(f) not in expected_errors)
    raised = {_where(f) for f in got.get("findings", [])}
    result.missed_inconsistencies = sum(
        1 for f in want.get("findings", []) if f["severity"] in ("error", "warning") and _where(f) not in raised
    )
    return result


def total(scores: list[Score]) -> dict[str, Any]:
    counts = {f.name: sum(getattr(s, f.name) for s in scores) for f in fields(Score) if f.type == "int"}
    return {
        "documents": len(scores),
        "unreadable": sum(1 for s in scores if s.error),
        **counts,
        "cell_accuracy": _ratio(counts["cells_right"], counts["cells_expected"]),
        "t2_cell_accuracy": _ratio(counts["t2_cells_right"], counts["t2_cells_expected"]),
    }


def table_cells(report: dict[str, Any]) -> dict[tuple[str, ...], dict[str, Any]]:
    """Every table cell of a report dict by (table, row, column); table 2 rows by item and label."""
    tables = report.get("tables") or {}
    cells: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in (tables.get("active_disclosure") or {}).get("rows", []):
        for column, cell in row["cells"].items():
            cells[("active_disclosure", row["item"] + row["label"], column)] = cell
    for key, row in (tables.get("applications") or {}).get("rows", {}).items():
        for column, cell in row["cells"].items():
            cells[("applications", key, column)] = cell
    for key, cell in (tables.get("appeals") or {}).get("cells", {}).items():
        cells[("appeals", *key.split(".", 1))] = cell
    return cells


def _where(finding: dict[str, Any]) -> tuple[Any, ...]:
    return finding["rule"], finding.get("table"), finding.get("row"), finding.get("column")


def _manifest(folder: Path) -> dict[str, Path]:
    path = folder / "manifest.json"
    if not path.is_file():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: folder.parent / entry["expected"] for name, entry in entries.items()
        if isinstance(entry, dict) and entry.get("expected") and (folder.parent / entry["expected"]).is_file()
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
