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


def with_document(archive: zipfile.ZipFile, root: etree._Element) -> bytes:
    """The DOCX ``archive`` with ``root`` as its word/document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in archive.infolist():
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if item.filename == "word/document.xml" else archive.read(item.filename)
            target.writestr(item, data)
    return out.getvalue()
