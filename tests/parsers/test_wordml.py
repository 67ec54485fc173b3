"""Word 2003 XML ("WordML"), as Word saves a document "as XML" and Java office systems fill
their templates: the seeds' DOCX rewritten into that markup read to the seeds' cells.

Word writes the 2003 namespace, spells a vertical merge ``w:vmerge``, keeps the styles in the
same file and wraps the body in ``wx:sect``/``wx:sub-section`` hints, one sub-section per
heading; that is what the rewrite below does. (LibreOffice's export cannot serve: it leaves
vertically merged cells out.)
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from parsers.api import parse_bytes
from parsers.extract.sniff import sniff_format
from real_documents import cell_differences

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEEDS = sorted((FIXTURES / "documents").glob("00?_*[0-9a-f].docx"))
MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORDML = "http://schemas.microsoft.com/office/word/2003/wordml"
AUX = "http://schemas.microsoft.com/office/word/2003/auxHint"


def _as_word_2003(element: etree._Element) -> etree._Element:
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.startswith(f"{{{MAIN}}}"):
            local = node.tag.split("}")[1]
            node.tag = f"{{{WORDML}}}{'vmerge' if local == 'vMerge' else local}"
        for name in [n for n in node.attrib if n.startswith(f"{{{MAIN}}}")]:
            node.set(f"{{{WORDML}}}{name.split('}')[1]}", node.attrib.pop(name))
    return element


def wordml_of(docx: Path) -> bytes:
    with zipfile.ZipFile(docx) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{{{MAIN}}}body")
        styles = etree.fromstring(archive.read("word/styles.xml"))
    root = etree.Element(f"{{{WORDML}}}wordDocument", nsmap={"w": WORDML, "wx": AUX})
    root.append(_as_word_2003(styles))
    new_body = etree.SubElement(root, f"{{{WORDML}}}body")
    section = etree.SubElement(new_body, f"{{{AUX}}}sect")
    sub = etree.SubElement(section, f"{{{AUX}}}sub-section")
    for child in list(_as_word_2003(body)):
        if child.tag == f"{{{WORDML}}}sectPr":
            section.append(child)
            continue
        styled = child.find(f"{{{WORDML}}}pPr/{{{WORDML}}}pStyle")
        if styled is not None and len(sub):  # Word opens a sub-section at each heading
            sub = etree.SubElement(section, f"{{{AUX}}}sub-section")
        sub.append(child)
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
            + etree.tostring(root, encoding="UTF-8"))


@pytest.mark.parametrize("docx", SEEDS, ids=lambda path: path.name[:3])
def test_a_seed_saved_as_word_2003_xml_reads_to_its_cells(docx: Path) -> None:
    data = wordml_of(docx)
    assert sniff_format(data, suffix="doc") == "wordml"  # served as .doc, it is still XML
    report = parse_bytes(data, filename="report.doc")[1].to_dict()
    want = json.loads((FIXTURES / "expected" / f"{docx.name.split('.')[0]}.json").read_text(encoding="utf-8"))
    assert report["source_format"] == "wordml"
    assert cell_differences(want, report) == []
    assert [s["heading"] for s in report["sections"]] == [s["heading"] for s in want["sections"]]
    assert [f["rule"] for f in report["findings"]] == [f["rule"] for f in want["findings"]]
    for field in ("agency", "title", "year"):
        assert report["metadata"][field] == want["metadata"][field], field


def test_a_cut_word_2003_xml_file_is_a_clear_error() -> None:
    from parsers.errors import ParseError

    data = wordml_of(SEEDS[0])
    with pytest.raises(ParseError, match="damaged Word 2003 XML document"):
        parse_bytes(data[: len(data) // 2], filename="report.doc")
