"""Word markup that templates, tracked changes and text boxes leave in a report's DOCX.

Each test takes seed 001's Word file, changes its XML the way Word or a document-assembly
tool writes it, and reads it against the seed's expected JSON: what Word prints, read once.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree, html

from parsers.api import parse_bytes
from docx_edits import with_document
from real_documents import cell_differences

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = FIXTURES / "documents" / "001_edb62deb526a149a.docx"
EXPECTED = json.loads((FIXTURES / "expected" / "001_edb62deb526a149a.json").read_text(encoding="utf-8"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
# Word's text box: DrawingML, and the same box again as VML for older readers.
TEXT_BOX = (
    '<w:r xmlns:w="{w}" xmlns:mc="{mc}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:positionV relativeFrom="paragraph">'
    "<wp:posOffset>0</wp:posOffset></wp:positionV><wp:docPr id=\"1\" name=\"文本框 1\"/><a:graphic><a:graphicData>"
    "<wps:wsp><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
    "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{paragraphs}"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def _edited(change: Callable[[etree._Element], None], *, styles: str = "", numbering: str = "") -> bytes:
    """Seed 001's DOCX with ``change`` made to its word/document.xml, and ``styles`` and
    ``numbering`` (XML of w:style, and of w:abstractNum and w:num) added to its styles and lists."""
    source = zipfile.ZipFile(SEED)
    root = etree.fromstring(source.read("word/document.xml"))
    change(root.find("w:body", NS))
    parts = {}
    for member, added, end in (("word/styles.xml", styles, b"</w:styles>"), ("word/numbering.xml", numbering, b"</w:numbering>")):
        if added:
            original = source.read(member)
            if member == "word/numbering.xml":  # every w:abstractNum comes before the first w:num
                abstract, instances = added.split("<w:num ", 1)
                at = original.index(b"<w:num ")
                original = original[:at] + abstract.encode() + original[at:]
                added = "<w:num " + instances
            parts[member] = original.replace(end, added.encode() + end)
    return with_document(source, root, parts)


def _report(data: bytes) -> dict:
    return parse_bytes(data, filename="report.docx")[1].to_dict()


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _applications_rows(body: etree._Element) -> list[etree._Element]:
    table = next(t for t in body.iterfind("w:tbl", NS) if "本年新收" in _text(t))
    return table.findall("w:tr", NS)


def _row(body: etree._Element, label: str) -> etree._Element:
    return next(tr for tr in _applications_rows(body) if _text(tr).startswith(label))


def _paragraph(markup: str) -> etree._Element:
    return etree.fromstring(f'<w:p xmlns:w="{W}">{markup}</w:p>')


def _as_printed(report: dict) -> None:
    assert cell_differences(EXPECTED, report) == []
    assert [s["heading"] for s in report["sections"]] == [s["heading"] for s in EXPECTED["sections"]]
    assert not [f for f in report["findings"] if f["severity"] == "error"]


def test_rows_inside_a_content_control_are_rows_of_the_table() -> None:
    def wrap(body: etree._Element) -> None:  # a template's repeating section around rows 一 and 二
        first, second = _row(body, "一、本年新收"), _row(body, "二、上年结转")
        control = etree.Element(_w("sdt"))
        etree.SubElement(control, _w("sdtPr"))
        content = etree.SubElement(control, _w("sdtContent"))
        first.addprevious(control)
        content.extend([first, second])

    _as_printed(_report(_edited(wrap)))


def test_a_cell_inside_a_content_control_keeps_its_column() -> None:
    def wrap(body: etree._Element) -> None:
        cell = _row(body, "一、本年新收").findall("w:tc", NS)[1]
        control = etree.Element(_w("sdt"))
        content = etree.SubElement(control, _w("sdtContent"))
        cell.addprevious(control)
        content.append(cell)

    _as_printed(_report(_edited(wrap)))


def test_a_title_in_a_text_box_is_read_once() -> None:
    def box(body: etree._Element) -> None:
        title = list(body)[:2]  # 威海经济技术开发区 / 2020年政府信息公开工作年度报告
        paragraphs = "".join(etree.tostring(p, encoding="unicode") for p in title)
        anchor = _paragraph("")
        anchor.append(etree.fromstring(TEXT_BOX.format(w=W, mc=NS["mc"], paragraphs=paragraphs)))
        title[0].addprevious(anchor)
        for paragraph in title:
            body.remove(paragraph)

    report = _report(_edited(box))
    _as_printed(report)
    assert report["metadata"]["agency"] == "威海经济技术开发区"
    assert report["metadata"]["title"] == EXPECTED["metadata"]["title"]


def test_a_text_box_anchored_to_a_heading_does_not_run_into_it() -> None:
    def box(body: etree._Element) -> None:  # the unit note drawn beside table 3's heading
        heading = next(p for p in body.iterfind("w:p", NS) if _text(p).startswith("三、"))
        note = f'<w:p xmlns:w="{W}"><w:r><w:t>单位：件</w:t></w:r></w:p>'
        heading.append(etree.fromstring(TEXT_BOX.format(w=W, mc=NS["mc"], paragraphs=note)))

    report = _report(_edited(box))
    _as_printed(report)
    assert next(s for s in report["sections"] if s["heading"].startswith("三、"))["text"] == "单位：件"


def test_a_tracked_move_is_read_where_the_number_now_stands() -> None:
    def move(body: etree._Element) -> None:  # 5 moved out of the cell, 0 typed in, changes still tracked
        cell = _row(body, "一、本年新收").findall("w:tc", NS)[2]  # commercial: 0
        for paragraph in cell.iterfind("w:p", NS):
            cell.remove(paragraph)
        cell.append(_paragraph(
            '<w:moveFrom w:id="1" w:author="a"><w:r><w:t>5</w:t></w:r></w:moveFrom>'
            '<w:ins w:id="2" w:author="a"><w:r><w:t>0</w:t></w:r></w:ins>'))

    _as_printed(_report(_edited(move)))


def test_hidden_text_in_a_cell_is_not_read() -> None:
    def hide(body: etree._Element) -> None:
        cell = _row(body, "一、本年新收").findall("w:tc", NS)[1]  # natural persons: 5
        run = cell.find(".//w:r", NS)
        run.addprevious(etree.fromstring(f'<w:r xmlns:w="{W}"><w:rPr><w:vanish/></w:rPr><w:t>4</w:t></w:r>'))

    _as_printed(_report(_edited(hide)))


def test_a_dash_typed_as_a_non_breaking_hyphen_or_a_symbol_reads_as_a_dash_not_a_blank() -> None:
    def dashes(body: etree._Element) -> None:
        row = _row(body, "二、上年结转").findall("w:tc", NS)  # every value printed 0
        for cell, run in ((row[1], "<w:noBreakHyphen/>"), (row[2], '<w:sym w:font="Symbol" w:char="F02D"/>')):
            for paragraph in cell.iterfind("w:p", NS):
                cell.remove(paragraph)
            cell.append(_paragraph(f"<w:r>{run}</w:r>"))

    cells = _report(_edited(dashes))["tables"]["applications"]["rows"]["carried_over"]["cells"]
    assert [(cells[c]["raw"], cells[c]["state"]) for c in ("natural_person", "commercial")] == [("-", "dash")] * 2


def test_a_table_framed_by_a_one_cell_layout_table_is_read() -> None:
    def frame(body: etree._Element) -> None:
        appeals = next(t for t in body.iterfind("w:tbl", NS) if "行政复议" in _text(t))
        layout = etree.fromstring(f'<w:tbl xmlns:w="{W}"><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid>'
                                  "<w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>")
        appeals.addprevious(layout)
        cell = layout.find(".//w:tc", NS)
        cell.insert(0, appeals)  # Word ends a cell with a paragraph, after the nested table

    _as_printed(_report(_edited(frame)))


def _heading_ids_by_xml(styles: bytes) -> set[str]:
    root = etree.fromstring(styles)
    return {style.get(_w("styleId")) for style in root.iterfind("w:style", NS)
            if (style.find("w:name", NS).get(_w("val")) or "").lower().startswith(("heading", "title", "标题"))}


def test_heading_styles_read_from_the_bytes_are_those_the_xml_names() -> None:
    from parsers.extract.docx import _heading_style_ids

    documents = sorted((FIXTURES / "documents").glob("*.docx"))
    assert documents
    for document in documents:
        styles = zipfile.ZipFile(document).read("word/styles.xml")
        assert _heading_style_ids(styles) == _heading_ids_by_xml(styles) != set(), document.name
    # another writer's prefix for Word's namespace: read through the XML
    styles = zipfile.ZipFile(SEED).read("word/styles.xml")
    renamed = styles.replace(b"<w:", b"<ns0:").replace(b"</w:", b"</ns0:").replace(b" w:", b" ns0:").replace(
        b"xmlns:w=", b"xmlns:ns0=")
    assert _heading_style_ids(renamed) == _heading_ids_by_xml(styles)


# A list numbering 一、 二、 … at its first level and （一） （二） … at its second, as 公文 templates define it.
CHINESE_OUTLINE = (
    '<w:abstractNum w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
)
HEADINGS = [s["heading"] for s in EXPECTED["sections"]]


def _numbered_headings(words: list[str]) -> Callable[[etree._Element], None]:
    """The six headings printed by the list ``CHINESE_OUTLINE`` (their typed numbers taken out) as ``words``."""
    def number(body: etree._Element) -> None:
        headings = [next(p for p in body.iter(_w("p")) if _text(p).strip() == heading) for heading in HEADINGS]
        for paragraph, wording in zip(headings, words, strict=True):
            texts = paragraph.findall(".//w:t", NS)
            texts[0].text = wording
            for text in texts[1:]:
                text.text = ""
            properties = paragraph.find("w:pPr", NS)
            if properties is None:
                properties = etree.Element(_w("pPr"))
                paragraph.insert(0, properties)
            properties.append(etree.fromstring(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    return number


def test_headings_numbered_by_a_word_list_print_their_numbers() -> None:
    words = ["基本情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
             "主要问题及改进情况", "其他需要报告的事项"]  # 基本情况 and 主要问题及改进情况 are headings only after their number
    report = _report(_edited(_numbered_headings(words), numbering=CHINESE_OUTLINE))
    assert cell_differences(EXPECTED, report) == []
    assert [(s["number"], s["heading"], s["text"]) for s in report["sections"]] == [
        (n, f"{'一二三四五六'[n - 1]}、{wording}", s["text"]) for n, wording, s in zip(range(1, 7), words, EXPECTED["sections"])]
    assert report["findings"] == []


HIDDEN_STYLES = (
    '<w:style w:type="character" w:customStyle="1" w:styleId="EditorsNote"><w:name w:val="编辑说明"/>'
    '<w:rPr><w:vanish/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="EditorsParagraph"><w:name w:val="编辑说明段落"/>'
    '<w:rPr><w:vanish/><w:color w:val="FF0000"/></w:rPr></w:style>'
)


def test_text_hidden_by_its_style_is_not_read() -> None:
    def hide(body: etree._Element) -> None:
        cell = _row(body, "一、本年新收").findall("w:tc", NS)[1]  # natural persons: 5, an old 4 hidden before it
        cell.find(".//w:r", NS).addprevious(etree.fromstring(
            f'<w:r xmlns:w="{W}"><w:rPr><w:rStyle w:val="EditorsNote"/></w:rPr><w:t>4</w:t></w:r>'))
        heading = next(p for p in body.iter(_w("p")) if _text(p).strip() == HEADINGS[0])
        heading.addnext(etree.fromstring(f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="EditorsParagraph"/></w:pPr>'
                                         "<w:r><w:t>编辑说明：本段不公开。</w:t></w:r></w:p>"))

    report = _report(_edited(hide, styles=HIDDEN_STYLES))
    _as_printed(report)
    assert report["sections"][0]["text"] == EXPECTED["sections"][0]["text"]


def test_a_heading_after_a_line_break_inside_a_paragraph_opens_its_section() -> None:
    def join(body: etree._Element) -> None:  # 六's heading typed after Shift+Enter at the end of 五's last paragraph
        paragraphs = list(body.iter(_w("p")))
        heading = next(p for p in paragraphs if _text(p).strip() == HEADINGS[5])
        last_of_five = paragraphs[paragraphs.index(heading) - 1]
        while not _text(last_of_five).strip():
            last_of_five = paragraphs[paragraphs.index(last_of_five) - 1]
        last_of_five.append(etree.fromstring(f'<w:r xmlns:w="{W}"><w:br/><w:t>{HEADINGS[5]}</w:t></w:r>'))
        heading.getparent().remove(heading)

    report = _report(_edited(join))
    _as_printed(report)
    assert [(s["number"], s["text"]) for s in report["sections"]] == [(s["number"], s["text"]) for s in EXPECTED["sections"]]


def _repackaged(members: dict[str, bytes], renamed: dict[str, str] | None = None) -> bytes:
    """Seed 001's DOCX with ``members`` (name -> bytes) in place of or beside its own, and its
    members renamed as ``renamed`` says."""
    import io

    renamed = renamed or {}
    out = io.BytesIO()
    with zipfile.ZipFile(SEED) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in members:
                target.writestr(renamed.get(item.filename, item.filename), source.read(item.filename))
        for name, data in members.items():
            target.writestr(name, data)
    return out.getvalue()


def test_a_table_imported_as_an_html_chunk_is_read_where_it_stands() -> None:
    # Office systems that assemble reports from HTML import parts of them whole (w:altChunk)
    page = html.fromstring((FIXTURES / "documents" / "001_edb62deb526a149a.html").read_bytes())
    table = next(t for t in page.iter("table") if "本年新收" in t.text_content())
    chunk = b"<html><head><meta charset='utf-8'></head><body>" + html.tostring(table, encoding="utf-8") + b"</body></html>"
    source = zipfile.ZipFile(SEED)
    root = etree.fromstring(source.read("word/document.xml"))
    body = root.find("w:body", NS)
    docx_table = next(t for t in body.iterfind("w:tbl", NS) if "本年新收" in _text(t))
    docx_table.addprevious(etree.fromstring(
        f'<w:altChunk xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdChunk1"/>'))
    body.remove(docx_table)
    relationships = source.read("word/_rels/document.xml.rels").replace(b"</Relationships>", (
        b'<Relationship Id="rIdChunk1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"'
        b' Target="afchunk1.htm"/></Relationships>'))
    _as_printed(_report(_repackaged({
        "word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
        "word/_rels/document.xml.rels": relationships, "word/afchunk1.htm": chunk})))


def test_strict_open_xml_and_a_main_part_of_another_name_are_read() -> None:
    source = zipfile.ZipFile(SEED)
    strict = {name: source.read(name).replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                              b"http://purl.oclc.org/ooxml/wordprocessingml/main")
              for name in ("word/document.xml", "word/styles.xml")}
    _as_printed(_report(_repackaged(strict)))
    # the main part named word/document2.xml, as the package's relationships say
    relationships = source.read("_rels/.rels").replace(b'Target="word/document.xml"', b'Target="word/document2.xml"')
    renamed = {"word/document.xml": "word/document2.xml", "word/_rels/document.xml.rels": "word/_rels/document2.xml.rels"}
    _as_printed(_report(_repackaged({"_rels/.rels": relationships}, renamed)))
