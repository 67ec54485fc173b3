"""The accuracy benchmark's scoring and its document discovery, on the real Hebei page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from harvester.cli.main import cli
from parsers.accuracy import Case, discover, score, total

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"
STEM = "hebei_jyt_2022_copied_text"


def _copy(tmp_path: Path, edit=None) -> Case:
    folder = tmp_path / "docs"
    (folder / "expected").mkdir(parents=True)
    document = folder / f"{STEM}.txt"
    shutil.copy(REAL / f"{STEM}.txt", document)
    expected = json.loads((REAL / "expected" / f"{STEM}.json").read_text(encoding="utf-8"))
    if edit:
        edit(expected)
    (folder / "expected" / f"{STEM}.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    return Case(document, folder / "expected" / f"{STEM}.json")


def test_discovery_conventions(tmp_path: Path) -> None:
    case = _copy(tmp_path)
    beside = tmp_path / "docs" / "other.txt"
    beside.write_text("x", encoding="utf-8")
    (tmp_path / "docs" / "other.expected.json").write_text("{}", encoding="utf-8")
    (tmp_path / "docs" / "lonely.txt").write_text("x", encoding="utf-8")
    found = {(c.document.name, c.expected.name) for c in discover(tmp_path)}
    assert found == {(case.document.name, f"{STEM}.json"), ("other.txt", "other.expected.json")}


def test_a_perfect_read(tmp_path: Path) -> None:
    result = score(_copy(tmp_path))
    assert (result.cells_expected, result.cells_right, result.t2_cells_expected, result.t2_cells_right) == (190, 190, 10, 10)
    assert (result.cells_invented, result.tables_complete, result.silent_failures, result.false_errors,
            result.missed_inconsistencies) == (0, 3, 0, 0, 0)


def test_wrong_invented_and_missed(tmp_path: Path) -> None:
    def edit(expected: dict) -> None:
        rows = expected["tables"]["applications"]["rows"]
        rows["granted"]["cells"]["natural_person"] = {"raw": "25", "value": 25, "unit": None, "state": "number"}
        rows["carried_over"]["cells"]["total"] = {"raw": "", "value": None, "unit": None, "state": "blank"}
        expected["findings"].append({"rule": "T3.row_total", "severity": "error", "table": "applications",
                                     "row": "granted", "column": "total"})

    result = score(_copy(tmp_path, edit))
    assert (result.cells_right, result.cells_invented) == (188, 1)  # the 24 read where 25 is printed; the 0 where nothing is
    assert result.silent_failures == 1  # table 3 called complete with wrong cells
    assert result.missed_inconsistencies == 1
    assert total([result])["cell_accuracy"] == round(188 / 190, 4)


def test_eval_command(tmp_path: Path) -> None:
    _copy(tmp_path)
    result = CliRunner().invoke(cli, ["eval", str(tmp_path)])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[-1]["total"]["cell_accuracy"] == 1.0 and lines[0]["cells_expected"] == 190
    empty = CliRunner().invoke(cli, ["eval", str(tmp_path / "docs" / "expected")])
    assert empty.exit_code == 1
