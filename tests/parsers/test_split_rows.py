"""Table 3 of the real PDF cut by a page break at every row, the way Word breaks a table.

Word lets a row break across pages: the label's first lines stay on one page with empty
value cells, the rest of the label and the values go to the next (or the values stay
beside the first half). Between rows, the table simply continues on the next page. Each
cut must read to the document's own table 3.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from parsers.api import parse_document
from parsers.document import Block, Document, GridCell, Table
from parsers.extract import extract
from parsers.locations import without_locations
from parsers.tables.grid import is_value
from real_documents import REAL, expected_of

PDF = REAL / "huaian_szf_2024.pdf"


@pytest.fixture(scope="module")
def document() -> Document:
    return extract(PDF.read_bytes(), filename=PDF.name)


def _table3(doc: Document) -> tuple[int, list[list[GridCell]]]:
    """(index of its first block, all its rows) of table 3, whatever pieces the PDF printed it in."""
    indexes = [i for i, block in enumerate(doc.blocks)
               if block.table is not None and any("勾稽" in c.text or "不予处理" in c.text for r in block.table.rows for c in r)]
    return indexes[0], [row for i in indexes for row in doc.blocks[i].table.rows]  # type: ignore[union-attr]


def _with_pieces(doc: Document, pieces: list[list[list[GridCell]]]) -> Document:
    first, _ = _table3(doc)
    keep = [b for i, b in enumerate(doc.blocks) if i == first or not (b.table and any("不予" in c.text for r in b.table.rows for c in r))]
    blocks: list[Block] = []
    for block in keep:
        if block is doc.blocks[first]:
            blocks.extend(Block("table", table=Table(rows)) for rows in pieces)
        else:
            blocks.append(block)
    return replace(doc, blocks=blocks)


def _leaf(row: list[GridCell]) -> int:
    return max(i for i, cell in enumerate(row) if not cell.is_copy and not is_value(cell.text))


def _data_rows(doc: Document) -> list[int]:
    _, rows = _table3(doc)
    return [i for i, row in enumerate(rows) if any(not c.is_copy and c.text.strip().isdigit() for c in row)]


def _applications(doc: Document) -> dict:
    return without_locations(parse_document(doc).to_dict())["tables"]["applications"]  # cutting moves the cells, not what they say


def _cut_label(row: list[GridCell], groups_too: bool) -> tuple[list[GridCell], list[GridCell], int]:
    """(first half, second half, leaf column) of a row whose leaf label (and, if asked, group labels) a page break cuts."""
    leaf = _leaf(row)
    head, tail = row, row
    cut = [row[leaf].text] + ([c.text for c in row[:leaf] if c.text != row[leaf].text] if groups_too else [])
    for text in dict.fromkeys(cut):
        middle = len(text) // 2
        head, tail = _relabel(head, text, text[:middle]), _relabel(tail, text, text[middle:])
    return head, tail, leaf


def _relabel(row: list[GridCell], old: str, new: str) -> list[GridCell]:
    """The row with its leaf label (and the slots its merge covers) printing ``new``."""
    return [replace(cell, text=new) if cell.text == old else cell for cell in row]


def _blanked(row: list[GridCell], leaf: int) -> list[GridCell]:
    return [GridCell("") if i > leaf and not cell.is_copy else cell for i, cell in enumerate(row)]


def test_every_row_boundary(document: Document) -> None:
    want = expected_of(PDF)["tables"]["applications"]
    _, rows = _table3(document)
    for cut in range(1, len(rows)):
        assert _applications(_with_pieces(document, [rows[:cut], rows[cut:]])) == want, f"cut before row {cut}"


@pytest.mark.parametrize("groups_too", [False, True], ids=["leaf-label", "group-labels-too"])
@pytest.mark.parametrize("values_after", [True, False], ids=["values-on-next-page", "values-beside-first-half"])
def test_every_row_broken_in_two(document: Document, values_after: bool, groups_too: bool) -> None:
    want = expected_of(PDF)["tables"]["applications"]
    _, rows = _table3(document)
    for index in _data_rows(document):
        head, tail, leaf = _cut_label(rows[index], groups_too)
        if len(rows[index][leaf].text.replace("\n", "")) < 4:
            continue  # "3、其他": too short to break
        first, second = (_blanked(head, leaf), tail) if values_after else (head, _blanked(tail, leaf))
        pieces = [rows[:index] + [first], [second] + rows[index + 1 :]]
        got = _applications(_with_pieces(document, pieces))
        assert got == want, f"row {index} ({rows[index][leaf].text!r}) broken in two"
