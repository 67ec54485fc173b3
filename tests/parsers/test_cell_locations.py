"""Every typed cell says where it is printed, checked against the document itself.

The real reports of fixtures/real/ (a PDF, a portal page, copied text), and the real page as
LibreOffice saves it (DOCX, RTF, Writer's HTML, a Calc workbook) and as Chromium prints it
with table 3 cut by a page break. Each location is read back with a tool other than the
extractor where there is one: pdfium's text inside the recorded box, lxml's rows of the
page's tables, the Word XML's w:tr, the workbook's cell by its reference, the file's lines.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from lxml import etree

from conversions import chromium_print, libreoffice_convert
from parsers.api import parse_bytes
from parsers.document import GridCell, PlacedText
from parsers.extract import extract
from parsers.locations import CellLocation, sheet_cell, without_locations
from real_documents import REAL
from storage.cellnames import NamedCell, named_cells
from tests.parsers.ocr_material import office_convert, tables_only

PDF = REAL / "huaian_szf_2024.pdf"
PAGE = REAL / "pingtan_2025_portal_page.html"
TEXTS = [REAL / "hebei_jyt_2019_copied_text.txt", REAL / "hebei_jyt_2022_copied_text.txt"]
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def cells_of(path: Path) -> list[NamedCell]:
    return list(named_cells(parse_bytes(path.read_bytes(), filename=path.name)[1].to_dict()))


def location(cell: NamedCell) -> CellLocation:
    assert "location" in cell.cell, f"{cell.address} has no location"
    return CellLocation.from_dict(cell.cell["location"])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("locations")


# -- PDF -----------------------------------------------------------------------------------


def text_in_box(pdf: pdfium.PdfDocument, at: CellLocation) -> str:
    """pdfium's text inside a recorded box (top-left origin, points) on its page."""
    assert at.page is not None and at.box is not None and at.unit == "pt"
    page = pdf[at.page - 1]
    x0, y0, x1, y1 = at.box
    height = page.get_height()
    return page.get_textpage().get_text_bounded(left=x0, bottom=height - y1, right=x1, top=height - y0)


def test_a_pdf_cell_box_holds_its_printed_digits() -> None:
    cells = {cell.address: cell for cell in cells_of(PDF)}
    received = cells["applications.new_received.total"]
    at = location(received)
    assert received.cell["raw"] == "3119" and at.page == 4
    assert received.cell["location"]["origin"] == "top-left" and received.cell["location"]["unit"] == "pt"
    pdf = pdfium.PdfDocument(PDF.read_bytes())
    try:
        assert fold(text_in_box(pdf, at)) == "3119"
        width, height = pdf[at.page - 1].get_size()
        x0, y0, x1, y1 = at.box  # type: ignore[misc]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    finally:
        pdf.close()


def test_every_pdf_cell_box_holds_its_printed_text() -> None:
    cells = cells_of(PDF)
    pdf = pdfium.PdfDocument(PDF.read_bytes())
    try:
        for cell in cells:
            assert fold(text_in_box(pdf, location(cell))) == fold(cell.cell["raw"]), cell.address
    finally:
        pdf.close()
    pages = {location(c).page for c in cells if c.table == "applications"}
    assert pages == {4, 5}  # table 3 breaks across pages 4-5, each cell on its own page


def test_a_row_chromium_cut_at_a_page_break_names_both_halves(workdir: Path) -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    # 48 mm of top margin makes Chromium break table 3 inside row （六）1.: values and the
    # label's start on one page, the label's end on the next.
    printed = chromium_print(PAGE, workdir / "margin48.pdf", margin_top_mm=48)
    cells = {cell.address: cell for cell in cells_of(printed)}
    at = location(cells["applications.other.overdue_correction.total"])
    assert at.joined_row is not None and at.joined_page == at.page + 1  # type: ignore[operator]
    pdf = pdfium.PdfDocument(printed.read_bytes())
    try:
        assert fold(text_in_box(pdf, at)) == fold(cells["applications.other.overdue_correction.total"].cell["raw"])
    finally:
        pdf.close()
    unsplit = location(cells["applications.new_received.total"])
    assert unsplit.joined_row is None and unsplit.joined_page is None


# -- tables by index: HTML, DOCX, RTF, Writer's HTML -----------------------------------------


