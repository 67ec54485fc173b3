"""Scans and table pictures, made at test time the way offices make them (ocr_material.py).

OCR is slow, so these tests read a page or a picture each; the whole corpus at 150 and 300
dpi is measured by benchmarks/ocr_accuracy.py.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from click.testing import CliRunner

from harvester.cli.main import cli
from parsers.api import parse_bytes, parse_document
from parsers.cells import parse_cell
from parsers.document import Document, GridCell, OcrText, Table
from parsers.errors import ExtractionError
from parsers.extract import extract
from parsers.extract.ocr_page import PageTable, TextLine
from parsers.extract.ocr_scan import join_pages
from parsers.extract.sniff import sniff_format
from parsers.locations import without_locations
from conversions import chromium_print
from real_documents import cell_differences, expected_of
from tests.parsers import ocr_material as material

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = "001_edb62deb526a149a"  # its table 4 has a pending case: 0 0 0 1 1
APPEALS_TABLE = 2  # the seed page's tables, in order: 2, 3, 4


@pytest.fixture(scope="module")
def tools() -> None:
    assert not material.missing_tools(), f"OCR test material needs {', '.join(material.missing_tools())} on PATH"


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((FIXTURES / "expected" / f"{SEED}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, tools: None) -> Path:
    return tmp_path_factory.mktemp("ocr")


@pytest.fixture(scope="module")
def appeals_picture(made: Path) -> tuple[bytes, dict[str, bytes]]:
    return material.page_with_table_pictures(FIXTURES / "documents" / f"{SEED}.html", made, which={APPEALS_TABLE})


def _last_page_with(pdf: Path, words: str) -> tuple[int, int]:
    """(number of the last page printing ``words``, number of pages)."""
    document = pypdfium2.PdfDocument(pdf.read_bytes())
    found = [i + 1 for i, page in enumerate(document) if words in page.get_textpage().get_text_range()]
    return found[-1], len(document)


def test_a_table_picture_in_the_page_is_read_cell_by_cell(appeals_picture: tuple[bytes, dict[str, bytes]], expected: dict) -> None:
    page, images = appeals_picture
    _, report = parse_bytes(page, images=images)
    tables = without_locations(report.to_dict())["tables"]
    (picture,) = images.values()
    width, height = Image.open(io.BytesIO(picture)).size
    for cell in report.to_dict()["tables"]["appeals"]["cells"].values():  # each at its box in the picture
        x0, y0, x1, y1 = cell["location"]["box"]
        assert cell["location"]["unit"] == "px" and cell["location"]["page"] == 1
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height

    appeals = tables["appeals"]["cells"]
    assert {k: c["raw"] for k, c in appeals.items()} == {k: c["raw"] for k, c in expected["tables"]["appeals"]["cells"].items()}
    assert all(c["source"] == "ocr" and 0 < c["confidence"] <= 1 and "flagged" in c for c in appeals.values())
    # The tables the page prints as HTML are the page's own text: no OCR keys on them.
    assert tables["applications"] == expected["tables"]["applications"]


def test_without_the_picture_bytes_the_page_has_no_appeals_table(appeals_picture: tuple[bytes, dict[str, bytes]]) -> None:
    page, _ = appeals_picture
    _, report = parse_bytes(page)
    assert report.appeals is None


def test_a_scanned_pdf_page_is_read_through_its_ruling_lines(made: Path, expected: dict) -> None:
    pdf = material.office_convert(FIXTURES / "documents" / f"{SEED}.docx", "pdf", made)
    page, pages = _last_page_with(pdf, "行政复议")  # the heading of section 四; its table may run onto the next page
    pictures = material.rasterise(pdf, 150, made, first=page, last=min(page + 1, pages))
    scan = material.scanned_pdf(pictures, made / "appeals-page-scan.pdf")

    doc, report = parse_bytes(scan.read_bytes(), filename="report.pdf")

    assert doc.source_format == "pdf-scan"
    want = expected["tables"]["appeals"]["cells"]
    assert {k: c["raw"] for k, c in report.to_dict()["tables"]["appeals"]["cells"].items()} == {k: c["raw"] for k, c in want.items()}
    assert any("存在的主要问题" in block.text for block in doc.blocks if block.kind != "table")
    for cell in report.to_dict()["tables"]["appeals"]["cells"].values():  # on its scanned page, in the picture's pixels
        at = cell["location"]
        width, height = Image.open(pictures[at["page"] - 1]).size
        x0, y0, x1, y1 = at["box"]
        assert at["unit"] == "px" and 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height


@pytest.mark.parametrize("dpi", [150, 300])
def test_a_scan_of_a_real_reports_first_page_reads_its_title_and_first_heading(made: Path, dpi: int) -> None:
    """Huai'an's published PDF, its first page (title, preamble, the heading of section 一, no
    table) scanned: the title's characters at 16 pt have vertical strokes longer than the
    shortest ruling, and erasing them as rulings left a title naming no agency and no year."""
    real = FIXTURES / "real" / "huaian_szf_2024.pdf"
    pictures = material.rasterise(real, dpi, made, first=1, last=1)
    scan = material.scanned_pdf(pictures, made / f"huaian-first-page-{dpi}.pdf")

    doc, report = parse_bytes(scan.read_bytes(), filename="report.pdf")

    assert doc.source_format == "pdf-scan"
    assert (report.metadata.agency, report.metadata.year) == ("淮安市人民政府", 2024)
    assert report.metadata.title == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert [section.heading for section in report.sections][:1] == ["一、总体情况"]


def test_a_scan_of_a_browsers_print_keeps_the_rows_its_page_breaks_cut(made: Path) -> None:
    """The real Pingtan page printed by Chromium and its table 3 pages scanned at 150 dpi: a row
    a page break cuts is printed without a ruling at the cut, and was left out of the table on
    both pages (two rows of table 3 lost, the table "partial")."""
    page = FIXTURES / "real" / "pingtan_2025_portal_page.html"
    pdf = chromium_print(page, made / "pingtan-chromium.pdf", margin_top_mm=8)
    texts = [p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(pdf.read_bytes())]
    first = next(i for i, text in enumerate(texts) if "本年新收" in text) + 1
    last = next(i for i, text in enumerate(texts) if "结转下年度" in text) + 1
    assert last > first  # the table crosses a page break
    scan = material.scanned_pdf(material.rasterise(pdf, 150, made, first=first, last=last), made / "pingtan-table-3-scan.pdf")

    report = parse_bytes(scan.read_bytes(), filename="report.pdf")[1].to_dict()

    assert report["completeness"]["applications"]["status"] == "complete"
    assert [line for line in cell_differences(expected_of(page), report) if line.startswith("T3/")] == []


def test_an_image_file_is_sniffed_by_its_bytes_and_read(appeals_picture: tuple[bytes, dict[str, bytes]]) -> None:
    picture = next(iter(appeals_picture[1].values()))
    assert sniff_format(picture, suffix="doc") == "image"
    doc = extract(picture)
    table = next(block.table for block in doc.blocks if block.table is not None)
    last_row = [cell.text for cell in table.rows[-1] if not cell.is_copy]
    assert last_row == ["0", "0", "0", "1", "1"] + ["0"] * 10
    assert all(isinstance(text, OcrText) for text in last_row)


def test_harvester_parse_says_which_cells_ocr_read(appeals_picture: tuple[bytes, dict[str, bytes]], tmp_path: Path) -> None:
    picture = tmp_path / "table4.png"
    picture.write_bytes(next(iter(appeals_picture[1].values())))
    result = CliRunner().invoke(cli, ["parse", str(picture)])
    assert result.exit_code == 0, result.output
    assert "appeals: 15 of 15 cells read by OCR" in result.output


def _appeals_table(doc: Document) -> Table:
    return next(b.table for b in doc.blocks if b.table is not None and "行政复议" in "".join(b.table.rows[0][0].text.split()))


def _ocr_read_appeals(misread: dict[int, str], confidence: float = 0.95, flagged: set[int] = frozenset()) -> Document:
    """The seed page with its table 4 values standing in for an OCR reading, some digits misread."""
    doc = extract((FIXTURES / "documents" / f"{SEED}.html").read_bytes())
    table = _appeals_table(doc)
    values = table.rows[-1]
    table.rows[-1] = [
        GridCell(OcrText(misread.get(i, cell.text), confidence, i in flagged), cell.span_of) for i, cell in enumerate(values)
    ]
    return doc


def test_a_failed_rule_on_ocr_read_cells_is_a_possible_misreading_not_the_agencys_error() -> None:
    report = parse_document(_ocr_read_appeals({4: "7"}))  # 总计 of 行政复议 read as 7 for 1

    assert not [f for f in report.findings if f.severity == "error"]
    misread = [f for f in report.findings if f.rule == "ocr.possibly_misread"]
    assert len(misread) == 1 and misread[0].severity == "warning"
    assert "T4.block_total" in misread[0].message
    assert "appeals.review.total '7' (OCR 0.95)" in misread[0].message
    assert "appeals.review.pending '1'" in misread[0].message


def test_the_same_mismatch_in_a_text_layer_stays_the_agencys_error() -> None:
    doc = _ocr_read_appeals({4: "7"})
    table = _appeals_table(doc)
    table.rows[-1] = [GridCell(str(cell.text), cell.span_of) for cell in table.rows[-1]]
    report = parse_document(doc)
    assert [f.rule for f in report.findings if f.severity == "error"] == ["T4.block_total"]


def test_a_cell_below_the_engines_threshold_is_flagged_and_named() -> None:
    report = parse_document(_ocr_read_appeals({}, flagged={3}))
    cell = report.to_dict()["tables"]["appeals"]["cells"]["review.pending"]
    assert cell == {"raw": "1", "value": 1, "unit": None, "state": "number", "source": "ocr", "confidence": 0.95, "flagged": True}
    unsure = [f for f in report.findings if f.rule == "ocr.low_confidence"]
    assert len(unsure) == 1 and "appeals.review.pending '1'" in unsure[0].message and "1 of 15" in unsure[0].message


def _ocr(text: str) -> OcrText:
    return OcrText(text, 0.99, False)


def _page_table(rows: list[list[str]], copies: dict[tuple[int, int], tuple[int, int]]) -> PageTable:
    grid = [[GridCell(_ocr(t) if t else "", copies.get((r, c))) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    # Column rulings as on the seed pages at 150 dpi: label columns, then seven value columns.
    labels = [185, 272, 372, 452][: len(rows[0]) - 7]
    return PageTable(Table(grid), top=150, column_edges=labels + [462, 552, 642, 732, 822, 912, 1002, 1090])


def test_a_row_cut_by_the_page_break_is_joined_and_the_next_page_keeps_its_merges() -> None:
    # As OCR read LibreOffice's rendering of seed 000 at 150 dpi: table 3's （二） row ends page
    # 2 with its note cut after "不计其"; page 3 starts with "他情形）" over empty value cells,
    # and its first column is one merged cell running down the page.
    values = ["0"] * 7
    before = _page_table([["三\n本年\n度办\n理结\n果", "（二）部分公\n开（区分处理\n的，只计这一\n情形，不计其", *values]], {})
    after = _page_table(
        [["", "他情形）", "他情形）", *[""] * 7], ["", "（三）不予公开", "1．属于国家秘密", *values]],
        {(0, 2): (0, 1), (1, 0): (0, 0)},
    )
    blocks = join_pages([[before], [after]])
    first, second = (block.table for block in blocks)
    assert "".join(first.rows[-1][1].text.split()) == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert [[c.text for c in row] for row in second.rows] == [["", "（三）不予公开", "1．属于国家秘密", *values]]
    assert second.rows[0][0].span_of is None  # the merged cell now starts on the remaining first row


def test_a_row_ending_a_page_with_its_brackets_closed_is_left_alone() -> None:
    before = _page_table([["（一）予以公开", *["1"] * 7]], {})
    after = _page_table([["三、本年度办理结果", *[""] * 7], ["（二）部分公开", *["0"] * 7]], {})
    first, second = (block.table for block in join_pages([[before], [after]]))
    assert len(first.rows) == 1 and len(second.rows) == 2


def test_a_label_cut_after_its_number_is_joined_to_the_rest_on_the_next_page() -> None:
    # Seed 002 at 150 dpi: "1．本机关" and its values end a page, "不掌握相关政府信息" starts the next.
    before = _page_table([["（四）无法提供", "1．本机关", *["0"] * 7]], {})
    after = _page_table([["", "不掌握相关政府信息", *[""] * 7], ["", "2．没有现成信息需要另行制作", *["0"] * 7]], {})
    first, second = (block.table for block in join_pages([[before], [after]]))
    assert first.rows[-1][1].text == "1．本机关不掌握相关政府信息"
    assert [c.text for c in second.rows[0]][1] == "2．没有现成信息需要另行制作"


def test_each_piece_of_a_cut_row_goes_to_the_cell_above_it() -> None:
    # Seed 002 at 150 dpi: the row of "三、本年度办理结果" (printed downwards) and "（一）予以公开"
    # is cut after "三" and "（一）予以公"; the next page starts with the rest of both.
    before = _page_table([["三", "（一）予以公", *["0"] * 7]], {})
    after = _page_table([["本年度办理结果", "开", *[""] * 7], ["", "（二）部分公开", *["0"] * 7]], {(1, 0): (0, 0)})
    first, _ = (block.table for block in join_pages([[before], [after]]))
    assert [c.text for c in first.rows[-1]][:2] == ["三本年度办理结果", "（一）予以公开"]


def test_a_reading_shaped_like_two_cells_run_together_is_flagged_however_sure() -> None:
    # A seal broke the ruling between two value cells of seed 000's table 3 at 300 dpi: both
    # read "0 0" at confidence 0.93, which types as the number 0.
    report = parse_document(_ocr_read_appeals({0: "0 0"}))
    cells = report.to_dict()["tables"]["appeals"]["cells"]
    assert cells["review.upheld"]["flagged"] and cells["review.upheld"]["confidence"] == 0.95
    assert not cells["review.corrected"]["flagged"]
    assert parse_cell(OcrText("1o", 0.97, False)).ocr_flagged  # "10" with a letter in it


def test_a_picture_asking_for_more_pixels_than_the_limit_is_a_one_line_error(tmp_path: Path) -> None:
    from PIL import Image

    bomb = tmp_path / "bomb.png"
    Image.new("1", (12_000, 9_000)).save(bomb)  # a few KB that decode to 108 million pixels
    huge = tmp_path / "huge.png"
    Image.new("1", (20_000, 20_000)).save(huge)  # past Pillow's own bomb limit too
    for picture in (bomb, huge):
        with pytest.raises(ExtractionError, match="MAX_PIXELS") as caught:
            extract(picture.read_bytes())
        assert "\n" not in str(caught.value)
    with pytest.raises(ExtractionError, match="damaged or unsupported image"):
        extract(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)


def test_a_pdf_whose_page_cannot_be_loaded_is_a_one_line_error_not_a_scan() -> None:
    # Found by the pdf fuzz target: the scan check met a page pdfium cannot load.
    missing_page = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    with pytest.raises(ExtractionError, match="damaged or unreadable PDF") as caught:
        parse_bytes(missing_page, filename="report.pdf")
    assert "\n" not in str(caught.value)


def test_a_ruling_the_seal_wiped_out_still_divides_its_cells_and_a_real_merge_stays() -> None:
    import cv2
    import numpy as np

    from parsers.extract.image_tables import find_tables, ink_mask
    from parsers.extract.ocr_page import seal_mask, without_red

    page = np.full((840, 1640, 3), 255, np.uint8)
    for y in range(20, 821, 100):
        cv2.line(page, (20, y), (1620, y), (0, 0, 0), 3)
    for x in range(20, 1621, 200):
        cv2.line(page, (x, 20), (x, 820), (0, 0, 0), 3)
    cv2.line(page, (420, 24), (420, 116), (255, 255, 255), 5)  # the printed table merges two cells of its first row
    cv2.circle(page, (820, 370), 40, (40, 40, 215), -1)  # the seal's star over the divider of two cells in row 4
    page = cv2.GaussianBlur(page, (3, 3), 0)
    seal = seal_mask(page)
    ink = ink_mask(without_red(page, seal))

    (blind,), _ = find_tables(ink)
    (grid,), _ = find_tables(ink, seal)

    def spans(table):  # noqa: ANN001, ANN202
        return sorted((cell.row, cell.col, cell.colspan) for cell in table.cells if cell.colspan > 1)

    assert spans(blind) == [(0, 1, 2), (3, 3, 2)]  # without knowing the seal, the wiped divider reads as a merge
    assert spans(grid) == [(0, 1, 2)]
    assert len(grid.cells) == 8 * 8 - 1


def test_a_heading_after_a_sentence_whose_stop_was_misread_starts_its_section() -> None:
    # As OCR read seed 001's first page scanned at 150 dpi: the preamble's last "。" read as
    # "0", and "一、总体情况" at the margin under it ran into the preamble: no section 一.
    lines = [TextLine(_ocr("本报告电子版可在威海市人民政府门户网站下载，如对本报告有疑问，请与开发区办公室联系（电话："), 180, 1090, 300, 30),
             TextLine(_ocr("0631-5961933)0"), 180, 420, 340, 30),
             TextLine(_ocr("一、总体情况"), 180, 380, 380, 30),
             TextLine(_ocr("2020年，我区认真贯彻落实《条例》、《办法》以及《2020年威海市政务公开重点工作及责任"), 240, 1090, 420, 30)]
    blocks = join_pages([lines])
    assert [block.text for block in blocks][1:] == ["一、总体情况", lines[3].text]
