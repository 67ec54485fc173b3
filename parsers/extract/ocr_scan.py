"""Extractors for documents that are only pictures: scanned PDFs and image files.

A scanned PDF page has no text layer and one big image, the scanner's picture of the
printed page; the picture is taken at its own resolution (not re-rendered) and read like an
image file. Pages are read in order; a table row that a page break cut in two (its rest
starts the next page with empty value cells and a label that is no row's start, or its
label ends the page with a bracket still open) is put back together, as in the print.
"""

from __future__ import annotations

import re
import struct
import warnings
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import replace
from io import BytesIO
from typing import Any

import cv2
import numpy as np

from parsers.cells import parse_cell
from parsers.document import Block, Document, GridCell, OcrText
from parsers.errors import ExtractionError, LimitExceeded
from parsers.extract.ocr import engine
from parsers.extract.ocr_page import PageTable, TextLine, read_page
from parsers.extract.pdf import _ENDS_SENTENCE, _PAGE_NUMBER
from parsers.headings import is_whole_heading

# A picture is decoded whole before anything is read: a crafted PNG of a few KB can ask for
# gigabytes. An A4 page scanned at 600 dpi is 35 million pixels.
MAX_PIXELS = 80_000_000
_OPENERS, _CLOSERS = "（(", "）)"
# How a table row's own label starts: its number (一、 （一） 1．) or a table 2 caption (第二十条…).
_ROW_START = re.compile(r"^\s*(?:第|[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]|\d{1,2}\s*[、.．·])")
_FULL_LINE_SLACK = 2.0  # line heights a wrapped line may stop short of the right margin
_SAME_TABLE_SLACK = 0.03  # share of the width two page's pieces of one table may be offset by


def scan_kind(data: bytes) -> str | None:
    """"one picture a page" for a PDF whose every page is one picture without text (read at
    the picture's own resolution), "pictures" for one whose pages are several (a scan kept as
    strips, or compressed in layers: read as drawn), None for another PDF."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None  # the text-layer extractor reports what is wrong with the file
    try:
        counts = [len(_pictures(page)) if page.get_textpage().count_chars() == 0 else 0 for page in document]
    except pdfium.PdfiumError:
        return None  # a page pdfium cannot load: the text-layer extractor's error stands
    finally:
        document.close()
    if not counts or not all(counts):
        return None
    return "one picture a page" if set(counts) == {1} else "pictures"


def extract_scanned_pdf(data: bytes) -> Document:
    return Document(blocks=blocks_from_pages(_page_pictures(data)), source_format="pdf-scan")


def _page_pictures(data: bytes) -> Iterator[np.ndarray]:
    """Each page's picture, decoded one at a time: a long scan never sits in memory whole."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        for page in document:
            picture = _pictures(page)[0]
            check_pixels(*picture.get_px_size())
            bitmap = picture.get_bitmap(render=False)
            yield as_bgr(bitmap.to_numpy(), bitmap.format)
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"damaged scanned PDF: {exc}") from exc
    finally:
        document.close()


def pdf_page_as_read(data: bytes, number: int) -> np.ndarray | None:
    """Page ``number`` (from 1) of a PDF as OCR read it, the picture its cells' pixel boxes
    are in: the page's one picture for a scan of one picture a page, the page drawn at
    RENDER_DPI for other PDFs read by OCR; None for a page the PDF does not have."""
    import pypdfium2 as pdfium

    from parsers.extract.pdf_fonts import system_fonts_for_drawing
    from parsers.extract.pdf_unreadable import drawn_page

    own_pictures = scan_kind(data) == "one picture a page"
    with system_fonts_for_drawing():
        document = pdfium.PdfDocument(data)
        try:
            if not 1 <= number <= len(document):
                return None
            page = document[number - 1]
            if not own_pictures:
                return drawn_page(page)
            bitmap = _pictures(page)[0].get_bitmap(render=False)
            return as_bgr(bitmap.to_numpy(), bitmap.format)
        finally:
            document.close()


def check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise LimitExceeded(f"a picture of {width}x{height} pixels exceeds MAX_PIXELS={MAX_PIXELS} of parsers/extract/ocr_scan.py")


def _pictures(page: Any) -> list[Any]:
    import pypdfium2.raw as pdfium_c

    return list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def extract_image(data: bytes) -> Document:
    """A PNG/JPEG/TIFF/GIF file read as one page."""
    return Document(blocks=image_blocks(data), source_format="image")


def image_blocks(data: bytes) -> list[Block]:
    """The tables and text of one picture (an image file, or an ``<img>`` of a report page)."""
    return blocks_from_pages([decode_image(data)])


def decode_image(data: bytes) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # Pillow's own bomb check warns; ours below decides
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            size = Image.open(BytesIO(data)).size  # reads the header only
    except Image.DecompressionBombError as exc:
        raise LimitExceeded(f"a picture exceeds MAX_PIXELS={MAX_PIXELS} of parsers/extract/ocr_scan.py: {exc}".splitlines()[0]) from exc
    except (UnidentifiedImageError, OSError, ValueError, ArithmeticError, IndexError, struct.error) as exc:
        # Pillow's format plugins raise what their arithmetic raises on a broken header (a WMF's frame of 0)
        raise ExtractionError(f"damaged or unsupported image file: {exc}".splitlines()[0]) from exc
    check_pixels(*size)
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ExtractionError("damaged or unsupported image file")
    return image


def blocks_from_pages(pages: Iterable[np.ndarray]) -> list[Block]:
    ocr = engine()
    return join_pages([read_page(page, ocr) for page in pages])