def grid_text(path: Path, at: CellLocation) -> str:
    """The text the re-extracted document has at a recorded table, row and column."""
    tables = [b.table for b in extract(path.read_bytes(), filename=path.name).blocks if b.table is not None]
    assert at.table is not None and at.row is not None and at.column is not None
    return tables[at.table - 1].rows[at.row - 1][at.column - 1].text


def html_rows(path: Path) -> list[list[etree._Element]]:
    """The ``<tr>`` elements of each data table (one without tables inside) of the page, as lxml reads them."""
    root = etree.HTML(path.read_bytes())
    return [table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr") for table in root.iter("table") if not table.xpath(".//table")]


def test_every_html_cell_is_in_the_recorded_row_of_the_recorded_table() -> None:
    tables = html_rows(PAGE)
    for cell in cells_of(PAGE):
        at = location(cell)
        assert at.page is None and at.box is None
        tr = tables[at.table - 1][at.row - 1]  # type: ignore[operator]
        printed = [fold("".join(td.itertext())) for td in tr.iter("td", "th")]
        assert fold(cell.cell["raw"]) in printed, (cell.address, at, printed)
        assert fold(grid_text(PAGE, at)) == fold(cell.cell["raw"]), cell.address


def test_the_row_label_is_printed_in_the_recorded_row() -> None:
    tables = html_rows(PAGE)
    cells = {cell.address: cell for cell in cells_of(PAGE)}
    at = location(cells["applications.carried_over.total"])
    assert "上年结转" in "".join(tables[at.table - 1][at.row - 1][0].itertext())  # type: ignore[operator]


def docx_rows(path: Path) -> list[list[Any]]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return [table.findall(f"{_W}tr") for table in root.iter(f"{_W}tbl")]


def test_docx_cells_are_in_the_recorded_w_tr(workdir: Path) -> None:
    docx = libreoffice_convert([PAGE], "docx", workdir)[PAGE]
    tables = docx_rows(docx)
    cells = cells_of(docx)
    assert len(cells) == 200
    for cell in cells:
        at = location(cell)
        tr = tables[at.table - 1][at.row - 1]  # type: ignore[operator]
        printed = [fold("".join(t.text or "" for t in tc.iter(f"{_W}t"))) for tc in tr.findall(f"{_W}tc")]
        assert fold(cell.cell["raw"]) in printed, (cell.address, at)
        assert fold(grid_text(docx, at)) == fold(cell.cell["raw"]), cell.address


def test_writer_html_cells_are_in_the_recorded_tr(workdir: Path) -> None:
    page = libreoffice_convert([PAGE], "writer-html", workdir)[PAGE]
    tables = html_rows(page)
    for cell in cells_of(page):
        at = location(cell)
        tr = tables[at.table - 1][at.row - 1]  # type: ignore[operator]
        assert fold(cell.cell["raw"]) in [fold("".join(td.itertext())) for td in tr.iter("td", "th")], cell.address


def test_rtf_cells_are_at_the_recorded_table_row_and_column(workdir: Path) -> None:
    docx = libreoffice_convert([PAGE], "docx", workdir)[PAGE]
    rtf = libreoffice_convert([docx], "rtf", workdir)[docx]
    report = parse_bytes(rtf.read_bytes(), filename=rtf.name)[1].to_dict()
    assert report["source_format"] == "rtf"
    cells = list(named_cells(report))
    assert len(cells) == 200
    for cell in cells:
        at = location(cell)
        assert fold(grid_text(rtf, at)) == fold(cell.cell["raw"]), cell.address


@pytest.mark.parametrize("ext", ["xlsx", "xls"])
def test_workbook_cells_name_their_sheet_cell(workdir: Path, ext: str) -> None:
    from python_calamine import CalamineWorkbook

    workbook_path = office_convert(tables_only(PAGE, workdir / f"{PAGE.stem}.tables.html"), ext, workdir / "sheets")
    workbook = CalamineWorkbook.from_path(str(workbook_path))
    cells = cells_of(workbook_path)
    assert len(cells) == 200
    for cell in cells:
        at = location(cell)
        assert at.sheet in workbook.sheet_names and at.cell is not None
        match = re.fullmatch(r"([A-Z]+)(\d+)", at.cell)
        assert match is not None
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - ord("A") + 1
        values = workbook.get_sheet_by_name(at.sheet).to_python(skip_empty_area=False)
        value = values[int(match.group(2)) - 1][column - 1]
        if cell.cell["state"] == "number":
            assert value == cell.cell["value"], (cell.address, at)
        else:
            assert fold(str(value)) == fold(cell.cell["raw"]), (cell.address, at)


def test_sheet_cell_references_are_a1_style() -> None:
    assert [sheet_cell(0, 0), sheet_cell(6, 1), sheet_cell(0, 25), sheet_cell(9, 26), sheet_cell(0, 701)] == [
        "A1", "B7", "Z1", "AA10", "ZZ1"]


# -- text -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_copied_text_cells_name_the_lines_they_are_printed_on(path: Path) -> None:
    lines = re.split(r"\r\n|\r|\n", path.read_bytes().decode("utf-8-sig"))
    cells = cells_of(path)
    assert len(cells) >= 190
    for cell in cells:
        at = location(cell)
        if at.lines is None:
            # A blank cell is an empty line whose place only the count of blank lines around it
            # gives; it keeps its table, row and column.
            assert cell.cell["raw"] == "" and at.row is not None, cell.address
            continue
        first, last = at.lines
        assert fold("".join(lines[first - 1 : last])) == fold(cell.cell["raw"]), (cell.address, at.lines)


def test_seed_export_cells_name_their_tab_led_lines(seeds_dir: Path) -> None:
    seed = next(seeds_dir.glob("004_*.txt"))
    lines = seed.read_text(encoding="utf-8-sig").split("\n")
    for cell in cells_of(seed):
        first, last = location(cell).lines  # type: ignore[misc]
        assert lines[first - 1].startswith("\t")
        assert fold("".join(lines[first - 1 : last])) == fold(cell.cell["raw"]), cell.address


# -- the model --------------------------------------------------------------------------------


def test_a_grid_cell_carries_its_location_on_its_text() -> None:
    at = CellLocation(page=2, box=(1.0, 2.0, 3.0, 4.0), unit="pt")
    cell = GridCell("12", location=at)
    assert isinstance(cell.text, PlacedText) and cell.text.location == at and cell.text == "12"
    assert GridCell(cell.text).location == at  # a placed text brings its place along
    assert GridCell("12") == cell  # tables compare by what they print


def test_a_slot_made_from_a_placed_text_is_the_slot_the_dataclass_makes() -> None:
    text = PlacedText("3", CellLocation(table=1, row=2, column=3))
    for span_of in (None, (0, 1)):
        made, fast = GridCell(text, span_of), GridCell.of_placed(text, span_of)
        assert (fast.text, fast.span_of, fast.location) == (made.text, made.span_of, made.location)
        assert fast.location is text.location and fast == made and hash(fast) == hash(made)


def test_location_json_round_trips_and_states_its_origin() -> None:
    at = CellLocation(table=3, row=5, column=2, page=4, box=(10.0, 20.5, 30.25, 40.0), unit="pt", joined_row=6, joined_page=5)
    data = at.to_dict()
    assert data == {"table": 3, "row": 5, "column": 2, "page": 4, "joined_row": 6, "joined_page": 5,
                    "box": [10.0, 20.5, 30.25, 40.0], "unit": "pt", "origin": "top-left"}
    assert list(data) == ["table", "row", "column", "page", "joined_row", "joined_page", "box", "unit", "origin"]
    assert CellLocation.from_dict(data) == at
    assert list(CellLocation(sheet="表3", cell="C7", row=1).to_dict().items()) == [("row", 1), ("sheet", "表3"), ("cell", "C7")]
    assert CellLocation(lines=(7, 8)).to_dict() == {"lines": [7, 8]}
    # A box a damaged PDF drew at no real place is left out: the archive's JSON cannot hold NaN.
    assert CellLocation(page=1, box=(float("nan"), 0.0, 1.0, 1.0), unit="pt").to_dict() == {"page": 1}


def test_reports_compare_without_locations() -> None:
    report = parse_bytes(PAGE.read_bytes(), filename=PAGE.name)[1].to_dict()
    stripped = without_locations(report)
    assert all("location" not in cell.cell for cell in named_cells(stripped))
    assert [cell.cell["raw"] for cell in named_cells(stripped)] == [cell.cell["raw"] for cell in named_cells(report)]
