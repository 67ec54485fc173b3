"""Text that encodes and prints: UTF-16 surrogate halves some readers hand out, paired up
or replaced, and characters that print nothing but act on what shows the text left out.

pdfium gives a character beyond U+FFFF (an emoji, a rare CJK name character such as 𪚥) as
its two UTF-16 halves, one per glyph index; Python keeps them as two lone surrogates, which
no UTF-8 encoder accepts, so one such character would fail every later write of the report.
Adjacent halves are joined into their character and a half without its partner becomes
U+FFFD, in every text a document carries.

A page may write control characters as references (``&#x1b;``), and bidirectional overrides
(U+202E) into an agency's name: kept, one made the Atom feed of every report invalid XML, an
escape reset the terminal a name was listed on, and an override showed one name as another.
"""

from __future__ import annotations

import dataclasses
import re

from parsers.document import Block, Document, Table

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls but tab and line breaks, bidirectional marks and overrides, non-characters.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def mend(text: str) -> str:
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _UNPRINTABLE.sub("", text)


def mend_document(doc: Document) -> Document:
    """``doc`` with every text mended (the same object when no text needs it)."""
    texts = "".join(document_texts(doc))
    if _encodes(texts) and not _UNPRINTABLE.search(texts):  # one check, not one per cell
        return doc
    blocks = [
        Block(block.kind, mend(block.text),
              Table([[dataclasses.replace(cell, text=mend(cell.text)) for cell in row] for row in block.table.rows])
              if block.table is not None else None)
        for block in doc.blocks
    ]
    return dataclasses.replace(
        doc, blocks=blocks, page_meta={key: mend(value) for key, value in doc.page_meta.items()},
        page_title=mend(doc.page_title) if doc.page_title is not None else None,
    )


def _encodes(text: str) -> bool:
    """Whether ``text`` holds no surrogate: UTF-8 refuses exactly those, at a quarter of the regex's cost."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def document_texts(doc: Document) -> list[str]:
    """Every text a document carries: page metadata, page title, block texts, table cells."""
    texts = [*doc.page_meta.values()]
    if doc.page_title is not None:
        texts.append(doc.page_title)
    for block in doc.blocks:
        texts.append(block.text)
        if block.table is not None:
            for row in block.table.rows:
                texts += [cell.text for cell in row]  # a list a row, not a generator's step a cell
    return texts
