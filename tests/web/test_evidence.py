"""Where a cell came from: at the location its parse recorded (the real PDF, portal page and
copied text), and, for parses made before locations were recorded, found again in the bytes
the parser read (the fixture reports as rendered to HTML, Word (DOCX) and PDF, every cell of
tables 3 and 4)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from harvester.web.evidence import (CellRef, from_top_left, locate, locate_in_pdf, render_pdf_evidence,
                                    render_picture_evidence)
from parsers.api import parse_bytes, parse_file
from parsers.locations import CellLocation
from storage.cellnames import named_cells

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"
REPORT = "004_2dfc536c7b58f7e3"


def refs(path: Path) -> list[CellRef]:
    report = parse_file(path)[1].to_dict()
    cells = [c for c in named_cells(report) if c.table in ("applications", "appeals")]
    out = []
    for cell in cells:
        row = [c for c in cells if c.table == cell.table and (c.table == "appeals" or c.row == cell.row)]
        label = None if cell.table == "appeals" else cell.row_label
        out.append(CellRef(cell.table, label, cell.cell["raw"], row.index(cell), len(row)))
    return out


@pytest.mark.parametrize("suffix, fmt", [(".html", "html"), (".docx", "docx")])
def test_every_cell_is_found_in_its_source_table_row(suffix: str, fmt: str) -> None:
    path = DOCUMENTS / f"{REPORT}{suffix}"
    data = path.read_bytes()
    for ref in refs(path):
        located = locate(data, fmt, ref, filename=path.name)
        assert located.rows, ref
        row = located.rows[0]
        assert row.highlight is not None and row.cells[row.highlight] == ref.raw, (ref, row)


def test_every_cell_is_outlined_on_its_pdf_page() -> None:
    path = DOCUMENTS / f"{REPORT}.pdf"
    data = path.read_bytes()
    boxes = set()
    for ref in refs(path):
        hit = locate_in_pdf(data, ref)
        assert hit is not None and hit.cell_box is not None, ref
        left, bottom, right, top = hit.cell_box
        row_left, row_bottom, row_right, row_top = hit.row_box
        assert row_left <= left < right <= row_right and row_bottom <= bottom < top <= row_top
        boxes.add((hit.page_no, round(left), round(bottom)))
    assert len(boxes) == len(refs(path))  # every cell at a place of its own


def test_the_rendered_page_is_a_png_of_the_page() -> None:
    data = (DOCUMENTS / f"{REPORT}.pdf").read_bytes()
    ref = next(r for r in refs(DOCUMENTS / f"{REPORT}.pdf") if r.row_label == "（七）总计" and r.index == 6)
    hit = locate_in_pdf(data, ref)
    assert hit is not None
    png = render_pdf_evidence(data, hit)
    assert png.startswith(b"\x89PNG")
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png))
    assert image.width == round(hit.page_size[0] * 2)
    x = round(hit.cell_box[0] * 2) + 1  # type: ignore[index]
    y = round((hit.page_size[1] - (hit.cell_box[1] + hit.cell_box[3]) / 2) * 2)  # type: ignore[index]
    red, green, blue = image.getpixel((x, y))[:3]
    assert red > 180 and green < 60 and blue < 60  # the cell's red outline


def test_a_label_the_document_does_not_print_finds_nothing() -> None:
    data = (DOCUMENTS / f"{REPORT}.pdf").read_bytes()
    assert locate_in_pdf(data, CellRef("applications", "九、没有这一行", "7", 0, 7)) is None
    html = DOCUMENTS / f"{REPORT}.html"
    assert locate(html.read_bytes(), "html", CellRef("applications", "九、没有这一行", "7", 0, 7), filename=html.name).rows == []


# -- at the location the parser recorded ---------------------------------------------------------


def recorded_refs(path: Path) -> list[tuple[CellRef, dict]]:
    """Every cell's ref with the location its parse recorded, and the cell dict."""
    report = parse_file(path)[1].to_dict()
    cells = list(named_cells(report))
    out = []
    for cell in cells:
        row = [c for c in cells if c.table == cell.table and (c.table == "appeals" or c.row == cell.row)]
        label = None if cell.table == "appeals" else cell.row_label
        out.append((CellRef(cell.table, label, cell.cell["raw"], row.index(cell), len(row),
                            CellLocation.from_dict(cell.cell["location"]),
                            [CellLocation.from_dict(c.cell["location"]) for c in row]), cell.cell))
    return out


