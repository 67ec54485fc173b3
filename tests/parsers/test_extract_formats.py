"""Format sniffing and the DOCX/PDF extractors on files built here with python-docx and reportlab."""

import io

import pytest
from docx import Document as new_docx

from parsers.document import Document
from parsers.errors import ExtractionError
from parsers.extract import extract
from parsers.extract.sniff import sniff_format
from tests.hostile.compound import compound_file


@pytest.mark.parametrize(
    ("data", "suffix", "content_type", "fmt"),
    [
        (b"%PDF-1.7\n...", "docx", None, "pdf"),  # bytes beat the name
        (compound_file(), "doc", None, "doc"),
        (compound_file(), "wps", None, "wps"),
        (compound_file(), None, "application/kswps", "wps"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", "txt", None, "html"),
        ("  <div id=zoom><p>报告</p></div>".encode("gbk"), None, None, "html"),
        ("一、总体情况\n\t规章\n\t0\n".encode("utf-8"), "pdf.txt", None, "seedtext"),
    ],
)
def test_sniffing(data: bytes, suffix: str | None, content_type: str | None, fmt: str) -> None:
    assert sniff_format(data, suffix=suffix, content_type=content_type) == fmt


def _docx_with_merges() -> bytes:
    word = new_docx()
    word.add_paragraph("某某局")
    word.add_heading("一、总体情况", level=2)
    table = word.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "第二十条第（一）项"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "规章"
    table.cell(1, 1).text, table.cell(1, 2).text = "1", "2"
    table.cell(2, 1).text, table.cell(2, 2).text = "3", "4"
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_docx_merged_cells_expand() -> None:
    doc = extract(_docx_with_merges(), filename="r.docx")
    assert doc.source_format == "docx"
    assert [(b.kind, b.text) for b in doc.blocks[:2]] == [("paragraph", "某某局"), ("heading", "一、总体情况")]
    rows = doc.blocks[2].table.rows
    assert [[c.text for c in row] for row in rows] == [["第二十条第（一）项"] * 3, ["规章", "1", "2"], ["规章", "3", "4"]]
    assert [c.span_of for c in rows[0]] == [None, (0, 0), (0, 0)]
    assert rows[2][0].span_of == (1, 0) and rows[1][0].span_of is None


def _pdf(paragraphs_before: int, table_rows: int) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("p", fontName="STSong-Light", fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    story = [Paragraph("三、收到和处理政府信息公开申请情况", style)]
    story += [Paragraph(f"第{i}段。" + "这是一段很长的说明文字，" * 8 + "结束。", style) for i in range(paragraphs_before)]
    data = [["项目", "自然人", "总计"]] + [[f"第{i}行", str(i), str(i)] for i in range(table_rows)]
    story.append(Table(data, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), "STSong-Light")]), splitByRow=1))
    story.append(Paragraph("四、后记。", style))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue()


def test_pdf_table_split_across_pages_is_joined() -> None:
    doc = extract(_pdf(paragraphs_before=8, table_rows=40), filename="r.pdf")
    tables = [b.table for b in doc.blocks if b.table is not None]
    assert len(tables) == 1
    texts = tables[0].texts()
    assert texts[0] == ["项目", "自然人", "总计"]
    assert [row[0] for row in texts[1:]] == [f"第{i}行" for i in range(40)]
    paragraphs = [b.text for b in doc.blocks if b.table is None]
    assert paragraphs[0] == "三、收到和处理政府信息公开申请情况"
    assert paragraphs[1] == "第0段。" + "这是一段很长的说明文字，" * 8 + "结束。"  # wrapped lines joined
    assert paragraphs[-1] == "四、后记。"


def test_pdf_readers_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfium reads this file; pdfplumber, the fallback, must give the same document."""
    from parsers.extract import pdf_page

    data = _pdf(paragraphs_before=8, table_rows=40)
    assert pdf_page.pdfium_reads(data)
    fast = extract(data, filename="r.pdf")
    monkeypatch.setattr(pdf_page, "_page_chars", lambda page, number, content: None)
    slow = extract(data, filename="r.pdf")
    assert [(b.kind, b.text) for b in fast.blocks] == [(b.kind, b.text) for b in slow.blocks]
    assert fast.fingerprint() == slow.fingerprint()


def test_pdf_without_text_layer() -> None:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 200, 200, fill=1)  # a "scan": drawing, no text
    page.save()
    with pytest.raises(ExtractionError, match="no text layer"):
        extract(buffer.getvalue(), filename="scan.pdf")


def test_fingerprint_ignores_format_differences() -> None:
    html = extract("<div id=zoom><p>一、总体情况</p><table><tr><td>规章</td><td> 0 </td></tr></table></div>".encode())
    text = extract("一、总体情况\n\t规章\n\t0\n".encode())
    assert isinstance(html, Document) and html.fingerprint() == text.fingerprint()
