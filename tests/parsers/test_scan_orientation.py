"""Scans of table 3's landscape page as agencies publish them: turned a quarter on a portrait
picture, shown upright by a PDF page's /Rotate, or fed through the scanner upside down.

The real Pingtan report (fixtures/real) is printed by Chromium with table 3 on landscape
pages (a named ``@page`` of A4 landscape, as a Word section in landscape prints), the pages
rasterised by pdftoppm and turned the way a scanner holding the sheet portrait turns them,
then given the scanner's blur and JPEG (tests/parsers/ocr_material.py). Every table 3 cell
must read as printed, with no number the report does not print.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import img2pdf
import numpy as np
import pypdfium2
import pytest
from PIL import Image

from conversions import chromium_print
from parsers.api import parse_bytes
from parsers.extract import extract
from real_documents import REAL, cell_differences, expected_of
from tests.parsers import ocr_material as material

PINGTAN = REAL / "pingtan_2025_portal_page.html"
CLOCKWISE, COUNTER_CLOCKWISE, UPSIDE_DOWN = -90, 90, 180  # PIL's degrees, counter-clockwise


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert not material.missing_tools(), f"scan material needs {', '.join(material.missing_tools())} on PATH"
    return tmp_path_factory.mktemp("orientation")


@pytest.fixture(scope="module")
def landscape_print(made: Path) -> tuple[Path, int, int]:
    """The report printed with table 3 on landscape pages; (the PDF, the first page of section 三
    (portrait: its heading ends the page before the table), the last page of table 3)."""
    page = made / "pingtan-landscape-table-3.html"
    html = PINGTAN.read_text(encoding="utf-8")
    starts = [match.start() for match in re.finditer("<table", html)]
    end = html.index("</table>", starts[1]) + len("</table>")
    html = html[: starts[1]] + '<div class="wide">' + html[starts[1] : end] + "</div>" + html[end:]
    html = html.replace("</head>", "<style>@page wide { size: A4 landscape } div.wide { page: wide }</style></head>", 1)
    page.write_text(html, encoding="utf-8")
    pdf = chromium_print(page, made / "pingtan-landscape-table-3.pdf")
    pages = list(pypdfium2.PdfDocument(pdf.read_bytes()))
    texts = [p.get_textpage().get_text_range() for p in pages]
    heading_page = next(i for i, text in enumerate(texts) if "本年新收" in text)  # the page before table 3's first
    assert "收到和处理政府信息公开申请情况" in texts[heading_page - 1]
    last = next(i for i, text in enumerate(texts) if "结转下年度" in text) + 1
    assert [p.get_width() > p.get_height() for p in pages[heading_page - 1 : last]] == [False] + [True] * (last - heading_page)
    return pdf, heading_page, last


def _scans(landscape_print: tuple[Path, int, int], made: Path, dpi: int, degrees: int = 0) -> list[bytes]:
    """Section 三's pages at ``dpi`` as the scanner's JPEGs; table 3's landscape sheets turned
    ``degrees`` first (all sheets, upside down)."""
    pdf, first, last = landscape_print
    scans = []
    for picture in material.rasterise(pdf, dpi, made, first=first, last=last):
        turned = made / f"turned{degrees}" / picture.name  # not beside the rasters: rasterise() takes all it finds there
        turned.parent.mkdir(exist_ok=True)
        sheet = Image.open(picture)
        if sheet.width > sheet.height or degrees == UPSIDE_DOWN:
            sheet = sheet.rotate(degrees, expand=True)
        sheet.save(turned)
        # A seal stamped over the landscape table's narrow columns is another matter: none here.
        scans.append(material.scanned(turned, stamp=False))
    return scans


def _read(pdf: bytes) -> dict:
    return parse_bytes(pdf, filename="report.pdf")[1].to_dict()


def _as_printed(report: dict) -> tuple[dict, list[str]]:
    """Table 3's completeness, its cells not as printed and any table 3 or 4 cell the report does
    not print (the scan starts in section 二: the end of table 2 is read as a table of its own)."""
    wrong = [line for line in cell_differences(expected_of(PINGTAN), report)
             if line.startswith("T3/") or line.startswith("T4/") and "not in the document" in line]
    return report["completeness"]["applications"], wrong


_ALL_PRINTED = ({"status": "complete", "missing_rows": [], "missing_columns": []}, [])


@pytest.fixture(scope="module")
def upright_150(landscape_print: tuple[Path, int, int], made: Path) -> dict:
    return _read(img2pdf.convert(_scans(landscape_print, made, 150)))


def test_a_landscape_table_3_scanned_upright_at_150_dpi_reads_as_printed(upright_150: dict) -> None:
    # The strokes of characters at 150 dpi are longer than a sixtieth of the landscape page's
    # height, the shortest ruling: taken for rulings, they cut the table into 35-68 columns
    # and table 3 was lost ("missing"), its numbers strewn over the text.
    assert _as_printed(upright_150) == _ALL_PRINTED


@pytest.mark.parametrize(("degrees", "dpi"), [(CLOCKWISE, 150), (COUNTER_CLOCKWISE, 300)])
def test_a_landscape_page_scanned_as_a_portrait_picture_is_read_turned_upright(
    landscape_print: tuple[Path, int, int], made: Path, degrees: int, dpi: int
) -> None:
    # Read as stored, the sideways table came out transposed: rows of "0" and "88", labels
    # one character per cell, table 3 "missing".
    report = _read(img2pdf.convert(_scans(landscape_print, made, dpi, degrees)))
    assert _as_printed(report) == _ALL_PRINTED


def test_a_sideways_picture_that_the_pdf_page_rotate_shows_upright_is_read_upright(
    landscape_print: tuple[Path, int, int], made: Path
) -> None:
    # A scan-to-PDF keeps the picture as the sensor took it and sets /Rotate for viewers;
    # the parser reads the picture itself.
    scans = _scans(landscape_print, made, 150, COUNTER_CLOCKWISE)
    pdf = img2pdf.convert(scans, rotation=img2pdf.Rotation["90"])
    assert pypdfium2.PdfDocument(pdf)[0].get_rotation() == 90
    report = _read(pdf)
    assert _as_printed(report) == _ALL_PRINTED


def test_pages_fed_upside_down_are_read_upright(landscape_print: tuple[Path, int, int], made: Path) -> None:
    report = _read(img2pdf.convert(_scans(landscape_print, made, 300, UPSIDE_DOWN)))
    assert _as_printed(report) == _ALL_PRINTED


def test_a_turned_pages_cells_are_located_in_the_picture_as_stored(
    landscape_print: tuple[Path, int, int], made: Path, upright_150: dict
) -> None:
    # The web's evidence outlines a cell on the picture as the file stores it.
    scans = _scans(landscape_print, made, 150, CLOCKWISE)
    report = _read(img2pdf.convert(scans))
    upright = upright_150["tables"]["applications"]["rows"]["new_received"]["cells"]["total"]["location"]
    turned = report["tables"]["applications"]["rows"]["new_received"]["cells"]["total"]["location"]
    assert (turned["page"], turned["unit"]) == (upright["page"], "px")
    landscape_height = Image.open(material.rasterise(landscape_print[0], 150, made)[upright["page"] - 1]).height
    x0, y0, x1, y1 = upright["box"]
    want = (landscape_height - y1, x0, landscape_height - y0, x1)  # where a clockwise quarter turn puts it
    assert max(abs(a - b) for a, b in zip(turned["box"], want)) < 15


def test_a_photo_of_the_landscape_page_turned_a_quarter_reads_its_rows(
    landscape_print: tuple[Path, int, int], made: Path
) -> None:
    # The same sheet as a JPEG image file (an <img> of the report page, or a file on its own).
    table_page = _scans(landscape_print, made, 300, COUNTER_CLOCKWISE)[1]
    assert Image.open(io.BytesIO(table_page)).height > Image.open(io.BytesIO(table_page)).width
    table = next(block.table for block in extract(table_page).blocks if block.table is not None)
    rows = {"".join(str(row[0].text).split()): [str(cell.text) for cell in row if not cell.is_copy][1:] for row in table.rows}
    assert rows["一、本年新收政府信息公开申请数量"] == ["151", "3", "0", "0", "0", "0", "154"]
    assert rows["二、上年结转政府信息公开申请数量"] == ["0"] * 7


@pytest.mark.parametrize("quarters", [0, 1, 2, 3])
def test_a_box_in_the_turned_picture_maps_back_to_the_stored_one(quarters: int) -> None:
    from parsers.extract.page_orientation import unturned_box

    stored = np.zeros((40, 70), np.uint8)
    stored[5:12, 20:50] = 1
    ys, xs = np.nonzero(np.rot90(stored, quarters))
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    assert unturned_box(box, quarters, stored.shape) == (20, 5, 50, 12)
