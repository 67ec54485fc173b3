"""A note's mark beside a value is no part of it.

Agencies annotate a count with a footnote ("26" and a raised "1": 含线上申请…), as Word
footnotes or as a superscript typed after it ("20373①", "64*", "3注1"). Read as text of the
cell, the mark became digits of the value: LibreOffice's PDF of seed 001 so annotated read
"1 26" as 126, "① 20373" as 120373, table 3's 5 as 25 and 15 and table 4's 1 as 31, with
false findings and no word of the misreading; its Word file and web pages read 20373① as
203731 and 5 with a raised 1 as 51. The mark is left out of the value by every extractor;
where it cannot be told from the value (LibreOffice's web page breaks "注1" out of its
superscript) the cell is text, and reported.
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from docx_edits import W, with_document
from parsers.api import parse_bytes
from parsers.cells import parse_cell

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "fixtures" / "documents" / "001_edb62deb526a149a.docx"
FOOTNOTE = "F"  # a real Word footnote (w:footnoteReference), numbered by Word
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# (table, row, cell) in the seed's Word tables -> the mark set after the value
MARKS = {
    (0, 3, 3): FOOTNOTE,  # 对外公开总数量 26
    (0, 6, 3): "①",  # 行政许可 处理决定数量 20373
    (0, 10, 1): "*",  # 行政处罚 上一年项目数量 64
    (1, 3, 1): FOOTNOTE,  # 一、本年新收 自然人 5
    (1, 3, 7): "1",  # 一、本年新收 总计 5
    (1, 15, 3): "注1",  # 本机关不掌握 自然人 3
    (2, 3, 3): FOOTNOTE,  # 行政复议 尚未审结 1
    (2, 3, 4): "*",  # 行政复议 总计 1
}
# What the marked cells print, by where the parse puts them.
VALUES = {
    ("active_disclosure", "规范性文件", "对外公开总数量"): 26,
    ("active_disclosure", "行政许可", "处理决定数量"): 20373,
    ("active_disclosure", "行政处罚", "上一年项目数量"): 64,
    ("applications", "new_received", "natural_person"): 5,
    ("applications", "new_received", "total"): 5,
    ("applications", "unable.not_held", "natural_person"): 3,
    ("appeals", "review", "pending"): 1,
    ("appeals", "review", "total"): 1,
}
PROSE = "主动公开政府信息11210条，其中，门户网站公开4790条，"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _superscript_run(text: str | None, footnote: int | None = None) -> etree._Element:
    run = etree.Element(_q("r"))
    properties = etree.SubElement(run, _q("rPr"))
    etree.SubElement(properties, _q("vertAlign"), {_q("val"): "superscript"})
    if footnote is not None:
        etree.SubElement(run, _q("footnoteReference"), {_q("id"): str(footnote)})
    else:
        etree.SubElement(run, _q("t")).text = text
    return run


def _mark_after(root: etree._Element, printed: str, mark: str) -> None:
    """A superscript ``mark`` in the paragraph text right after ``printed`` (split out of its run)."""
    for text in root.iter(_q("t")):
        if text.text and printed in text.text:
            run = text.getparent()
            head, tail = text.text.split(printed, 1)
            rest = copy.deepcopy(run)
            text.text = head + printed
            rest.find(_q("t")).text = tail
            rest.find(_q("t")).set(_XML_SPACE, "preserve")
            run.addnext(_superscript_run(mark))
            run.getnext().addnext(rest)
            return
    raise AssertionError(f"{printed} is not in the document")


def annotated_seed() -> bytes:
    """Seed 001's Word file with note marks after values in its three tables and in its text."""
    archive = zipfile.ZipFile(SEED)
    root = etree.fromstring(archive.read("word/document.xml"))
    tables = list(root.iter(_q("tbl")))
    notes = []
    for (table, row, cell), mark in MARKS.items():
        tc = [c for c in [r for r in tables[table] if r.tag == _q("tr")][row] if c.tag == _q("tc")][cell]
        paragraph = list(tc.iter(_q("p")))[-1]
        if mark == FOOTNOTE:
            notes.append(len(notes) + 1)
            paragraph.append(_superscript_run(None, footnote=notes[-1]))
        else:
            paragraph.append(_superscript_run(mark))
    _mark_after(root, "主动公开政府信息11210", "1")
    _mark_after(root, "门户网站公开4790条", "②")
    footnotes = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> 其中线上申请{number}件。</w:t></w:r></w:p></w:footnote>' for number in notes)
    parts = {
        "word/_rels/document.xml.rels": archive.read("word/_rels/document.xml.rels").replace(b"</Relationships>", (
            '<Relationship Id="rIdNotes" Target="footnotes.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"/></Relationships>').encode()),
        "[Content_Types].xml": archive.read("[Content_Types].xml").replace(b"</Types>", (
            '<Override PartName="/word/footnotes.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>').encode()),
    }
    with zipfile.ZipFile(io.BytesIO(with_document(archive, root, parts))) as package:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in package.infolist():
                target.writestr(item, package.read(item.filename))
            target.writestr("word/footnotes.xml", (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
                f"{footnotes}</w:footnotes>"))
    return out.getvalue()


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The annotated seed as Word wrote it and as LibreOffice saves it as PDF and as web pages."""
    from conversions import libreoffice_convert

    workdir = tmp_path_factory.mktemp("office")
    source = workdir / "annotated.docx"
    source.write_bytes(annotated_seed())
    made = {"docx": source.read_bytes()}
    try:
        for target in ("pdf", "writer-html", "xhtml"):
            made[target] = libreoffice_convert([source], target, workdir)[source].read_bytes()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    return made


def _parse(data: bytes, target: str) -> dict[str, Any]:
    suffix = {"writer-html": "html", "xhtml": "html"}.get(target, target)
    return parse_bytes(data, filename=f"report.{suffix}")[1].to_dict()


def _cell(tables: dict[str, Any], where: tuple[str, str, str]) -> dict[str, Any]:
    table, row, column = where
    if table == "active_disclosure":
        return next(r for r in tables[table]["rows"] if r["label"] == row)["cells"][column]
    if table == "applications":
        return tables[table]["rows"][row]["cells"][column]
    return tables[table]["cells"][f"{row}.{column}"]


def _pdf_read_by(reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page read by ``reader``: pdfium (the fast reader), or pdfminer (the fallback)."""
    if reader == "pdfminer":
        import pypdfium2

        from parsers.extract import pdf, pdf_page

        def every_page(data: bytes) -> list[pdf_page.Page]:
            return pdf_page.read_with_pdfminer(data, list(range(len(pypdfium2.PdfDocument(data)))))

        monkeypatch.setattr(pdf, "read_pages", every_page)


