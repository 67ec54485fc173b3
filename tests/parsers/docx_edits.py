"""A seed's Word file with some of its paragraphs retyped, run together or followed by new ones,
as an agency's own edits of the template would leave it."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t"))


def _set_text(paragraph: etree._Element, text: str) -> None:
    runs = list(paragraph.iter(f"{{{W}}}t"))
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def retyped(source: Path, changes: dict[str, str], *, join_next: tuple[str, ...] = (),
            after: dict[str, list[str]] | None = None, remove_last: tuple[str, ...] = ()) -> bytes:
    """``source`` with the paragraphs printing ``changes``' keys (white space around aside)
    printing their values instead; those printing one of ``join_next`` run into the paragraph
    after them; those printing a key of ``after`` followed by new paragraphs of the same style;
    the last paragraph printing each of ``remove_last`` taken out (a signature's line)."""
    after = after or {}
    archive = zipfile.ZipFile(source)
    root = etree.fromstring(archive.read("word/document.xml"))
    for text in remove_last:
        last = [p for p in root.iter(f"{{{W}}}p") if paragraph_text(p).strip() == text][-1]
        last.getparent().remove(last)
    paragraphs = list(root.iter(f"{{{W}}}p"))
    for index, paragraph in enumerate(paragraphs):
        text = paragraph_text(paragraph).strip()
        if not text:
            continue
        if text in join_next:
            following = paragraphs[index + 1]
            _set_text(paragraph, changes.get(text, text) + paragraph_text(following))
            following.getparent().remove(following)
        elif text in changes:
            _set_text(paragraph, changes[text])
        for offset, added in enumerate(after.get(text, []), start=1):
            new = copy.deepcopy(paragraph)
            _set_text(new, added)
            paragraph.getparent().insert(paragraph.getparent().index(paragraph) + offset, new)
    return with_document(archive, root)


def with_document(archive: zipfile.ZipFile, root: etree._Element, parts: dict[str, bytes] | None = None) -> bytes:
    """The DOCX ``archive`` with ``root`` as its word/document.xml and ``parts`` (member name ->
    bytes) in place of the members of those names."""
    parts = {**(parts or {}), "word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in archive.infolist():
            target.writestr(item, parts.get(item.filename) or archive.read(item.filename))
    return out.getvalue()


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def with_page_parts(source: Path, parts: dict[str, tuple[str, str]], *, xml_declaration: bool = False) -> bytes:
    """``source`` with header or footer parts on every page: member name ("word/header1.xml")
    -> (kind, "header" or "footer"; its XML), each referenced from the body's section."""
    archive = zipfile.ZipFile(source)
    root = etree.fromstring(archive.read("word/document.xml"))
    section = root.find(f".//{{{W}}}sectPr")
    assert section is not None
    relationships, overrides = "", ""
    for number, (name, (kind, _)) in enumerate(parts.items()):
        rel_id = f"rIdPagePart{number}"
        section.insert(0, etree.Element(f"{{{W}}}{kind}Reference", {f"{{{W}}}type": "default", f"{{{_R}}}id": rel_id}))
        relationships += f'<Relationship Id="{rel_id}" Type="{_R}/{kind}" Target="{name.removeprefix("word/")}"/>'
        overrides += (f'<Override PartName="/{name}" ContentType="application/'
                      f'vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>')
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' if xml_declaration else ""
    members = {
        "word/_rels/document.xml.rels": archive.read("word/_rels/document.xml.rels").replace(
            b"</Relationships>", f"{relationships}</Relationships>".encode()),
        "[Content_Types].xml": archive.read("[Content_Types].xml").replace(b"</Types>", f"{overrides}</Types>".encode()),
    }
    document = with_document(archive, root, members)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document)) as made, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in made.infolist():
            target.writestr(item, made.read(item.filename))
        for name, (_, xml) in parts.items():
            target.writestr(name, declaration + xml)
    return out.getvalue()


def with_running_lines(source: Path, header: str, footer_before: str = "第 ", footer_after: str = " 页") -> bytes:
    """``source`` with a page header printing ``header`` (centred, ruled below, as 公文 print
    the agency's name) and a footer printing the page's number in a PAGE field between
    ``footer_before`` and ``footer_after``, on every page."""
    header_xml = (f'<w:hdr xmlns:w="{W}"><w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="1" w:color="FF0000"/>'
                  f'</w:pBdr><w:jc w:val="center"/></w:pPr><w:r><w:t>{header}</w:t></w:r></w:p></w:hdr>')
    footer_xml = (f'<w:ftr xmlns:w="{W}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
                  f'<w:r><w:t xml:space="preserve">{footer_before}</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                  '<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                  f'<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
                  f'<w:r><w:t xml:space="preserve">{footer_after}</w:t></w:r></w:p></w:ftr>')
    return with_page_parts(source, {"word/header1.xml": ("header", header_xml), "word/footer1.xml": ("footer", footer_xml)})


def letter_spaced(source: Path, texts: tuple[str, ...], spacing: int = 60) -> bytes:
    """``source`` with the runs of the paragraphs printing ``texts`` set with wide character
    spacing (字符间距加宽, ``w:spacing`` in twentieths of a point), as 公文 set titles and headings."""
    archive = zipfile.ZipFile(source)
    root = etree.fromstring(archive.read("word/document.xml"))
    for paragraph in root.iter(f"{{{W}}}p"):
        if paragraph_text(paragraph).strip() in texts:
            for run in paragraph.iter(f"{{{W}}}r"):
                properties = run.find(f"{{{W}}}rPr")
                if properties is None:
                    properties = etree.Element(f"{{{W}}}rPr")
                    run.insert(0, properties)
                etree.SubElement(properties, f"{{{W}}}spacing", {f"{{{W}}}val": str(spacing)})
    return with_document(archive, root)
