"""Extractor for PDF files with a text layer: ruled tables as grids, the rest as paragraphs.

Pages are read with pdfium (characters and ruling lines); ruled tables become grids with
merged cells as copies, and a table that ends one page and resumes at the top of the next
with the same column rulings is joined into one. Lines of text outside tables are joined
into paragraphs: a line starts a new paragraph when it is indented, centred or
right-aligned, when the line before it stopped short of the right margin having ended a
sentence or with room for the line's first word, or when it is numbered ("二、", "（三）")
after a sentence's end: a heading printed at the margin after a paragraph's full last line.
"""

from __future__ import annotations

import re
import traceback
from collections import Counter
from dataclasses import dataclass, field

from parsers.document import Block, Document
from parsers.errors import ExtractionError
from parsers.headings import is_whole_heading
from parsers.labels import starts_numbered
from parsers.extract.pdf_streams import check_stream_sizes
from parsers.extract.pdf_page import Page, TextLine, char_lines, line_texts, read_pages, read_with_pdfminer
from parsers.extract.pdf_borderless import find_borderless_tables
from parsers.extract.pdf_note_marks import without_note_marks
from parsers.extract.pdf_tables import TableFragment, find_tables, fragments_to_table, outside

_PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3}|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
_TOLERANCE = 2.0
_SCANNED_SHARE = 0.8  # pages that are pictures (``pdf_page.Page.pictured``) making a PDF a scan
_RUNNING_DIGITS = re.compile(r"\d+")
# Character widths a justified line may start right of the margin ("办法》" after a wrap);
# an indented paragraph starts two characters in.
_MARGIN_SLACK = 0.5
_CENTRED_INDENT = 3.0  # character widths: a centred line starts further in than an indented one
_FULL_LINE_SLACK = 2.5  # character widths a full line may stop short of the margin (no break inside a number)
_SPACE = 0.5  # character widths of the space a wrapped word would have needed before it
# A line stopping short without ending a sentence was pushed to wrap early when what starts the
# next line (a URL, an e-mail, a number) was too wide for the room left; a heading printed at
# the margin ("一、总体情况", no indent to tell it) has room for far more than that.
_ENDS_SENTENCE = re.compile(r"[。！？!?；;”\"）)]$")


@dataclass
class _Item:
    """A line or a table on a page, in reading order."""

    page: int
    top: float
    line: TextLine | None = None
    fragments: list[TableFragment] = field(default_factory=list)


class PicturedPdf(ExtractionError):
    """A scan's pages, pictures that its text layer (an OCR's, invisible, or a stamp line) does
    not read as well as they show: read the pictures (``parsers.extract._pdf``)."""


def extract_pdf(data: bytes) -> Document:
    import pypdfium2

    check_stream_sizes(data)
    try:
        pages = read_pages(data)
        if pages and sum(page.pictured for page in pages) >= _SCANNED_SHARE * len(pages):
            raise PicturedPdf("the PDF's pages are pictures under an OCR text layer or a stamp line")
        items = [item for number, page in enumerate(pages) for item in _page_items(data, number, page)]
    except pypdfium2.PdfiumError as exc:
        raise ExtractionError(f"damaged or unreadable PDF: {exc}") from exc
    except Exception as exc:  # pdfminer, the fallback reader, raises many kinds of error on broken files
        if not _raised_in_pdfminer(exc):
            raise
        raise ExtractionError(f"damaged or unreadable PDF: {type(exc).__name__}: {exc}".splitlines()[0]) from exc
    if not items:
        raise ExtractionError("the PDF has no text layer (a scanned image?)")
    return Document(blocks=_blocks(_join_tables(_without_running_lines(items))), source_format="pdf")


def _without_running_lines(items: list[_Item]) -> list[_Item]:
    """The items without the page headers and footers Word repeats on every page (the agency's
    name, "政府信息公开工作年度报告", a line with the page's number): the first or last line
    of a page whose text, digits aside, is the first or last line of most pages. Left in, a
    header ran into the heading at the top of its page, and the heading was lost."""
    pages: dict[int, list[_Item]] = {}
    for item in items:
        pages.setdefault(item.page, []).append(item)
    if len(pages) < 2:
        return items
    running: set[int] = set()
    for pick in (lambda page: page[0], lambda page: page[-1]):
        ends = [pick(page) for page in pages.values()]
        shapes = Counter(_RUNNING_DIGITS.sub("#", end.line.text) for end in ends if end.line is not None)
        for end in ends:
            if end.line is not None and shapes[_RUNNING_DIGITS.sub("#", end.line.text)] >= max(2, len(pages) / 2):
                running.add(id(end))
    return [item for item in items if id(item) not in running]


