"""Spreadsheet layouts offices make in Excel around the standard tables: a title and a
"填报单位：…  单位：件" line above a table, tables stacked on one sheet with or without a
caption or a blank row between them, the tables alone without the report's prose.

The workbooks hold seed 001's own tables (as its report page prints them, merged cells
merged) typed in as an Excel user does: numbers as numbers, text as shared strings.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from parsers.api import parse_bytes
from parsers.document import Document, Table
from parsers.extract import extract
from parsers.locations import sheet_cell

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = "001_edb62deb526a149a"
TITLE = "威海经济技术开发区2020年收到和处理政府信息公开申请情况统计表"
FILLED_BY = "填报单位：威海经济技术开发区党政办公室"
CAPTIONS = ["表一：主动公开政府信息情况", "表二：收到和处理政府信息公开申请情况", "表三：政府信息公开行政复议、行政诉讼情况"]
HEADINGS = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
TABLE_KEYS = ["active_disclosure", "applications", "appeals"]


@dataclass
class Sheet:
    """Cells by (row, column), both from 0, and merged ranges, as a sheet records them."""

    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # top, left, bottom, right
    rows: int = 0

    def put(self, row: int, column: int, text: str, across: int = 1) -> None:
        self.cells[(row, column)] = text
        if across > 1:
            self.merges.append((row, column, row, column + across - 1))
        self.rows = max(self.rows, row + 1)

    def table(self, top: int, left: int, table: Table) -> int:
        """Types ``table`` in from (top, left), merging what it prints merged; the row below it."""
        extent: dict[tuple[int, int], tuple[int, int]] = {}
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                if cell.span_of is None:
                    self.cells[(top + r, left + c)] = str(cell.text)
                else:
                    bottom, right = extent.get(cell.span_of, cell.span_of)
                    extent[cell.span_of] = (max(bottom, r), max(right, c))
        self.merges += [(top + r0, left + c0, top + r1, left + c1) for (r0, c0), (r1, c1) in extent.items()]
        self.rows = max(self.rows, top + len(table.rows))
        return top + len(table.rows)


def _xlsx(sheet: Sheet) -> bytes:
    """The sheet as an .xlsx file: shared strings, numbers typed as numbers, merged ranges."""
    strings: list[str] = []
    rows: dict[int, list[str]] = {}
    for (r, c), text in sorted(sheet.cells.items()):
        ref = sheet_cell(r, c)
        if text.isdigit():
            rows.setdefault(r, []).append(f'<c r="{ref}"><v>{text}</v></c>')
        else:
            strings.append(text)
            rows.setdefault(r, []).append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
    sheet_rows = "".join(f'<row r="{r + 1}">{"".join(cells)}</row>' for r, cells in sorted(rows.items()))
    merges = "".join(f'<mergeCell ref="{sheet_cell(t, l)}:{sheet_cell(b, r)}"/>' for t, l, b, r in sheet.merges)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{sheet_rows}</sheetData>'
            + (f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>' if sheet.merges else "")
            + "</worksheet>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
            + "</sst>"
        ),
    }
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
    return out.getvalue()




@pytest.fixture(scope="module")
def seed() -> Document:
    return extract((FIXTURES / "documents" / f"{SEED}.html").read_bytes())


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((FIXTURES / "expected" / f"{SEED}.json").read_text(encoding="utf-8"))


def _tables(doc: Document) -> list[Table]:
    return [block.table for block in doc.blocks if block.table is not None]


def _printed(tables: dict, key: str) -> object:
    """A table of a report's JSON as its cells print and read (raw, value, unit, state), without where they are."""
    def cell(c: dict) -> tuple:
        return (c["raw"], c["value"], c["unit"], c["state"])

    table = tables.get(key)
    if table is None:
        return None
    if key == "appeals":
        return {k: cell(c) for k, c in table["cells"].items()}
    rows = table["rows"].values() if key == "applications" else table["rows"]
    return [(row.get("item"), row["label"], {k: cell(c) for k, c in row["cells"].items()}) for row in rows]


def _paragraphs(data: bytes) -> list[str]:
    return [block.text for block in extract(data).blocks if block.kind == "paragraph"]


