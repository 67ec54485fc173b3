from __future__ import annotations

import io

import docx
import pdfplumber

from fixtures.render.docx import render_report_docx
from fixtures.render.layout import layout_document
from fixtures.render.pdf import render_report_pdf
from parsers.document import Document
from render_checks import tables_of, values_by_row


def test_docx_opens_with_merged_cells_and_the_seed_values(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["003_405f20c665fb23e7"]
    word = docx.Document(io.BytesIO(render_report_docx(doc)))
    assert len(word.tables) == 3
    table2, table3, table4 = word.tables
    # A merged cell is one cell reached from every slot it covers.
    assert table3.cell(0, 0)._tc is table3.cell(2, 2)._tc
    assert table3.cell(5, 0)._tc is table3.cell(26, 0)._tc
    assert table3.cell(5, 0).text == "三、本年度办理结果"
    assert table4.cell(0, 0)._tc is table4.cell(0, 4)._tc
    assert table2.cell(0, 0)._tc is table2.cell(0, 3)._tc
    expected = values_by_row(tables_of(doc)["applications"])
    read = [[cell.text for cell in row.cells[3:]] for row in table3.rows[3:]]
    assert read == list(expected.values())
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "一、总体情况" and len(headings) == 6


def test_docx_bytes_do_not_depend_on_when_they_are_made(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["002_133ea6e3b8938548"]
    assert render_report_docx(doc) == render_report_docx(doc)


def test_pdf_tables_have_every_printed_cell_and_table_3_breaks_across_pages(seed_docs: dict[str, Document]) -> None:
    for stem, doc in seed_docs.items():
        data = render_report_pdf(doc)
        assert data == render_report_pdf(doc), stem
        expected_cells = sum(len(b.table.cells) for b in layout_document(doc) if b.table is not None)
        pages_of: dict[str, int] = {}
        found = 0
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = "".join(page.extract_text() for page in pdf.pages)
            for number, page in enumerate(pdf.pages):
                cells = [cell for table in page.extract_tables() for row in table for cell in row if cell is not None]
                found += len(cells)
                for needle in ("勾稽", "结转下年度"):
                    if any(needle in cell for cell in cells):
                        pages_of[needle] = number
        assert found == expected_cells, stem
        assert pages_of["结转下年度"] == pages_of["勾稽"] + 1, stem
        assert "收到和处理政府信息公开申请情况" in text
