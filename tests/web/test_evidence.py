"""Finding a cell's source row again in the bytes the parser read: the fixture reports as
rendered to HTML, Word (DOCX) and PDF, every cell of tables 3 and 4."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester.web.evidence import CellRef, locate, locate_in_pdf, render_pdf_evidence
from parsers.api import parse_file
from storage.cellnames import named_cells

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
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