@pytest.mark.parametrize("unit_beside", [FILLED_BY, TITLE], ids=["unit-beside-filled-by", "unit-beside-title"])
def test_title_and_unit_lines_around_table_3_are_text(seed: Document, expected: dict, unit_beside: str) -> None:
    """Table 3 at B3 under its title and a unit line (单位：件 beside 填报单位 or beside the title), a
    填报人 line under it."""
    sheet = Sheet()
    lines = [TITLE, FILLED_BY] if unit_beside == FILLED_BY else [FILLED_BY, TITLE]
    sheet.put(0, 1, lines[0], across=10)
    sheet.put(1, 1, lines[1], across=8)
    sheet.put(1, 9, "单位：件", across=2)
    end = sheet.table(2, 1, _tables(seed)[1])
    sheet.put(end, 1, "填报人：张三")
    sheet.put(end, 5, "联系电话：0631-5961933")
    sheet.put(end, 8, "填报日期：2021年1月20日")
    data = _xlsx(sheet)

    _, report = parse_bytes(data, filename="表3.xlsx")
    assert _printed(report.to_dict()["tables"], "applications") == _printed(expected["tables"], "applications")
    assert report.completeness["applications"].status == "complete"
    assert report.findings == []
    assert _paragraphs(data) == [lines[0], f"{lines[1]} 单位：件", "填报人：张三 联系电话：0631-5961933 填报日期：2021年1月20日"]


@pytest.mark.parametrize("between", ["nothing", "caption", "blank row and caption"])
def test_tables_stacked_on_one_sheet_are_read_apart(seed: Document, expected: dict, between: str) -> None:
    sheet = Sheet()
    row = 0
    for caption, table in zip(CAPTIONS, _tables(seed), strict=True):
        if between != "nothing":
            row += between.startswith("blank") and row > 0
            sheet.put(row, 0, caption)
            row += 1
        row = sheet.table(row, 0, table)
    data = _xlsx(sheet)

    _, report = parse_bytes(data, filename="年报表格.xlsx")
    got = report.to_dict()["tables"]
    assert [_printed(got, key) for key in TABLE_KEYS] == [_printed(expected["tables"], key) for key in TABLE_KEYS]
    assert {key: status.status for key, status in report.completeness.items()} == dict.fromkeys(TABLE_KEYS, "complete")
    assert report.findings == []
    assert _paragraphs(data) == ([] if between == "nothing" else CAPTIONS)


def test_the_tables_alone_are_not_told_section_five_is_missing(seed: Document) -> None:
    sheet = Sheet()
    row = 0
    for heading, table in zip(HEADINGS, _tables(seed), strict=True):
        sheet.put(row, 0, heading, across=4)
        row = sheet.table(row + 1, 0, table) + 1

    _, report = parse_bytes(_xlsx(sheet), filename="年报表格.xlsx")
    assert [section.number for section in report.sections] == [2, 3, 4]
    assert "quality.section5_empty" not in [f.rule for f in report.findings]


@pytest.mark.parametrize(("section_five", "warned"), [("as printed", False), ("无。", True), ("left out", True)])
def test_a_whole_report_in_a_sheet_is_told_when_section_five_is_empty(seed: Document, section_five: str, warned: bool) -> None:
    sheet = Sheet()
    row = 0
    in_five = False
    for block in seed.blocks:
        if block.table is not None:
            row = sheet.table(row, 0, block.table)
            continue
        in_five = block.text.startswith("五、") or (in_five and not block.text.startswith("六、"))
        if in_five and section_five != "as printed":
            if section_five == "无。" and block.text.startswith("五、"):
                sheet.put(row, 0, block.text, across=10)
                sheet.put(row + 1, 0, section_five, across=10)
                row += 2
            continue
        sheet.put(row, 0, block.text, across=10)
        row += 1

    _, report = parse_bytes(_xlsx(sheet), filename="年报.xlsx")
    assert ("quality.section5_empty" in [f.rule for f in report.findings]) == warned
    assert report.metadata.agency == "威海经济技术开发区"