def test_a_pdf_cell_is_outlined_at_its_recorded_box() -> None:
    path = REAL / "huaian_szf_2024.pdf"
    data = path.read_bytes()
    pdf = pdfium.PdfDocument(data)
    heights = [pdf[i].get_height() for i in range(len(pdf))]
    pdf.close()
    for ref, cell in recorded_refs(path):
        located = locate(data, "pdf", ref, filename=path.name)
        assert located.found_by == "recorded", cell
        hit = located.pdf
        assert hit is not None and hit.page_no == cell["location"]["page"]
        assert hit.cell_box == from_top_left(tuple(cell["location"]["box"]), heights[hit.page_no - 1])
        left, bottom, right, top = hit.cell_box
        assert hit.row_box[0] <= left < right <= hit.row_box[2] and hit.row_box[1] <= bottom < top <= hit.row_box[3]


def test_an_html_cell_shows_its_recorded_row() -> None:
    path = REAL / "pingtan_2025_portal_page.html"
    for ref, cell in recorded_refs(path):
        located = locate(path.read_bytes(), "html", ref, filename=path.name)
        assert located.found_by == "recorded" and len(located.rows) == 1
        row = located.rows[0]
        assert (row.table_no, row.row_no) == (cell["location"]["table"], cell["location"]["row"])
        assert row.highlight is not None and row.cells[row.highlight] == ref.raw


def test_a_text_cell_shows_its_recorded_lines() -> None:
    path = REAL / "hebei_jyt_2022_copied_text.txt"
    ref, cell = next((r, c) for r, c in recorded_refs(path) if r.row_label and "本年新收" in r.row_label and r.index == 6)
    located = locate(path.read_bytes(), "text", ref, filename=path.name)
    assert located.found_by == "recorded"
    marked = [line for line in located.lines if line.is_cell]
    assert [line.number for line in marked] == list(range(cell["location"]["lines"][0], cell["location"]["lines"][1] + 1))
    assert "".join(line.text for line in marked).strip() == cell["raw"]
    assert any("本年新收" in line.text for line in located.lines)  # the row around it, its label included


def test_parses_without_locations_are_searched_as_before() -> None:
    path = REAL / "huaian_szf_2024.pdf"
    data = path.read_bytes()
    ref, _ = next((r, c) for r, c in recorded_refs(path) if r.row_label and "本年新收" in r.row_label and r.index == 6)
    older = CellRef(ref.table, ref.row_label, ref.raw, ref.index, ref.row_size)
    located = locate(data, "pdf", older, filename=path.name)
    assert located.found_by == "search" and located.pdf is not None and located.pdf.page_no == ref.location.page


def test_a_recorded_place_that_does_not_hold_the_value_is_not_trusted() -> None:
    path = REAL / "huaian_szf_2024.pdf"
    data = path.read_bytes()
    ref, _ = next((r, c) for r, c in recorded_refs(path) if r.row_label and "本年新收" in r.row_label and r.index == 6)
    elsewhere = replace(ref, location=replace(ref.location, box=(0.0, 0.0, 20.0, 20.0)))
    located = locate(data, "pdf", elsewhere, filename=path.name)
    assert located.found_by == "search"  # the box holds nothing: found again instead


def test_a_cell_ocr_read_from_a_picture_is_outlined_on_the_picture(tmp_path: Path) -> None:
    from tests.parsers import ocr_material as material

    _, images = material.page_with_table_pictures(DOCUMENTS / f"{REPORT}.html", tmp_path, which={2})  # table 4, the third
    (picture,) = images.values()
    report = parse_bytes(picture, filename="table.png")[1].to_dict()
    cells = [c for c in named_cells(report) if c.table == "appeals"]
    chosen = next(c for c in cells if c.column == "total" and c.row == "review")
    at = CellLocation.from_dict(chosen.cell["location"])
    ref = CellRef("appeals", None, chosen.cell["raw"], cells.index(chosen), len(cells), at,
                  [CellLocation.from_dict(c.cell["location"]) for c in cells])
    located = locate(picture, "image", ref, filename="table.png")
    assert located.found_by == "recorded" and located.picture is not None
    assert located.picture.cell_box == at.box and located.picture.page_no == 1
    png = Image.open(io.BytesIO(render_picture_evidence(picture, located.picture))).convert("RGB")
    assert png.size == Image.open(io.BytesIO(picture)).size
    x0, y0, x1, y1 = at.box  # type: ignore[misc]
    red, green, blue = png.getpixel((round(x0) + 1, round((y0 + y1) / 2)))
    assert red > 180 and green < 60 and blue < 60
