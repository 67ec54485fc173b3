"""pdfium without the machine's fonts, for a process that reads PDFs' text and draws none.

pdfium looks for a system font to stand in for each font a PDF names without embedding it
(iText's and reportlab's STSong-Light, a Word export's SimSun). Where the machine has a CJK
font, it loads that font again for every document that needs it (Noto's CJK collections are
20-26 MB), and such PDFs were read at half the rate they were on a machine without one
(our fixture PDFs: 11 a CPU second against 20-25). Their text does not need it: the
characters and their advances come from the PDF, and the characters a font without glyphs
loses are put back (``pdf_blanks``), so the reports are the same either way (a test holds
this), and a parse worker's speed no longer depends on the fonts installed.

The setting holds for the whole process, drawing included, where a non-embedded font's text
would be drawn without its glyphs: pages are drawn for OCR (a scan, a PDF whose embedded
fonts do not map to text, which may print its headings in a font it does not embed) with the
machine's fonts given back for as long as it takes (``system_fonts_for_drawing``). Only the
parse workers make the setting; the web interface, which draws pages as evidence, keeps the
machine's fonts throughout.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pypdfium2.raw as pdfium_c

# The font list handed to pdfium, and its callbacks: pdfium calls them for as long as the
# process lives, so they must not be collected.
_EMPTY: Any = None
_drawing = False


def without_system_fonts() -> None:
    """Have pdfium find no system font for the rest of the process (its own base fonts stay)."""
    global _EMPTY
    if _EMPTY is not None:
        return
    kinds = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
    info = pdfium_c.FPDF_SYSFONTINFO(
        version=1,
        Release=kinds["Release"](_ignore),
        EnumFonts=kinds["EnumFonts"](_ignore),
        MapFont=kinds["MapFont"](_no_font),
        GetFont=kinds["GetFont"](_no_font),
        GetFontData=kinds["GetFontData"](_no_data),
        GetFaceName=kinds["GetFaceName"](_no_data),
        GetFontCharset=kinds["GetFontCharset"](_no_data),
        DeleteFont=kinds["DeleteFont"](_ignore),
    )
    pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(info))
    _EMPTY = info


def system_fonts_used() -> bool:
    """Whether pdfium looks among the machine's fonts in this process now."""
    return _EMPTY is None or _drawing


@contextmanager
def system_fonts_for_drawing() -> Iterator[None]:
    """pdfium with the machine's fonts inside the block, where this process had it find none.

    pdfium lists the machine's fonts again when given them (some milliseconds), and a
    document opened inside the block keeps the fonts it found there: open, draw and close
    it inside."""
    global _drawing
    if _EMPTY is None or _drawing:
        yield
        return
    default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
    if not default:  # a platform without pdfium's own font list
        yield
        return
    pdfium_c.FPDF_SetSystemFontInfo(default)
    _drawing = True
    try:
        yield
    finally:
        _drawing = False
        # Replaced, the default list is released by pdfium; the structure is ours to free.
        pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(_EMPTY))
        pdfium_c.FPDF_FreeDefaultSystemFontInfo(default)


def _ignore(*_: Any) -> None:
    return None


def _no_font(*_: Any) -> None:
    return None  # NULL: no font of that name or kind


def _no_data(*_: Any) -> int:
    return 0