def _raised_in_pdfminer(exc: Exception) -> bool:
    """True when pdfminer raised ``exc`` or a built-in error (ValueError, RecursionError) from its code."""
    return type(exc).__module__.startswith("pdfminer") or any(
        frame.f_globals.get("__name__", "").startswith("pdfminer") for frame, _ in traceback.walk_tb(exc.__traceback__)
    )


def _page_items(data: bytes, number: int, page: Page) -> list[_Item]:
    chars = without_note_marks(page.chars)
    # A page without a ruled table may print one without rulings (a borderless Word table).
    tables = find_tables(page.edges, chars)
    lines = None if tables else char_lines(chars)  # read for such a table, kept for the text if none is found
    if lines is not None:
        tables = find_borderless_tables(lines)
        if tables and page.mended:
            # Such a table's rows are placed by where its words stand, measured on pdfminer's
            # character boxes; pdfium's stand a point or so higher or lower by font (its
            # ascent and descent), enough to move a wrapped label into the next row. The
            # page pdfium could read only with characters put back is read as it was before.
            page = read_with_pdfminer(data, [number])[0]
            chars = without_note_marks(page.chars)
            lines = char_lines(chars)
            tables = find_tables(page.edges, chars) or find_borderless_tables(lines)
    if tables:
        lines = char_lines(outside(chars, [box for box, _ in tables]))
    for _, fragment in tables:
        fragment.page = number + 1
    items = [_Item(number, box[1], fragments=[fragment]) for box, fragment in tables]
    assert lines is not None
    for line in line_texts(lines):
        if not _PAGE_NUMBER.match(line.text):
            items.append(_Item(number, line.top, line=line))
    items.sort(key=lambda item: item.top)
    return items


def _join_tables(items: list[_Item]) -> list[_Item]:
    """Join a table ending a page to one starting the next page when their rulings match."""
    joined: list[_Item] = []
    for index, item in enumerate(items):
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.fragments
            and item.fragments
            and item.page == previous.page + 1
            and (index == 0 or items[index - 1].page != item.page)  # first on its page
            and previous.fragments[-1].continues_as(item.fragments[0], _TOLERANCE)
        ):
            previous.fragments.extend(item.fragments)
            previous.page = item.page
            continue
        joined.append(item)
    return joined


def _centred(line: TextLine, left: float, right: float) -> bool:
    """A title line: well in from the margin, as far from the left edge as from the right.

    A title that does not end in punctuation would otherwise run on into the heading below it.
    """
    before, after = line.x0 - left, right - line.x1
    return before > _CENTRED_INDENT * line.size and abs(before - after) <= _CENTRED_INDENT * line.size


def _pushed(previous: TextLine, line: TextLine, right: float) -> bool:
    """Whether ``previous``, stopping short of ``right`` mid-sentence, did so because the first piece of ``line`` did not fit."""
    return not _ENDS_SENTENCE.search(previous.text) and right - previous.x1 < line.lead + _SPACE * line.size


def _blocks(items: list[_Item]) -> list[Block]:
    lines = [item.line for item in items if item.line is not None]
    left = min((line.x0 for line in lines), default=0.0)
    # Where full lines end: the median end of lines starting at the margin (most are wrapped,
    # hence full); the widest line overhangs with punctuation and would set it too far right.
    ends = sorted(line.x1 for line in lines if line.x0 <= left + _TOLERANCE)
    right = ends[len(ends) // 2] if ends else 0.0
    blocks: list[Block] = []
    previous: TextLine | None = None
    for item in items:
        if item.fragments:
            blocks.append(Block("table", table=fragments_to_table(item.fragments)))
            previous = None
            continue
        line = item.line
        assert line is not None
        continues = (
            previous is not None
            and line.x0 <= left + max(_TOLERANCE, _MARGIN_SLACK * line.size)
            and not _centred(previous, left, right)
            and (previous.x1 >= right - _FULL_LINE_SLACK * previous.size or _pushed(previous, line, right))
            and not (_ENDS_SENTENCE.search(previous.text) and starts_numbered(line.text))
            and not is_whole_heading(line.text)  # under a title spaced out to the full width
        )
        if continues:
            blocks[-1].text += line.text
        else:
            blocks.append(Block("paragraph", text=line.text))
        previous = line
    return blocks
