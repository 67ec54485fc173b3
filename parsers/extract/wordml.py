"""Extractor for Word 2003 XML documents ("WordML", ``<w:wordDocument>``), read as the DOCX they
nearly are.

Java office systems still fill WordML templates to make their Word files and serve them as
``.doc``. Word 2003's markup is DOCX's main part under an older namespace: the same paragraphs,
runs, tables and styles in one XML file, with a few names spelled otherwise (``w:vmerge``
for ``w:vMerge``) and the body wrapped in ``wx:sect``/``wx:sub-section`` hints. The file is
rewritten into those two DOCX parts and read by the DOCX extractor, so both formats are read
by one reader. LibreOffice is no help here: its Word 2003 XML import drops vertically merged
cells, which shifts table 3's rows.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from parsers.document import Document
from parsers.errors import ExtractionError
from parsers.extract.docx import extract_docx
from parsers.limits import check_tree

_WORDML = "http://schemas.microsoft.com/office/word/2003/wordml"
_AUX = "http://schemas.microsoft.com/office/word/2003/auxHint"
_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# WordML names that DOCX spells otherwise; every other element keeps its local name.
_RENAMED = {"vmerge": "vMerge", "hmerge": "hMerge", "wordDocument": "document"}
# Word's layout hints around the body's paragraphs: their content is the document's.
_WRAPPERS = {f"{{{_AUX}}}{name}" for name in ("sect", "sub-section", "pBdrGroup")}
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, remove_comments=True)


def extract_wordml(data: bytes) -> Document:
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(f"damaged Word 2003 XML document: not well-formed ({exc.msg})") from exc
    check_tree(root, len(data))
    body = root.find(f"{{{_WORDML}}}body")
    if body is None:
        raise ExtractionError("damaged Word 2003 XML document: it has no body")
    styles = root.find(f"{{{_WORDML}}}styles")
    doc = extract_docx(_as_docx(body, styles))
    doc.source_format = "wordml"
    return doc


def _as_docx(body: etree._Element, styles: etree._Element | None) -> bytes:
    """A DOCX holding ``body`` as word/document.xml and ``styles`` as word/styles.xml."""
    document = etree.Element(f"{{{_MAIN}}}document", nsmap={"w": _MAIN})
    document.append(_in_docx_names(_unwrapped(body)))
    parts = {"word/document.xml": document}
    if styles is not None:
        parts["word/styles.xml"] = _in_docx_names(styles)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, element in parts.items():
            etree.cleanup_namespaces(element, top_nsmap={"w": _MAIN})
            archive.writestr(name, etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True))
    return out.getvalue()


def _unwrapped(body: etree._Element) -> etree._Element:
    """``body`` with Word's section and border-group hints replaced by what they hold."""
    for wrapper in [element for element in body.iter(*_WRAPPERS)]:
        parent = wrapper.getparent()
        if parent is None:
            continue
        index = parent.index(wrapper)
        for offset, child in enumerate(list(wrapper)):
            parent.insert(index + offset, child)
        parent.remove(wrapper)
    return body


def _in_docx_names(element: etree._Element) -> etree._Element:
    """``element`` and what it holds with WordML's names (elements and attributes) in DOCX's namespace."""
    prefix = f"{{{_WORDML}}}"
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag.startswith(prefix):
            local = node.tag[len(prefix):]
            node.tag = f"{{{_MAIN}}}{_RENAMED.get(local, local)}"
        for name in [name for name in node.attrib if name.startswith(prefix)]:
            node.set(f"{{{_MAIN}}}{name[len(prefix):]}", node.attrib.pop(name))
    return element
