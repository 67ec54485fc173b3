"""Extractors for documents that are only pictures: scanned PDFs and image files.

A scanned PDF page has no text layer and one big image, the scanner's picture of the
printed page; the picture is taken at its own resolution (not re-rendered) and read like an
image file. Pages are read in order; a table row that a page break cut in two (its label
ends the page with a bracket still open, its rest starts the next page with empty value
cells) is put back together, as in the printed report.
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from parsers.cells import parse_cell
from parsers.document import Block, Document, GridCell, OcrText, Table
from parsers.errors import ExtractionError
from parsers.extract.ocr import engine
from parsers.extract.ocr_page import PageTable, TextLine, read_page
from parsers.extract.pdf import _PAGE_NUMBER

_OPENERS, _CLOSERS = "（(", "）)"
_FULL_LINE_SLACK = 2.0  # line heights a wrapped line may stop short of the right margin


def scanned_pages(data: bytes) -> list[np.ndarray] | None:
    """The page pictures of a PDF made only of scans, None when any page has a text layer."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None  # the text-layer extractor reports what is wrong with the file
    pictures = []
    try:
        for page in document:
            if page.get_textpage().count_chars() > 0:
                return None
            images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
            if len(images) != 1:
                return None
            bitmap = images[0].get_bitmap(render=False)
            pictures.append(_as_bgr(bitmap.to_numpy(), bitmap.format))
    finally:
        document.close()
    return pictures or None


def extract_scanned_pdf(data: bytes, pages: list[np.ndarray] | None = None) -> Document:
    pages = pages if pages is not None else scanned_pages(data)
    if not pages:
        raise ExtractionError("the PDF has no text layer and its pages are not single scanned images")
    return Document(blocks=blocks_from_pages(pages), source_format="pdf-scan")


def extract_image(data: bytes) -> Document:
    """A PNG/JPEG/TIFF/GIF file read as one page."""
    return Document(blocks=image_blocks(data), source_format="image")


def image_blocks(data: bytes) -> list[Block]:
    """The tables and text of one picture (an image file, or an ``<img>`` of a report page)."""
    return blocks_from_pages([decode_image(data)])


def decode_image(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ExtractionError("damaged or unsupported image file")
    return image


def blocks_from_pages(pages: Iterable[np.ndarray]) -> list[Block]:
    ocr = engine()
    items: list[TextLine | PageTable] = []
    for page in pages:
        read = [item for item in read_page(page, ocr) if not (isinstance(item, TextLine) and _PAGE_NUMBER.match(item.text))]
        if read and isinstance(read[0], PageTable) and items and isinstance(items[-1], PageTable):
            _mend_broken_row(items[-1], read[0])
        items.extend(read)
    return _blocks(items)


def _mend_broken_row(before: PageTable, after: PageTable) -> None:
    """Join a row cut by the page break back together (see the module docstring)."""
    if before.columns != after.columns or not before.table.rows or not after.table.rows:
        return
    last, first = before.table.rows[-1], after.table.rows[0]
    label = "".join(cell.text for cell in last if not cell.is_copy and not _is_value(cell.text))
    rest = [cell.text for cell in first if not cell.is_copy]
    if label.count("（") + label.count("(") <= label.count("）") + label.count(")"):
        return
    if any(text.strip() and _is_value(text) for text in rest):
        return
    joined = [
        _concat(a.text, b.text) if not a.is_copy and not b.is_copy else a.text for a, b in zip(last, first)
    ]
    before.table.rows[-1] = [GridCell(text, a.span_of) for text, a in zip(joined, last)]
    after.table.rows.pop(0)


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
    """Lines into paragraphs: a line continues the one before when it starts at the margin
    and the one before ran to the right margin (it wrapped)."""
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
        continues = previous is not None and item.x0 <= left + height and previous.x1 >= right - _FULL_LINE_SLACK * height
        if continues:
            blocks[-1].text += item.text
        else:
            blocks.append(Block("paragraph", text=str(item.text)))
        previous = item
    return blocks


def _as_bgr(array: np.ndarray, bitmap_format: int) -> np.ndarray:
    import pypdfium2.raw as pdfium_c

    if array.ndim == 2:
        return array
    if bitmap_format in (pdfium_c.FPDFBitmap_BGRA, pdfium_c.FPDFBitmap_BGRx):
        return cv2.cvtColor(array, cv2.COLOR_BGRA2BGR)
    if bitmap_format == pdfium_c.FPDFBitmap_Gray:
        return array[:, :, 0]
    return array
