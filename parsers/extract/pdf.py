"""Extractor for PDF files with a text layer: ruled tables as grids, the rest as paragraphs.

Tables come from pdfplumber's ruling-line detection; the grid is rebuilt from the cell
boxes so merged cells become copies, and a table that ends one page and resumes at the top
of the next with the same column rulings is joined into one. Lines of text outside tables
are joined into paragraphs: a line starts a new paragraph when it is indented, centred or
right-aligned, or when the line before it stopped short of the right margin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from parsers.document import Block, Document, Table
from parsers.errors import ExtractionError
from parsers.extract.pdf_tables import TableFragment, fragments_to_table, read_fragment

_PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3}|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
_TOLERANCE = 2.0
_FULL_LINE_SLACK = 2.5  # character widths a full line may stop short of the margin (no break inside a number)
# A line stopping short without ending a sentence was pushed to wrap early (a URL, an e-mail).
_ENDS_SENTENCE = re.compile(r"[。！？!?；;”\"）)]$")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float


@dataclass
class _Item:
    """A line or a table fragment on a page, in reading order."""

    page: int
    top: float
    line: _Line | None = None
    fragments: list[TableFragment] = field(default_factory=list)


def extract_pdf(data: bytes) -> Document:
    import pdfplumber  # slow to import; most captures never need it
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            items = [item for number, page in enumerate(pdf.pages) for item in _page_items(number, page)]
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise ExtractionError(f"damaged or unreadable PDF: {type(exc).__name__}: {exc}".strip()) from exc
    except Exception as exc:  # pdfminer raises bare Exceptions for some broken files
        if "pdf" in type(exc).__module__.lower():
            raise ExtractionError(f"damaged or unreadable PDF: {type(exc).__name__}: {exc}") from exc
        raise
    if not any(item.line is not None or item.fragments for item in items):
        raise ExtractionError("the PDF has no text layer (a scanned image?)")
    return Document(blocks=_blocks(_join_tables(items)), source_format="pdf")


def _page_items(number: int, page: Any) -> list[_Item]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    items = [_Item(number, table.bbox[1], fragments=[read_fragment(table)]) for table in tables]
    for line in page.filter(outside).extract_text_lines(return_chars=True):
        text = line["text"].strip()
        if not text or _PAGE_NUMBER.match(text):
            continue
        size = max((c.get("size", 0) for c in line["chars"]), default=10.0)
        items.append(_Item(number, line["top"], line=_Line(text, line["x0"], line["x1"], line["top"], size)))
    items.sort(key=lambda item: item.top)
    return items


def _join_tables(items: list[_Item]) -> list[_Item]:
    """Join a table ending a page to one starting the next page when their rulings match."""
    joined: list[_Item] = []
    for item in items:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.fragments
            and item.fragments
            and item.page == previous.page + 1
            and _first_on_page(items, item)
            and previous.fragments[-1].continues_as(item.fragments[0], _TOLERANCE)
        ):
            previous.fragments.extend(item.fragments)
            previous.page = item.page
            continue
        joined.append(item)
    return joined


def _first_on_page(items: list[_Item], item: _Item) -> bool:
    return next(i for i in items if i.page == item.page) is item


def _blocks(items: list[_Item]) -> list[Block]:
    lines = [item.line for item in items if item.line is not None]
    left = min((line.x0 for line in lines), default=0.0)
    # Where full lines end: the median end of lines starting at the margin (most are wrapped,
    # hence full); the widest line overhangs with punctuation and would set it too far right.
    ends = sorted(line.x1 for line in lines if line.x0 <= left + _TOLERANCE)
    right = ends[len(ends) // 2] if ends else 0.0
    blocks: list[Block] = []
    previous: _Line | None = None
    for item in items:
        if item.fragments:
            blocks.append(Block("table", table=fragments_to_table(item.fragments)))
            previous = None
            continue
        line = item.line
        assert line is not None
        continues = (
            previous is not None
            and line.x0 <= left + _TOLERANCE
            and (previous.x1 >= right - _FULL_LINE_SLACK * previous.size or not _ENDS_SENTENCE.search(previous.text))
        )
        if continues:
            blocks[-1].text += line.text
        else:
            blocks.append(Block("paragraph", text=line.text))
        previous = line
    return blocks
