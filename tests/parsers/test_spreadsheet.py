"""Spreadsheet attachments: LibreOffice Calc's .xls/.xlsx of a real report page's tables.

Calc widens merged cells over many narrow columns and types printed numbers ("+113" is
kept as the number 113), so the check is on the typed values and labels the expected
JSON gives, not on the printed text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.errors import ExtractionError
from parsers.extract import extract
from parsers.extract.sniff import sniff_format
from tests.parsers.ocr_material import office_convert, tables_only

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = "001_edb62deb526a149a"



@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    assert shutil.which("soffice"), "making the workbooks needs LibreOffice (soffice) on PATH"
    out = tmp_path_factory.mktemp("sheets")
    page = tables_only(FIXTURES / "documents" / f"{SEED}.html", out / f"{SEED}.tables.html")
    return {ext: office_convert(page, ext, out).read_bytes() for ext in ("xlsx", "xls")}


def _values(tables: dict) -> dict[str, object]:
    """table.row.column -> typed value, for every cell of the standard tables."""
    values: dict[str, object] = {}
    for row in tables["active_disclosure"]["rows"]:
        for column, cell in row["cells"].items():
            values[f"t2.{row['item']}.{row['label']}.{column}"] = cell["value"]
    for key, row in tables["applications"]["rows"].items():
        values[f"t3.{key}.label"] = row["label"].replace("(", "（").replace(")", "）").replace(".", "．")
        for column, cell in row["cells"].items():
            values[f"t3.{key}.{column}"] = cell["value"]
    for key, cell in tables["appeals"]["cells"].items():
        values[f"t4.{key}"] = cell["value"]
    return values


@pytest.mark.parametrize("ext", ["xlsx", "xls"])
def test_workbook_tables_read_as_the_report_prints_them(workbooks: dict[str, bytes], ext: str) -> None:
    _, report = parse_bytes(workbooks[ext], filename=f"attachment.{ext}")
    expected = json.loads((FIXTURES / "expected" / f"{SEED}.json").read_text(encoding="utf-8"))

    got, want = _values(report.to_dict()["tables"]), _values(expected["tables"])
    assert got == want
    assert report.metadata.template == expected["metadata"]["template"]
    assert report.source_format == "spreadsheet"


@pytest.mark.parametrize("ext", ["xlsx", "xls"])
def test_a_workbook_of_the_tables_alone_is_not_told_its_section_five_is_missing(workbooks: dict[str, bytes], ext: str) -> None:
    """The workbook prints sections 二-四 (the tables under their headings) and no prose by design."""
    _, report = parse_bytes(workbooks[ext], filename=f"attachment.{ext}")
    assert [section.number for section in report.sections] == [2, 3, 4]
    assert "quality.section5_empty" not in [finding.rule for finding in report.findings]


@pytest.mark.parametrize("ext", ["xlsx", "xls"])
def test_workbooks_are_sniffed_by_their_bytes_whatever_their_name(workbooks: dict[str, bytes], ext: str) -> None:
    assert sniff_format(workbooks[ext], suffix="doc") == ext
    assert sniff_format(workbooks[ext]) == ext


def test_merged_cells_are_expanded_into_copies_of_their_first_slot(workbooks: dict[str, bytes]) -> None:
    doc = extract(workbooks["xlsx"])
    applications = next(b.table for b in doc.blocks if b.table and "勾稽" in b.table.rows[0][0].text)
    # 三、本年度办理结果 spans twenty rows of the label column; Calc's layout columns are folded away.
    group = [row[0] for row in applications.rows if "本年度办理结果" in row[0].text]
    assert len(group) == 20 and not group[0].is_copy and all(cell.span_of == (5, 0) for cell in group[1:])
    assert len(applications.rows[5]) == 3 + 7


def test_a_damaged_workbook_is_a_one_line_error(workbooks: dict[str, bytes]) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(workbooks["xlsx"][:3000])
    assert "\n" not in str(caught.value)
