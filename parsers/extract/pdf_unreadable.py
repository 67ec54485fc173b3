"""PDFs whose text layer does not say what the page prints: fonts embedded without a Unicode
map (or with a wrong one), as some Chinese office suites and print drivers write them.

The glyphs print as they should, but their text is control characters, private-use code
points or pdfminer's "(cid:226)": stored as read, the report was 2 KB of "\\x01\\x02…" with
no section, no table and 0 findings, and with only the digits' font unmapped every count was
text and the year and agency wrong. Such a file is read as what it looks like: its pages are
drawn and read by OCR, as a scan's are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from parsers.document import Document
from parsers.errors import ExtractionError

# What an unmapped glyph comes out as.
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff\ufffd]|\(cid:\d+\)")
# A few stray ones are a symbol font's bullets; this many, and this share, are unmapped text.
_MIN_UNREADABLE = 12
_UNREADABLE_SHARE = 0.02
RENDER_DPI = 200

if TYPE_CHECKING:
    import numpy as np


def unreadable_text(doc: Document) -> bool:
    """Whether the text read from a PDF is, in good part, glyphs without their characters."""
    pieces = [block.text for block in doc.blocks if block.table is None]
    pieces += [cell.text for block in doc.blocks if block.table is not None for row in block.table.rows for cell in row
               if cell.span_of is None]
    text = "".join(pieces)
    unreadable = len(_UNREADABLE.findall(text))
    return unreadable >= _MIN_UNREADABLE and unreadable >= _UNREADABLE_SHARE * len("".join(text.split()))


def extract_drawn_pdf(data: bytes) -> Document:
    """The PDF's pages drawn as pictures and read by OCR."""
    from parsers.extract.ocr_scan import blocks_from_pages

    return Document(blocks=blocks_from_pages(_drawn_pages(data)), source_format="pdf-scan")


def _drawn_pages(data: bytes) -> Iterator[np.ndarray]:
    import pypdfium2 as pdfium

    from parsers.extract.pdf_fonts import system_fonts_for_drawing

    with system_fonts_for_drawing():
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ExtractionError(f"damaged PDF: {exc}") from exc
        try:
            for page in document:
                yield drawn_page(page)
        except pdfium.PdfiumError as exc:
            raise ExtractionError(f"damaged PDF: {exc}") from exc
        finally:
            document.close()


def drawn_page(page: Any) -> np.ndarray:
    """pypdfium2 ``page`` drawn at RENDER_DPI, as OCR reads it (BGR); its document opened
    inside ``pdf_fonts.system_fonts_for_drawing``."""
    from parsers.extract.ocr_scan import as_bgr, check_pixels

    width, height = page.get_size()
    scale = RENDER_DPI / 72
    check_pixels(int(width * scale), int(height * scale))
    bitmap = page.render(scale=scale)
    return as_bgr(bitmap.to_numpy(), bitmap.format)