@pytest.mark.parametrize("reader", ["pdfium", "pdfminer"])
def test_a_pdf_reads_each_annotated_value_without_its_mark(saved: dict[str, bytes], reader: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _pdf_read_by(reader, monkeypatch)
    report = _parse(saved["pdf"], "pdf")
    for where, value in VALUES.items():
        cell = _cell(report["tables"], where)
        assert (cell["raw"], cell["value"], cell["state"]) == (str(value), value, "number"), where
    assert [finding for finding in report["findings"] if finding["severity"] != "info"] == []
    assert PROSE in report["sections"][0]["text"]


@pytest.mark.parametrize("target", ["docx", "xhtml"])
def test_a_word_file_and_a_web_page_read_each_annotated_value_without_its_mark(saved: dict[str, bytes], target: str) -> None:
    report = _parse(saved[target], target)
    for where, value in VALUES.items():
        cell = _cell(report["tables"], where)
        assert (cell["raw"], cell["value"], cell["state"]) == (str(value), value, "number"), where
    assert [finding for finding in report["findings"] if finding["severity"] != "info"] == []
    assert PROSE in report["sections"][0]["text"]


def test_a_mark_broken_out_of_its_superscript_is_reported_never_read_into_the_value(saved: dict[str, bytes]) -> None:
    # LibreOffice's HTML closes <sup>注</font>…1</sup> out of order: the "1" is no longer raised
    report = _parse(saved["writer-html"], "writer-html")
    for where, value in VALUES.items():
        cell = _cell(report["tables"], where)
        if where == ("applications", "unable.not_held", "natural_person"):
            assert (cell["raw"], cell["value"], cell["state"]) == ("3注1", None, "text")
        else:
            assert (cell["raw"], cell["value"], cell["state"]) == (str(value), value, "number"), where
    assert {(f["rule"], f["printed"]) for f in report["findings"] if f["severity"] != "info"} == {
        ("counts.non_negative_integer", "3注1")}


def test_a_power_after_a_unit_is_kept() -> None:
    archive = zipfile.ZipFile(SEED)
    root = etree.fromstring(archive.read("word/document.xml"))
    for text in root.iter(_q("t")):
        if text.text and "门户网站公开4790条" in text.text:
            text.text = text.text.replace("门户网站公开4790条", "门户网站公开4790条，办公面积120m")
            break
    _mark_after(root, "办公面积120m", "2")
    report = parse_bytes(with_document(archive, root), filename="report.docx")[1].to_dict()
    assert "办公面积120m2，" in report["sections"][0]["text"]


@pytest.mark.parametrize(("printed", "value"), [("15¹", 15), ("20373①", 20373), ("26 ²", 26), ("11522.96万元³", 11522.96)])
def test_a_mark_typed_as_a_superscript_character_is_not_a_digit(printed: str, value: float) -> None:
    # NFKC folds ¹ and ① into 1: "15¹" was 151
    cell = parse_cell(printed, money="万" in printed)
    assert (cell.raw, cell.value, cell.state) == (printed, value, "number")


def test_a_word_web_pages_footnote_references_are_not_read_into_values() -> None:
    # Word's "Save as Web Page": a footnote reference is a link to #_ftn1 around "[1]" raised by
    # the MsoFootnoteReference class; typed superscripts are <sup> or vertical-align:super
    from parsers.extract.html import extract_html

    page = (
        "<html><head><style>span.MsoFootnoteReference {vertical-align:super;}</style></head><body><div id=zoom>"
        "<p>本年新收申请26<a style='mso-footnote-id:ftn1' href='#_ftn1' name='_ftnref1'><span class=MsoFootnoteReference>"
        "<span style='mso-special-character:footnote'><![if !supportFootnotes]><span class=MsoFootnoteReference>"
        "<span style='font-size:10.5pt'>[1]</span></span><![endif]></span></span></a>件，办公面积120m<sup>2</sup>。</p>"
        "<table><tr><td>规章</td><td>15<sup>1</sup></td><td>20373<span style='vertical-align:super'>①</span></td>"
        "<td>7<span class=MsoFootnoteReference>2</span></td></tr></table></div></body></html>"
    )
    blocks = extract_html(page.encode()).blocks
    assert blocks[0].text == "本年新收申请26件，办公面积120m2。"
    assert [cell.text for cell in blocks[1].table.rows[0]] == ["规章", "15", "20373", "7"]