def join_pages(pages: list[list[TextLine | PageTable]]) -> list[Block]:
    """What was read on each page, in order, as the document's blocks (page numbers dropped)."""
    items: list[TextLine | PageTable] = []
    for number, page in enumerate(pages, 1):
        read = [item for item in page if not (isinstance(item, TextLine) and _PAGE_NUMBER.match(item.text))]
        for item in read:
            if isinstance(item, PageTable):
                _locate_on_page(item, number)
        if read and isinstance(read[0], PageTable) and items and isinstance(items[-1], PageTable):
            _mend_broken_row(items[-1], read[0])
        items.extend(read)
    return _blocks(items)


def _locate_on_page(table: PageTable, number: int) -> None:
    """Add the page to the locations of the table's cells (a picture is page 1)."""
    table.table.rows = [
        [GridCell(cell.text, cell.span_of, replace(cell.location, page=number)) if cell.location else cell for cell in row]
        for row in table.table.rows
    ]


def _mend_broken_row(before: PageTable, after: PageTable) -> None:
    """Join a row cut by the page break back together (see the module docstring): each
    piece of text on the next page goes to the cell above it."""
    edges, next_edges = before.column_edges, after.column_edges
    slack = (edges[-1] - edges[0]) * _SAME_TABLE_SLACK
    if abs(edges[0] - next_edges[0]) > slack or abs(edges[-1] - next_edges[-1]) > slack:
        return
    if not before.table.rows or not after.table.rows:
        return
    last, first = before.table.rows[-1], after.table.rows[0]
    pieces = [(c, cell.text) for c, cell in enumerate(first) if not cell.is_copy and cell.text.strip()]
    if not pieces or any(_is_value(text) for _, text in pieces):
        return
    labels = [cell.text for cell in last if not cell.is_copy and cell.text.strip() and not _is_value(cell.text)]
    unclosed = bool(labels) and sum(labels[-1].count(c) for c in _OPENERS) > sum(labels[-1].count(c) for c in _CLOSERS)
    if not unclosed and _ROW_START.match("".join(text for _, text in pieces)):
        return
    texts = [cell.text for cell in last]
    for c, text in pieces:
        middle = (next_edges[c] + next_edges[min(c + 1, len(next_edges) - 1)]) / 2
        above = max(0, min(bisect_right(edges, middle) - 1, len(last) - 1))
        origin = above if last[above].span_of is None else last[above].span_of[1]
        texts[origin] = _concat(texts[origin], text)
    row = len(before.table.rows) - 1
    before.table.rows[-1] = [
        GridCell(texts[c] if cell.span_of is None else texts[cell.span_of[1]] if cell.span_of[0] == row else cell.text,
                 cell.span_of, cell.location)
        for c, cell in enumerate(last)
    ]
    after.table.rows[:] = _without_first_row(after.table.rows)


def _without_first_row(rows: list[list[GridCell]]) -> list[list[GridCell]]:
    """The rows after the first, merged cells that started in it now starting in the new first row."""
    rebased = []
    for r, row in enumerate(rows[1:]):
        new_row = []
        for cell in row:
            if cell.span_of is None:
                new_row.append(cell)
            elif cell.span_of[0] == 0:
                new_row.append(GridCell(cell.text, None if r == 0 else (0, cell.span_of[1]), cell.location))
            else:
                new_row.append(GridCell(cell.text, (cell.span_of[0] - 1, cell.span_of[1]), cell.location))
        rebased.append(new_row)
    return rebased


def _is_value(text: str) -> bool:
    return parse_cell(text).state != "text"


def _concat(a: str, b: str) -> str:
    if not b.strip():
        return a
    if isinstance(a, OcrText) and isinstance(b, OcrText):
        confidence = min(a.confidence, b.confidence)
        return OcrText(a + b, confidence, a.flagged or b.flagged)
    return a + b


def _blocks(items: list[TextLine | PageTable]) -> list[Block]:
    """Lines into paragraphs, as for text PDFs: a line continues the one before when it
    starts at the margin and the one before ran to the right margin or stopped without
    ending a sentence (a number or a URL too long for the rest of the line)."""
    lines = [item for item in items if isinstance(item, TextLine)]
    left = min((line.x0 for line in lines), default=0)
    height = sorted(line.height for line in lines)[len(lines) // 2] if lines else 0
    ends = sorted(line.x1 for line in lines if line.x0 <= left + height)
    right = ends[len(ends) // 2] if ends else 0
    blocks: list[Block] = []
    previous: TextLine | None = None
    for item in items:
        if isinstance(item, PageTable):
            if item.table.rows:
                blocks.append(Block("table", table=item.table))
            previous = None
            continue
        continues = (
            previous is not None
            and item.x0 <= left + height
            and (previous.x1 >= right - _FULL_LINE_SLACK * height or not _ENDS_SENTENCE.search(previous.text))
            and not is_whole_heading(item.text)  # after a sentence whose 。 was read as 0 or °
        )
        if continues:
            blocks[-1].text += item.text
        else:
            blocks.append(Block("paragraph", text=str(item.text)))
        previous = item
    return blocks


def as_bgr(array: np.ndarray, bitmap_format: int) -> np.ndarray:
    import pypdfium2.raw as pdfium_c

    if array.ndim == 2:
        return array
    if bitmap_format in (pdfium_c.FPDFBitmap_BGRA, pdfium_c.FPDFBitmap_BGRx):
        return cv2.cvtColor(array, cv2.COLOR_BGRA2BGR)
    if bitmap_format == pdfium_c.FPDFBitmap_Gray:
        return array[:, :, 0]
    return array
