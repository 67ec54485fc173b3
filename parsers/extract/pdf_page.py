"""What one PDF page holds: characters with their boxes and ruling lines.

pdfium (via pypdfium2, which pdfplumber already depends on) reads a page several times
faster than pdfminer, but leaves some text objects empty: with a font that carries no glyph
boxes (a non-embedded CID font such as reportlab's STSong-Light) every text object has an
empty rectangle, and pdfium's text page takes a one-character object near the previous
one for a duplicate (its fake-bold check) and drops it. A page where pdfium has an empty
text object is read again with pdfminer, which is slow and right; fonts embedded by Word
and WPS exports carry glyph boxes and stay on the fast path. Coordinates are
top-down (``top`` grows down the page) as in pdfplumber, whose table-finding functions the
table reader uses.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.limits import check

_AXIS_SLACK = 1.0  # points a ruling may lean and still count as horizontal/vertical
_LINE_TOLERANCE = 3.0  # chars whose tops are this close sit on one line
_WORD_GAP = 3.0  # a gap wider than this between two chars prints as a space


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class TextLine:
    text: str
    x0: float
    x1: float
    top: float
    size: float


def read_pages(data: bytes) -> list[tuple[list[Char], list[dict[str, Any]]]]:
    """(characters, ruling edges as pdfplumber edge dicts) of every page.

    pdfium reads each page unless it leaves a text object empty there; such pages are read
    with pdfminer. Both readers give positions in points from the page's top left.
    """
    document = pdfium.PdfDocument(data)
    try:
        check("pdf_pages", len(document))
        pages: list[tuple[list[Char], list[dict[str, Any]]] | None] = []
        for page in document:
            textpage = page.get_textpage()
            if _drops_text(page, textpage):
                pages.append(None)
                continue
            height = page.get_height()
            pages.append((_chars(textpage, height), _edges(page, height)))
    finally:
        document.close()
    slow = [number for number, page in enumerate(pages) if page is None]
    if slow:
        for number, page in zip(slow, _read_with_pdfminer(data, slow)):
            pages[number] = page
    return pages  # type: ignore[return-value]


def pdfium_reads(data: bytes) -> bool:
    """True when pdfium reads every text object of the document (the fast path applies)."""
    document = pdfium.PdfDocument(data)
    try:
        return not any(_drops_text(page, page.get_textpage()) for page in document)
    finally:
        document.close()


def _read_with_pdfminer(data: bytes, numbers: list[int]) -> list[tuple[list[Char], list[dict[str, Any]]]]:
    """The slow, right reader for pages ``numbers``: pdfminer's layout objects, no pdfplumber dicts."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTCurve
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=None)
    interpreter = PDFPageInterpreter(resources, device)
    pages = []
    for page in PDFPage.get_pages(BytesIO(data), pagenos=set(numbers)):
        interpreter.process_page(page)
        layout = device.get_result()
        height = layout.y1
        chars: list[Char] = []
        edges: list[dict[str, Any]] = []
        for obj in layout:
            if isinstance(obj, LTChar):
                chars.append(Char(obj.get_text(), obj.x0, obj.x1, height - obj.y1, height - obj.y0, obj.size))
            elif isinstance(obj, LTCurve):  # lines and rectangles too
                points = [(x, height - y) for x, y in obj.pts]
                for a, b in zip(points, points[1:] + points[:1] if len(points) > 2 else points[1:]):
                    _add_edge(edges, a, b)
        pages.append((chars, edges))
    return pages


def _drops_text(page: Any, textpage: Any) -> bool:
    """True when pdfium has a text object it could not read any text from."""
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=1):
        if pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0) <= 2:  # bytes, the terminator only
            return True
    return False


def _chars(textpage: Any, height: float) -> list[Char]:
    handle = textpage.raw
    rect = pdfium_c.FS_RECTF()
    chars = []
    for index in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(handle, index) == 1:
            continue  # pdfium's own line breaks and spaces, not printed text
        code = pdfium_c.FPDFText_GetUnicode(handle, index)
        if not code:
            continue
        pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect)
        chars.append(Char(chr(code), rect.left, rect.right, height - rect.top, height - rect.bottom,
                          pdfium_c.FPDFText_GetFontSize(handle, index)))
    return chars


def _edges(page: Any, height: float) -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = []
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        pdfium_c.FPDFPageObj_GetMatrix(obj.raw, matrix)
        start = current = None
        for index in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, index)
            pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
            point = (matrix.a * x.value + matrix.c * y.value + matrix.e,
                     height - (matrix.b * x.value + matrix.d * y.value + matrix.f))
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
                _add_edge(edges, current, point)
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_edge(edges, point, start)
            current = point
    return edges


def _add_edge(edges: list[dict[str, Any]], a: tuple[float, float], b: tuple[float, float]) -> None:
    x0, x1 = sorted((a[0], b[0]))
    top, bottom = sorted((a[1], b[1]))
    if bottom - top <= _AXIS_SLACK and x1 - x0 > _AXIS_SLACK:
        middle = (top + bottom) / 2
        edges.append({"x0": x0, "x1": x1, "top": middle, "bottom": middle, "doctop": middle,
                      "width": x1 - x0, "height": 0.0, "orientation": "h"})
    elif x1 - x0 <= _AXIS_SLACK and bottom - top > _AXIS_SLACK:
        middle = (x0 + x1) / 2
        edges.append({"x0": middle, "x1": middle, "top": top, "bottom": bottom, "doctop": top,
                      "width": 0.0, "height": bottom - top, "orientation": "v"})


def text_lines(chars: list[Char]) -> list[TextLine]:
    """Characters grouped into lines, top to bottom, each line's text left to right.

    A run of white-space characters prints as its first one (a no-break space stays one),
    a gap wider than a narrow space as a space; white space at either end is dropped.
    """
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (c.top, c.x0)):
        if lines and abs(char.top - lines[-1][0].top) <= _LINE_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
    out = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        printed = [c for c in line if not c.text.isspace()]
        if not printed:
            continue
        parts = [printed[0].text]
        space = ""  # the first white-space character printed since the last character
        previous = printed[0]
        for char in line[line.index(printed[0]) + 1 :]:
            if char.text.isspace():
                space = space or char.text
                continue
            if space or char.x0 - previous.x1 > _WORD_GAP:
                parts.append(space or " ")
            parts.append(char.text)
            space, previous = "", char
        out.append(TextLine("".join(parts), printed[0].x0, printed[-1].x1, line[0].top, max(c.size for c in printed)))
    return out
