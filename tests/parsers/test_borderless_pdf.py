"""PDF tables printed without ruling lines (Word tables without borders, web tables with
border="0"), made from the seed pages by LibreOffice and by Chromium's print to PDF: their
cells are the source's. Ruled PDFs keep their own reading (benchmarks/accuracy.py)."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from parsers.api import parse_bytes
from parsers.extract import extract
from parsers.layout_honesty import POSSIBLY_MISPLACED, UNRULED_TABLE, restate_for_layout
from parsers.report import Finding
from tests.parsers import ocr_material as material

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert not material.missing_tools(), f"test material needs {', '.join(material.missing_tools())} on PATH"
    return tmp_path_factory.mktemp("borderless")


def _expected(seed: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "expected" / f"{seed}.json").read_text(encoding="utf-8"))


def _borderless(seed: str, made: Path) -> Path:
    return material.borderless_page(FIXTURES / "documents" / f"{seed}.html", made / f"{seed}.html")


def _raw(table: dict[str, Any] | None) -> Any:
    """A standard table's printed cells (and row labels), without the template key."""
    if table is None:
        return None
    if "cells" in table:
        return {key: cell["raw"] for key, cell in table["cells"].items()}
    rows = table["rows"]
    if isinstance(rows, dict):
        return {key: (row["label"], {col: cell["raw"] for col, cell in row["cells"].items()}) for key, row in rows.items()}
    return [(row["label"], {col: cell["raw"] for col, cell in row["cells"].items()}) for row in rows]


def test_the_pdf_of_a_page_without_rulings_has_tables(made: Path) -> None:
    pdf = material.chromium_pdf(_borderless("001_edb62deb526a149a", made), made / "001-chromium.pdf")
    doc = extract(pdf.read_bytes())
    assert sum(block.kind == "table" for block in doc.blocks) >= 3


@pytest.mark.parametrize("seed", ["001_edb62deb526a149a", "003_405f20c665fb23e7"])
def test_a_browsers_print_of_borderless_tables_reads_as_the_source(made: Path, seed: str) -> None:
    pdf = material.chromium_pdf(_borderless(seed, made), made / f"{seed}-chromium.pdf")
    _, report = parse_bytes(pdf.read_bytes())
    tables, expected = report.to_dict()["tables"], _expected(seed)["tables"]
    assert _raw(tables.get("appeals")) == _raw(expected["appeals"])
    assert _numbers(_raw(tables.get("applications"))) == _numbers(_raw(expected["applications"]))
    if seed == "001_edb62deb526a149a":
        assert _raw(tables.get("applications")) == _raw(expected["applications"])
        assert _printed(_raw(tables.get("active_disclosure"))) == _raw(expected["active_disclosure"])
    # 003 still takes a few labels' neighbours in (the 「（五）不予处理」 block's heading
    # before 「3.要求提供公开出版物」) and one of table 2's units.


def _numbers(rows: dict[str, tuple[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    return {key: cells for key, (_, cells) in rows.items()}


def _printed(rows: list[tuple[str, dict[str, str]]]) -> list[tuple[str, dict[str, str]]]:
    """Table 2's rows without the blank cells under a blank heading: without rulings a section
    of three columns cannot be told from one of four whose fourth is left blank."""
    return [(label, {col: raw for col, raw in cells.items() if col or raw}) for label, cells in rows]


def test_libreoffices_pdf_of_a_borderless_table_2_reads_as_the_source(made: Path) -> None:
    seed = "000_9d093eecd5b1c4d3"
    pdf = material.office_convert(_borderless(seed, made), "pdf", made / "office")
    _, report = parse_bytes(pdf.read_bytes())
    assert _printed(_raw(report.to_dict()["tables"].get("active_disclosure"))) == _raw(_expected(seed)["tables"]["active_disclosure"])


def test_a_borderless_table_a_page_break_cuts_is_joined_though_its_next_page_starts_in_a_label_column(made: Path) -> None:
    # LibreOffice breaks 001's table 3 inside the rows of 「（四）无法提供」: the next page's rows
    # all start in the second label column, so that page has no left edge in common with the first.
    seed = "001_edb62deb526a149a"
    pdf = material.office_convert(_borderless(seed, made), "pdf", made / "office")
    _, report = parse_bytes(pdf.read_bytes())
    assert _raw(report.to_dict()["tables"].get("applications")) == _raw(_expected(seed)["tables"]["applications"])


def test_cells_placed_by_position_say_so_and_their_failed_rules_are_not_the_agencys(made: Path) -> None:
    pdf = material.chromium_pdf(_borderless("001_edb62deb526a149a", made), made / "001-honesty.pdf")
    _, report = parse_bytes(pdf.read_bytes())
    total = report.applications.rows["new_received"].cells["total"]
    assert total.location is not None and total.location.unruled
    assert total.to_dict()["location"]["unruled"] is True
    warned = {f.table for f in report.findings if f.rule == UNRULED_TABLE}
    assert {"applications", "appeals"} <= warned
    failed = Finding("T3.row_total", "error", "applications", "new_received", "total", total.raw, "0", "does not add up")
    [restated] = [f for f in restate_for_layout(report, [failed]) if f.rule != UNRULED_TABLE]
    assert (restated.rule, restated.severity) == (POSSIBLY_MISPLACED, "warning")
    assert "T3.row_total" in restated.message and "无表格线" in restated.message_zh


def test_the_unruled_table_warnings_come_in_the_tables_order_whatever_the_hash_seed(made: Path) -> None:
    pdf = material.chromium_pdf(_borderless("001_edb62deb526a149a", made), made / "001-order.pdf")
    _, report = parse_bytes(pdf.read_bytes())
    saved = made / "001-order.pickle"
    saved.write_bytes(pickle.dumps(report))
    script = ("import pickle, sys; from parsers.layout_honesty import UNRULED_TABLE, restate_for_layout; "
              "report = pickle.loads(open(sys.argv[1], 'rb').read()); "
              "print(' '.join(f.table for f in restate_for_layout(report, []) if f.rule == UNRULED_TABLE))")
    orders = [subprocess.run([sys.executable, "-c", script, str(saved)], env={**os.environ, "PYTHONHASHSEED": str(seed)},
                             cwd=FIXTURES.parent, capture_output=True, text=True, check=True).stdout.strip()
              for seed in range(4)]
    in_table_order = " ".join(t for t in ("active_disclosure", "applications", "appeals") if t in orders[0].split())
    assert "applications appeals" in in_table_order
    assert orders == [in_table_order] * 4


def test_a_ruled_pdf_has_no_cells_placed_by_position() -> None:
    _, report = parse_bytes((FIXTURES / "real" / "huaian_szf_2024.pdf").read_bytes())
    assert not any(f.rule.startswith("layout.") for f in report.findings)
    assert "unruled" not in report.applications.rows["new_received"].cells["total"].to_dict()["location"]
