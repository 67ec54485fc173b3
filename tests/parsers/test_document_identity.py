"""``Document.identity``: two documents with the same identity are the same to the parser (a
second fetch of a page takes the first one's parse on it), so every part of the document the
parser reads must change it, and page chrome the extractor leaves out must not."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

from parsers.api import parse_document
from parsers.document import Block, Document, GridCell, OcrText, PlacedText, Table
from parsers.extract import extract
from parsers.locations import CellLocation

PAGE = (Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "001_edb62deb526a149a.html").read_bytes()

# A value unlike the sample's for each field of a cell's location; a field added to
# CellLocation fails the test below until it is given one here (and the identity covers it).
OTHER_LOCATION = {
    "table": 7, "row": 8, "column": 9, "page": 2, "box": (1.0, 2.0, 3.0, 4.5), "unit": "px", "sheet": "表2",
    "cell": "C4", "lines": (3, 4), "joined_row": 5, "joined_page": 3, "unruled": True,
}


def visited(count: int) -> bytes:
    """The page as a portal serves it, its footer counting visits."""
    return PAGE.replace(b"</body>", f'<div class="footer"><p>您是本站第{count}位访问者</p></div></body>'.encode())


def sample() -> Document:
    location = CellLocation(table=1, row=1, column=1)
    rows = [[GridCell.of_placed(PlacedText("项目", location)), GridCell("申请数", location=CellLocation(table=1, row=1, column=2))],
            [GridCell.of_placed(OcrText("12", 0.9, False, CellLocation(table=1, row=2, column=1))),
             GridCell("申请数", (0, 1), CellLocation(table=1, row=1, column=2))]]
    return Document(
        blocks=[Block("heading", "一、总体情况"), Block("paragraph", "本年度共收到申请12件。"), Block("table", table=Table(rows))],
        source_format="html", page_meta={"PubDate": "2021-03-17"}, page_title="年度报告", notes=["一处单元格边界不明"],
    )


def with_cell(doc: Document, cell: GridCell) -> Document:
    """``doc`` with the second row's first cell replaced."""
    table = doc.blocks[2].table
    assert table is not None
    rows = [list(row) for row in table.rows]
    rows[1][0] = cell
    return replace(doc, blocks=[*doc.blocks[:2], Block("table", table=Table(rows))])


def test_a_page_fetched_again_with_another_visit_count_reads_as_the_same_document() -> None:
    first, second = extract(visited(233382), filename="a.html"), extract(visited(233383), filename="a.html")
    assert first.identity() == second.identity()
    changed = extract(visited(233382).replace("无。".encode(), "有。".encode(), 1), filename="a.html")
    assert changed.identity() != first.identity()


def test_the_parse_leaves_the_document_as_the_identity_read_it() -> None:
    doc = extract(PAGE, filename="a.html")
    before = doc.identity()
    parse_document(doc)
    assert doc.identity() == before


def test_every_part_of_a_document_the_parser_reads_changes_its_identity() -> None:
    doc = sample()
    cell = doc.blocks[2].table.rows[1][0]  # type: ignore[union-attr]
    others = {
        "blocks": replace(doc, blocks=doc.blocks[:2]),
        "source_format": replace(doc, source_format="docx"),
        "page_meta": replace(doc, page_meta={"PubDate": "2021-03-18"}),
        "page_title": replace(doc, page_title=None),
        "notes": replace(doc, notes=[]),
    }
    assert set(others) == {f.name for f in fields(Document)}
    variants = list(others.values())
    variants += [replace(doc, blocks=[Block("paragraph", "一、总体情况"), *doc.blocks[1:]]),  # a block's kind
                 replace(doc, blocks=[doc.blocks[0], Block("paragraph", "本年度共收到申请 12件。"), doc.blocks[2]])]
    variants += [with_cell(doc, GridCell(OcrText("12", 0.9, False), cell.span_of, replace(cell.location, **{name: value})))
                 for name, value in OTHER_LOCATION.items()]
    assert set(OTHER_LOCATION) == {f.name for f in fields(CellLocation)}
    variants += [
        with_cell(doc, GridCell(OcrText("13", 0.9, False), None, cell.location)),  # the text
        with_cell(doc, GridCell(OcrText("12", 0.5, False), None, cell.location)),  # how sure OCR was
        with_cell(doc, GridCell(OcrText("12", 0.9, True), None, cell.location)),  # OCR flagged it
        with_cell(doc, GridCell(OcrText("12", 0.9, False), (0, 0), cell.location)),  # a copy of a span
        with_cell(doc, GridCell(PlacedText("12"), None, cell.location)),  # not read by OCR
    ]
    identities = {variant.identity() for variant in variants}
    assert doc.identity() not in identities and len(identities) == len(variants)
    assert sample().identity() == doc.identity()  # made again alike, the same
