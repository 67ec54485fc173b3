"""Bad input: a one-line ExtractionError or an honest "no standard template" report, never a crash or an invented number."""

import io
import zipfile
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.errors import ConverterMissing, ExtractionError, ParseError
from parsers.report import Report
from parse_expectations import malformed_outcomes
from seed_edits import seed_text
from tests.hostile.compound import compound_file



def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body></w:document>')
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"", "empty.html", "empty"),
        (b"   \n\t ", "blank.txt", "empty"),
        (bytes(range(256)) * 8, "garbage.bin", "unrecognised binary"),
        (_docx_bytes()[:200], "cut.docx", "damaged"),
        (b"PK\x03\x04" + b"\x00" * 100, "zip.docx", "damaged"),
        (b"<html><body>not a pdf</body></html>", "report.pdf", "not a PDF"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "broken.pdf", "PDF"),
    ],
)
def test_unreadable_input_is_one_line_extraction_error(data: bytes, filename: str, reason: str) -> None:
    with pytest.raises(ExtractionError) as info:
        parse_bytes(data, filename=filename)
    message = str(info.value)
    assert reason in message and "\n" not in message


def test_doc_and_wps_need_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere on it
    ole2 = compound_file()
    with pytest.raises(ConverterMissing, match=r"\.doc file: LibreOffice \(soffice\) is not installed"):
        parse_bytes(ole2, filename="report.doc")
    with pytest.raises(ConverterMissing, match=r"\.wps file"):
        parse_bytes(ole2, filename="report.wps")


def test_truncated_real_docx() -> None:
    data = _docx_bytes()
    assert parse_bytes(data, filename="ok.docx")[1].sections[0].heading == "一、总体情况"
    with pytest.raises(ExtractionError, match="damaged"):
        parse_bytes(data[: len(data) - 30], filename="cut.docx")


def test_html_without_tables_is_a_report_without_tables() -> None:
    html = "<html><body><div id='zoom'><p>某某县2020年政府信息公开工作年度报告</p><p>一、总体情况</p><p>本年度工作顺利。</p></div></body></html>"
    _, report = parse_bytes(html.encode("utf-8"))
    assert report.to_dict()["tables"] == {}
    assert report.metadata.template == "unknown"
    assert report.metadata.year == 2020 and report.metadata.agency == "某某县"


def test_pre_2019_report_has_no_standard_template() -> None:
    text = "\n".join([
        "某某县人民政府",
        "2017年政府信息公开工作年度报告",
        "一、概述",
        "2017年，我县政府信息公开工作稳步推进。",
        "二、主动公开政府信息情况",
        "全年主动公开政府信息1200条。",
        "三、依申请公开政府信息情况",
        "全年受理申请12件，均已按时答复。",
        "四、政府信息公开的收费及减免情况",
        "未收取任何费用。",
    ])
    _, report = parse_bytes(text.encode("utf-8"), filename="2017.txt")
    assert report.metadata.template == "pre-2019"
    assert report.metadata.year == 2017
    assert report.to_dict()["tables"] == {}
    # the old outline's own top-level headings, in printed order (fixtures/README.md, "Pre-2019")
    assert [s.heading for s in report.sections] == ["一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、政府信息公开的收费及减免情况"]
    assert report.findings == []


def test_table_text_is_not_turned_into_numbers() -> None:
    text = seed_text("001").replace("\t11522.96万元", "\t详见附件").replace("\t+113", "\t无")
    _, report = parse_bytes(text.encode("utf-8"), filename="r.txt")
    rows = report.active_disclosure.rows
    purchase = rows[-1].cells["采购总金额"]
    assert (purchase.state, purchase.value, purchase.value_wan) == ("text", None, None)
    assert rows[2].cells["本年增/减"].value is None


def _assert_honest(report: Report) -> None:
    """Every typed value is read from digits the cell prints."""
    tables = report.to_dict()["tables"]
    for table in tables.values():
        rows = table.get("rows", {})
        rows = rows.values() if isinstance(rows, dict) else rows
        cells = list(table.get("cells", {}).values()) + [c for r in rows for c in r["cells"].values()]
        for cell in cells:
            if cell["value"] is not None:
                assert any(ch.isdigit() for ch in cell["raw"]), cell


@pytest.mark.parametrize("path", sorted(malformed_outcomes()), ids=lambda p: p.name)
def test_malformed_fixtures(path: Path) -> None:
    outcome = malformed_outcomes()[path]
    if outcome["outcome"] == "error":
        with pytest.raises(ParseError) as info:
            parse_bytes(path.read_bytes(), filename=path.name)
        assert str(info.value) and "\n" not in str(info.value)
        return
    _, report = parse_bytes(path.read_bytes(), filename=path.name)
    _assert_honest(report)
    if "template" in outcome:
        assert report.metadata.template == outcome["template"]
    if "tables" in outcome:
        assert report.to_dict()["tables"] == outcome["tables"]


def test_a_picture_whose_header_divides_by_zero_is_a_damaged_picture() -> None:
    from parsers.extract.ocr_scan import decode_image
    from parsers.extract.page_images import is_small_picture

    # an EMF record header (what Word keeps as an embedded object's preview) whose frame is all zeros
    emf = (1).to_bytes(4, "little") + bytes(36) + b" EMF" + bytes(60)
    with pytest.raises(ExtractionError) as info:
        decode_image(emf)
    assert "damaged or unsupported image file" in str(info.value)
    assert is_small_picture(emf)


def test_characters_that_act_on_what_shows_the_text_are_left_out() -> None:
    # a page's references to control characters and a bidirectional override, in its title and a cell
    page = ("<html><body><div id='zoom'><p>淄博市&#x1b;c张店区\u202e局试测\u202c机关事务服务中心2020年政府信息公开工作年度报告</p>"
            "<p>一、总体情况</p><p>无&#x1;。</p><table><tr><td>本年新收</td><td>5&#xFFFE;</td></tr></table></div></body></html>")
    doc, report = parse_bytes(page.encode("utf-8"), filename="page.html")
    texts = [block.text for block in doc.blocks] + [cell.text for block in doc.blocks if block.table
                                                    for row in block.table.rows for cell in row]
    printed = "".join(texts) + (report.metadata.title or "") + (report.metadata.agency or "")
    assert not any(ord(char) < 32 and char not in "\t\n\r" for char in printed)
    assert not set(printed) & {"\u202e", "\u202c", "\ufffe"}
    assert report.metadata.title == "淄博市c张店区局试测机关事务服务中心2020年政府信息公开工作年度报告"
