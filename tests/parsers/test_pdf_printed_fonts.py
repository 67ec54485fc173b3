"""Every text object's font as printed is measured from that object's own font, size and matrix.

``pdf_page._PrintedFonts`` reads an object's size and matrix into one buffer and keeps a
font by their bytes: objects sharing a font must share only what they print alike.
"""

from __future__ import annotations

import ctypes
import math
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.extract import pdf_page

REAL_PDF = Path(__file__).resolve().parents[2] / "fixtures" / "real" / "huaian_szf_2024.pdf"


def test_each_text_objects_font_is_its_own_font_size_and_matrix() -> None:
    document = pdfium.PdfDocument(REAL_PDF.read_bytes())
    checked = 0
    for page in document:
        fonts = pdf_page._PrintedFonts()
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=1):
            font = fonts(ctypes.cast(obj.raw, ctypes.c_void_p).value)
            size = ctypes.c_float()
            assert pdfium_c.FPDFTextObj_GetFontSize(obj.raw, size)
            matrix = obj.get_matrix()
            assert font.font == ctypes.cast(pdfium_c.FPDFTextObj_GetFont(obj.raw), ctypes.c_void_p).value
            assert (font.font_size, font.a, font.d) == (size.value, matrix.a, matrix.d)
            assert font.size == size.value * math.hypot(matrix.c, matrix.d)
            checked += 1
    assert checked > 2000  # the agency's six pages print a text object per character
