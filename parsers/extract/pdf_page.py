"""What one PDF page holds: characters with their boxes and ruling lines.

pdfium (via pypdfium2, which pdfplumber already depends on) reads a page several times
faster than pdfminer, but leaves some text objects empty: with a font that carries no glyph
boxes (a non-embedded CID font such as reportlab's STSong-Light) every text object has an
empty rectangle, and pdfium's text page takes a one-character object near the previous
one for a duplicate (its fake-bold check) and drops it; it also skips a text object whose
glyphs draw nothing, the spaces LibreOffice and Chromium print as objects of their own. A
page where pdfium left out only white space, or single characters of a font the PDF does
not embed, gets them back from the content stream (``pdf_blanks``); a page where it left
out more is read again with pdfminer, which is slow and right. Fonts embedded by Word,
WPS, LibreOffice and Chromium carry glyph boxes and stay on the fast path.

Given a CJK system font, pdfium substitutes it for a non-embedded CJK font, which gives
the glyphs boxes and keeps every character; without one, the characters it drops are read
back, so such a page stays on the fast path either way, and the parse is the same (a test
hides the fonts to hold this). pdfium keeps the machine's fonts: its font setting holds
for the whole process, and the web interface renders these PDFs' pages with them.

Coordinates are top-down (``top`` grows down the page) as in pdfplumber, whose
table-finding functions the table reader uses.
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from operator import attrgetter
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.errors import ExtractionError
from parsers.limits import check

_FORM_DEPTH = 15  # levels of Form XObjects read for rulings, the page's own objects the first (pypdfium2's default)
_AXIS_SLACK = 1.0  # points a ruling may lean and still count as horizontal/vertical
_LINE_TOLERANCE = 3.0  # chars whose middles are this close sit on one line, whatever their size
_WORD_GAP = 3.0  # a gap wider than this between two chars prints as a space
_SPACED_MIN_GAPS, _SPACED_SHARE = 2, 0.75  # gaps in a line, and the share of them wide, of letter-spaced text
_LINE_SHARE = 0.25  # chars whose middles are this share of their height apart sit on one line
_WHITE = 250  # a colour whose every channel is at least this paints as white
_SLANT_DEGREES = 5.0  # text turned further than this from the page's edges is a watermark
# Text set upright is a watermark when it is printed this large (points: larger than any
# report's body, 三号 16, or title, 二号 22) in a colour this pale over white paper (every
# channel, its transparency laid over white): "仅供参考" or the agency's name, light grey
# across the page. Read as text, its characters fell into the cells under them ("淮0").
WATERMARK_SIZE, _PALE = 24.0, 160
# A page a picture covers this share of is a scan when its text is this share invisible
# objects (an OCR layer) or at most this many characters (a stamp: "下载时间：…").
_PICTURED_SHARE, _INVISIBLE_SHARE, _STAMP_CHARS = 0.6, 0.9, 80
# The only characters pdfium's text page makes up (a space between words, a line break):
# a character with another code is printed text without asking.
_GENERATED_CODES = frozenset((0x20, 0x0D, 0x0A))
_TOP_LEFT = attrgetter("top", "x0")
_LEFT = attrgetter("x0")
_BOX_SLACK = 0.01  # points a character box's height may differ from its font's and still be pdfium's loose box
# What pdfium's page text holds where it is not one UTF-16 unit per character as the text page
# counts them: U+FFFE for a character without Unicode, surrogates for one beyond the BMP.
_UNALIGNED = re.compile("[\x00\ud800-\udfff\ufffe\uffff]")


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class Page:
    """What one page holds: its characters and its ruling edges (pdfplumber edge dicts)."""

    chars: list[Char]
    edges: list[dict[str, Any]]
    mended: bool = False  # pdfium's reading with the characters its text page left out put back (``pdf_blanks``)
    # A picture covers the page and its text is invisible (an OCR layer, render mode 3) or a
    # line or two (a portal's download stamp): a scan, to be read from what it shows.
    pictured: bool = False


@dataclass
class TextLine:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    # Width of the line's first piece a line cannot be broken inside: one Chinese character, or
    # a run of Latin letters, digits and signs (a word, a number, a URL). Whether the line
    # before could have taken it tells a wrap from a paragraph's end (``parsers.extract.pdf``).
    lead: float = 0.0


# Radical code points some fonts map their glyphs to (Chromium's and WPS's subsets of Noto
# and Source Han): "⼀、总体情况", "中华⼈⺠共和国". Kangxi radicals fold to the ideograph
# under NFKC; the supplement's simplified forms have no decomposition and are listed.
_RADICALS = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0x2F00, 0x2FD6)} | {
    "⺠": "民", "⻚": "页", "⻓": "长", "⻄": "西", "⻰": "龙", "⻅": "见", "⻛": "风", "⻔": "门", "⻋": "车",
    "⻢": "马", "⻜": "飞", "⻘": "青", "⻝": "食", "⻬": "齐", "⻮": "齿", "⻳": "龟", "⻉": "贝", "⻆": "角",
    "⻩": "黄", "⻨": "麦", "⻥": "鱼", "⻦": "鸟", "⻣": "骨", "⻤": "鬼", "⻧": "卤", "⺟": "母",
}


def printed_char(text: str) -> str:
    """The character a glyph prints, a radical code point read as its ideograph."""
    return _RADICALS.get(text, text)


def read_pages(data: bytes) -> list[Page]:
    """Every page's characters and ruling edges.

    pdfium reads each page unless it leaves a text object out there that ``pdf_blanks``
    cannot put back; such pages are read with pdfminer. Both readers give
    positions in points from the page's top left.
    """
    from parsers.extract.pdf_blanks import ContentText

    document = pdfium.PdfDocument(data)
    try:
        check("pdf_pages", len(document))
        content = ContentText(data)
        pages = [_read_page(document, number, content) for number in range(len(document))]
    finally:
        document.close()
    slow = [number for number, page in enumerate(pages) if page is None]
    if slow:
        for number, page in zip(slow, read_with_pdfminer(data, slow)):
            pages[number] = page
    return pages  # type: ignore[return-value]


def pdfium_reads(data: bytes) -> bool:
    """True when pdfium reads every text object of the document (the fast path applies)."""
    from parsers.extract.pdf_blanks import ContentText

    document = pdfium.PdfDocument(data)
    try:
        content = ContentText(data)
        return all(_read_page(document, number, content) is not None for number in range(len(document)))
    finally:
        document.close()


def _read_page(document: Any, number: int, content: Any) -> Page | None:
    """Page ``number`` of ``document`` read by :func:`_page_chars`, loaded and closed by
    pdfium's own calls (pypdfium2's page and text page objects cost more than reading a
    short page)."""
    page = pdfium_c.FPDF_LoadPage(document.raw, number)
    if not page:
        raise pdfium.PdfiumError("Failed to load page.")
    try:
        return _page_chars(page, number, content)
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _page_chars(page: Any, number: int, content: Any) -> Page | None:
    """The page (pdfium's ``FPDF_PAGE``) as pdfium reads it: its characters, those its text page left out
    put back (``mended`` when any was, see ``pdf_blanks``), and its rulings; None when it
    left out any that cannot be.

    A page with characters put back was read by pdfminer before, which gives every
    character the box of its advance: so do its characters whose box pdfium took from the
    glyph's outline.
    """
    height = pdfium_c.FPDF_GetPageHeightF(page)
    textpage = pdfium_c.FPDFText_LoadPage(page)
    if not textpage:
        raise pdfium.PdfiumError("Failed to load text page.")
    try:
        return _read_chars(page, textpage, height, number, content)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)


def _read_chars(page: Any, textpage: Any, height: float, number: int, content: Any) -> Page | None:
    """:func:`_page_chars` of pdfium's ``page`` and its ``textpage``."""
    handle = ctypes.cast(textpage, ctypes.c_void_p)
    chars, read, outlined = _chars(handle, pdfium_c.FPDFText_CountChars(textpage), height)
    texts, paths, pictures = _page_objects(page)
    pictured = bool(pictures) and _pictured(page, pictures, texts, len(chars), height)
    skipped = [(index, obj) for index, obj in enumerate(texts) if obj not in read]
    if not skipped:
        return _as_shown(page, Page(chars, _edges(paths, height), pictured=pictured), height)
    put_back = content.skipped_chars(number, skipped, len(texts), height)
    if put_back is None:
        return None
    x, y = ctypes.c_double(), ctypes.c_double()
    x_out, y_out = ctypes.byref(x), ctypes.byref(y)
    for position, index, code, font in outlined:
        _char_origin(handle, index, x_out, y_out)
        left, right, top, bottom = font.advance_box(x.value, y.value, code)
        chars[position] = Char(chars[position].text, left, right, height - top, height - bottom, font.size)
    return _as_shown(page, Page(chars + put_back, _edges(paths, height), mended=True, pictured=pictured), height)


def _pictured(page: Any, pictures: list[int], texts: list[int], chars: int, height: float) -> bool:
    """Whether a picture covers most of the page and its text is an OCR layer or a stamp line."""
    width = pdfium_c.FPDF_GetPageWidthF(page)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    covered = 0.0
    for picture in pictures:
        bounds = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
        if pdfium_c.FPDFPageObj_GetBounds(ctypes.cast(picture, pdfium_c.FPDF_PAGEOBJECT), *bounds):
            covered = max(covered, (right.value - left.value) * (top.value - bottom.value))
    if covered < _PICTURED_SHARE * width * height:
        return False
    if chars <= _STAMP_CHARS:
        return True
    invisible = sum(_render_mode(_argument(obj)) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE for obj in texts)
    return invisible >= _INVISIBLE_SHARE * len(texts)


def _as_shown(page: Any, read: Page, height: float) -> Page:
    """``read`` turned as the page is shown (``/Rotate``): a landscape table printed on a
    portrait page turned a quarter read column by column, its rows lost."""
    turns = pdfium_c.FPDFPage_GetRotation(page) % 4
    if not turns:
        return read
    width = pdfium_c.FPDF_GetPageWidthF(page)

    def turn(x: float, t: float) -> tuple[float, float]:  # from the page's top left, unturned -> as shown
        return ((height - t, x), (width - x, height - t), (t, width - x))[turns - 1]

    chars = []
    for char in read.chars:
        (ax, at), (bx, bt) = turn(char.x0, char.top), turn(char.x1, char.bottom)
        chars.append(Char(char.text, min(ax, bx), max(ax, bx), min(at, bt), max(at, bt), char.size))
    chars.sort(key=lambda char: (char.top, char.x0))
    edges: list[dict[str, Any]] = []
    for edge in read.edges:
        _add_edge(edges, turn(edge["x0"], edge["top"]), turn(edge["x1"], edge["bottom"]))
    return Page(chars, edges, read.mended, read.pictured)


def read_with_pdfminer(data: bytes, numbers: list[int]) -> list[Page]:
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
            if isinstance(obj, LTChar) and not slanted(*obj.matrix[:2]) and not _pale_and_large(obj):
                chars.append(Char(printed_char(obj.get_text()), obj.x0, obj.x1, height - obj.y1, height - obj.y0, obj.size))
            elif isinstance(obj, LTCurve) and _paints(obj) and not _outline(obj):  # lines and rectangles too
                points = [(x, height - y) for x, y in obj.pts]
                for a, b in zip(points, points[1:] + points[:1] if len(points) > 2 else points[1:]):
                    _add_edge(edges, a, b)
        pages.append(Page(chars, edges))
    if len(pages) < len(set(numbers)):
        # A damaged page tree that pdfium reads past and pdfminer does not: the pages pdfium
        # could not read itself are read by neither.
        raise ExtractionError(f"damaged PDF: {len(set(numbers)) - len(pages)} of its pages cannot be read")
    return pages


def _pale_and_large(char: Any) -> bool:
    """pdfminer's side of the upright watermark's test (``WATERMARK_SIZE``, ``_PALE``): by its
    fill colour alone, as pdfminer does not follow transparency."""
    if char.size < WATERMARK_SIZE:
        return False
    colour = char.graphicstate.ncolor
    values = colour if isinstance(colour, (tuple, list)) else (colour,)
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False  # a pattern's or a named colour's
    if len(values) == 4:  # CMYK
        cyan, magenta, yellow, black = values
        values = tuple((1 - ink) * (1 - black) for ink in (cyan, magenta, yellow))
    return min(values) >= _PALE / 255


def _outline(curve: Any) -> bool:
    """pdfminer's side of the test in :func:`_edges`: a filled shape with a curve or a side
    across the page is lettering or a picture."""
    if curve.stroke:
        return False
    if any(segment[0] in "cvy" for segment in curve.original_path or ()):
        return True
    points = curve.pts
    return any(abs(a[0] - b[0]) > _AXIS_SLACK and abs(a[1] - b[1]) > _AXIS_SLACK for a, b in zip(points, points[1:] + points[:1]))


def _paints(curve: Any) -> bool:
    """pdfminer's side of :meth:`_Paint.visible`: a stroke, or a fill that is not white (gray 1 or RGB 1,1,1)."""
    if curve.stroke:
        return True
    colour = curve.non_stroking_color
    values = colour if isinstance(colour, (tuple, list)) else (colour,)
    return bool(curve.fill) and not (len(values) in (1, 3) and all(isinstance(v, (int, float)) and v >= _WHITE / 255 for v in values))


def _page_objects(page: Any) -> tuple[list[int], list[int], list[int]]:
    """The addresses of the page's text objects, of its paths and of its pictures, in one walk of its objects.

    Text objects are the page's own (as many as its content's text-showing operators, see
    ``pdf_blanks``); paths are those inside Form XObjects too, depth first as pypdfium2's
    ``get_objects`` walks them. Pages of rulings and pages of one text object per character
    hold thousands of objects: each is asked its type once, by address.
    """
    texts: list[int] = []
    paths: list[int] = []
    pictures: list[int] = []
    for obj in _children(page, pdfium_c.FPDFPage_CountObjects, _page_object):
        kind = _object_type(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts.append(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths.append(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            paths.extend(_form_paths(obj, _FORM_DEPTH - 1))
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            pictures.append(obj)
    return texts, paths, pictures


def _form_paths(form: int, depth: int) -> Iterator[int]:
    """The addresses of the paths inside Form XObject ``form``, ``depth`` levels of forms down at most."""
    for obj in _children(form, _form_object_count, _form_object):
        kind = _object_type(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth > 1:
            yield from _form_paths(obj, depth - 1)


def _children(parent: Any, count: Any, get: Any) -> list[Any]:
    """The objects of a page or form, by pdfium's ``count`` and ``get`` calls for it."""
    total = count(parent)
    if total < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    children = [get(parent, index) for index in range(total)]
    if not all(children):
        raise pdfium.PdfiumError("Failed to get pageobject.")
    return children


# An address as the argument ctypes passes on as it is: a ``c_void_p`` given instead is
# converted again at every call (its type's format looked up among all of ctypes' types).
_argument = ctypes.c_void_p.from_param


def _bare(function: Any, restype: Any) -> Any:
    """``function`` without declared argument types, for the calls made for every character,
    page object and path segment: ctypes then passes each argument as it is, and a call
    costs some 40% less than one converting them to declared types. An int goes as a C int
    and a ctypes object or ``byref()`` as its pointer, so a pointer must be given as an
    :data:`_argument` or a ctypes object (an int would be cut to 32 bits); a float must be
    given as a ``c_float``.

    Such a call returns at once, so it keeps the GIL (``PYFUNCTYPE``): letting it go and
    taking it back cost a sixth of the call. pdfium's slow calls (loading a page or its
    text) go through pypdfium2's functions, which let it go.
    """
    return ctypes.PYFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)


_page_object = _bare(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p)  # by the page's pointer, as addresses (ints)
# A path's calls (rulings).
_path_segment_count = _bare(pdfium_c.FPDFPath_CountSegments, ctypes.c_int)
_path_segment = _bare(pdfium_c.FPDFPath_GetPathSegment, ctypes.c_void_p)
_segment_point = _bare(pdfium_c.FPDFPathSegment_GetPoint, ctypes.c_int)
_segment_type = _bare(pdfium_c.FPDFPathSegment_GetType, ctypes.c_int)
_segment_closes = _bare(pdfium_c.FPDFPathSegment_GetClose, ctypes.c_int)
_draw_mode = _bare(pdfium_c.FPDFPath_GetDrawMode, ctypes.c_int)
_stroke_colour = _bare(pdfium_c.FPDFPageObj_GetStrokeColor, ctypes.c_int)
_fill_colour = _bare(pdfium_c.FPDFPageObj_GetFillColor, ctypes.c_int)
_object_matrix = _bare(pdfium_c.FPDFPageObj_GetMatrix, ctypes.c_int)
# The text page's calls: text objects come back as addresses (ints), to compare and count.
_text_object_at = _bare(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
_char_origin = _bare(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int)
_generated_at = _bare(pdfium_c.FPDFText_IsGenerated, ctypes.c_int)
_loose_box_at = _bare(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_text_font = _bare(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)
_render_mode = _bare(pdfium_c.FPDFTextObj_GetTextRenderMode, ctypes.c_int)
_text_font_size = _bare(pdfium_c.FPDFTextObj_GetFontSize, ctypes.c_int)


def _by_address(function: Any, restype: Any, *argtypes: Any) -> Any:
    """``function`` declared to take or give pdfium's objects as plain addresses (ints), to
    compare and keep: pypdfium2's pointer types are converted on every call. It keeps the
    GIL, as :func:`_bare`'s calls do."""
    return ctypes.PYFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


# A page object's and a form's calls, by the objects' addresses.
_object_type = _by_address(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, ctypes.c_void_p)
_form_object_count = _by_address(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int, ctypes.c_void_p)
_form_object = _by_address(pdfium_c.FPDFFormObj_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)
# The text page's calls made once a page, by its address; a font's, by the font's.
_unicode_at = _by_address(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
_page_text = _by_address(pdfium_c.FPDFText_GetText, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                         ctypes.POINTER(ctypes.c_ushort))
_font_ascent = _by_address(pdfium_c.FPDFFont_GetAscent, ctypes.c_int, ctypes.c_void_p, ctypes.c_float, ctypes.POINTER(ctypes.c_float))
_font_descent = _by_address(pdfium_c.FPDFFont_GetDescent, ctypes.c_int, ctypes.c_void_p, ctypes.c_float, ctypes.POINTER(ctypes.c_float))
_font_glyph_width = _by_address(pdfium_c.FPDFFont_GetGlyphWidth, ctypes.c_int, ctypes.c_void_p, ctypes.c_uint32, ctypes.c_float,
                                ctypes.POINTER(ctypes.c_float))


def _chars(handle: ctypes.c_void_p, count: int, height: float) -> tuple[list[Char], set[int], list[tuple[int, int, int, _Font]]]:
    """The printed characters of the text page at ``handle`` (``count`` of them), the
    addresses of the text objects any character comes from, and (position in the list, text
    page index, code, font) of each character whose box pdfium took from the glyph's
    outline (see :meth:`_Font.advance_box`)."""
    rect, corners = _floats(4)  # an FS_RECTF: left, top, right, bottom, read as Python floats in one step
    box = ctypes.byref(rect)
    chars: list[Char] = []
    fonts: dict[int, _Font] = {}  # text object address -> its font as printed
    font_of = _PrintedFonts()
    outlined = []
    # This loop runs for every character of every page: the functions it calls are bound
    # to local names, and printed_char's lookup is written out.
    object_at, box_at, radical, add = _text_object_at, _loose_box_at, _RADICALS.get, chars.append
    paint = _Paint()
    last = None
    text_page = _argument(handle.value)
    for index, code in enumerate(_codes(handle.value, count)):
        obj = object_at(text_page, index)
        if not code or not obj:
            continue  # pdfium's own line breaks and spaces have no text object (most of them)
        if obj != last:  # a text object's characters come one after another
            font = fonts.get(obj)
            if font is None:
                font = fonts[obj] = font_of(obj)
            last, font_height, font_size = obj, font.height, font.size
            watermark = font.slanted or (font_size >= WATERMARK_SIZE and paint.pale(obj))
        if watermark:
            continue  # a watermark's: read, and no part of the text
        if code in _GENERATED_CODES and _generated_at(text_page, index) == 1:
            continue  # pdfium's own line breaks and spaces, not printed text
        box_at(text_page, index, box)
        left, top, right, bottom = corners
        if abs(top - bottom - font_height) > _BOX_SLACK:
            outlined.append((len(chars), index, code, font))
        text = chr(code)
        add(Char(radical(text, text), left, right, height - top, height - bottom, font_size))
    return chars, set(fonts), outlined


def _codes(handle: int, count: int) -> list[int]:
    """The code of each of the text page's ``count`` characters.

    Read in one call as the page's text where that holds one UTF-16 unit per character (a
    report's pages do), else asked character by character.
    """
    buffer = (ctypes.c_ushort * (count + 1))()
    written = _page_text(handle, 0, count, buffer) - 1  # the count includes a terminating NUL
    if written == count:
        text = ctypes.string_at(buffer, 2 * count).decode("utf-16-le", "surrogatepass")
        if len(text) == count and not _UNALIGNED.search(text):
            return list(map(ord, text))
    return [_unicode_at(handle, index) for index in range(count)]


def slanted(a: float, b: float) -> bool:
    """Whether text set along (``a``, ``b``) runs across the page: a watermark ("XX市人民政府办公室"
    at 30-45 degrees, over every page), never a report's text, which runs along the page's
    edges (a landscape page's along the other one). Read as text, its characters fell into
    the sections and the tables' cells, and the report lost its first section and agency."""
    turn = math.degrees(math.atan2(b, a)) % 90
    return _SLANT_DEGREES < turn < 90 - _SLANT_DEGREES


class _PrintedFonts:
    """The fonts of one page's text objects as printed, each font, size and scale measured once.

    LibreOffice and Chromium print a text object per word or character: thousands a page,
    in a handful of fonts.
    """

    __slots__ = ("_measures", "_size_out", "_matrix_out", "_key_bytes", "_known")

    def __init__(self) -> None:
        # The font size and the object's matrix (a, b, c, d, e, f) side by side, so that the
        # key is one copy of their bytes, not five ctypes fields made Python floats.
        floats, self._measures = _floats(7)
        self._size_out, self._matrix_out = ctypes.byref(floats), ctypes.byref(floats, 4)
        self._key_bytes = self._measures[:5]  # size, a, b, c, d: where a text object stands is no part of its font
        self._known: dict[tuple[int, bytes], _Font] = {}

    def __call__(self, address: int) -> _Font:
        """The font of the text object at ``address``."""
        obj = _argument(address)
        _text_font_size(obj, self._size_out)
        _object_matrix(obj, self._matrix_out)
        key = (_text_font(obj), self._key_bytes.tobytes())
        font = self._known.get(key)
        if font is None:
            size, a, b, c, d = self._measures[:5]
            font = self._known[key] = _Font(key[0], size, a, b, c, d)
        return font


class _Font:
    """A text object's font as printed: its size and the height of its characters' boxes.

    The printed size is the font size scaled by the text and page matrices. The font size
    alone is not it (Word's exports print 1-point fonts scaled by the text matrix), nor is
    the height of a character's box, which is the font's ascent and descent (11-point Noto
    Sans CJK: 10.3 points).
    """

    __slots__ = ("font", "font_size", "a", "d", "ascent", "descent", "size", "height", "widths", "slanted")

    def __init__(self, font: int, font_size: float, a: float, b: float, c: float, d: float) -> None:
        """``font``: pdfium's font's address; ``a``, ``b``, ``c``, ``d``: the text object's matrix."""
        self.font, self.font_size, self.a, self.d = font, font_size, a, d
        self.slanted = slanted(a, b)
        ascent, descent = ctypes.c_float(), ctypes.c_float()
        _font_ascent(font, font_size, ascent)
        _font_descent(font, font_size, descent)
        self.ascent, self.descent = ascent.value, descent.value
        self.size = font_size * math.hypot(c, d)
        self.height = (self.ascent - self.descent) * d
        self.widths: dict[int, float] = {}  # code -> its glyph's advance, as measured so far

    def advance_box(self, x: float, y: float, code: int) -> tuple[float, float, float, float]:
        """(left, right, top, bottom) of character ``code`` printed at origin (``x``, ``y``)
        from its advance, in PDF coordinates.

        pdfium gives the characters of some fonts the box of their outline instead of the
        loose one (Chromium's prints: "〈" starts 7 points right of its origin, a gap read as a space).
        """
        width = self.widths.get(code)
        if width is None:
            measured = ctypes.c_float()
            _font_glyph_width(self.font, code, self.font_size, measured)
            width = self.widths[code] = measured.value
        return x, x + width * self.a, y + self.ascent * self.d, y + self.descent * self.d


def _edges(paths: list[int], height: float) -> list[dict[str, Any]]:
    """The ruling edges the visible ``paths`` (addresses) draw."""
    edges: list[dict[str, Any]] = []
    # A path's matrix and each of its points, read as Python floats in one step each:
    # Chromium's pages draw thousands of points.
    matrix, matrix_floats = _floats(6)
    point_xy, point_floats = _floats(2)
    matrix_out, x_out, y_out = ctypes.byref(matrix), ctypes.byref(point_xy), ctypes.byref(point_xy, 4)
    move_to, line_to = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
    paint = _Paint()
    for address in paths:
        obj = _argument(address)
        if not paint.visible(obj):
            continue
        _object_matrix(obj, matrix_out)
        a, b, c, d, e, f = matrix_floats
        start = current = None
        drawn: list[dict[str, Any]] = []
        along = True  # every side drawn so far runs along the page's edges
        for index in range(_path_segment_count(obj)):
            segment = _argument(_path_segment(obj, index))
            _segment_point(segment, x_out, y_out)
            x, y = point_floats
            point = (a * x + c * y + e, height - (b * x + d * y + f))
            kind = _segment_type(segment)
            if kind == move_to:
                start = point
            elif kind == line_to and current is not None:
                along = _add_edge(drawn, current, point) and along
            elif kind != line_to:
                along = False  # a curve
            if _segment_closes(segment) and start is not None:
                along = _add_edge(drawn, point, start) and along
            current = point
        # A filled shape with a side across the page or a curve is lettering or a picture, not
        # a table's borders (filled rectangles): LibreOffice prints Word's watermark ("仅供参考"
        # over every page) as its glyphs' outlines, whose upright strokes made rulings through
        # the tables and split their cells.
        if along or paint.stroked:
            edges.extend(drawn)
    return edges


def _floats(count: int) -> tuple[Any, memoryview]:
    """``count`` C floats for pdfium to write, and a view reading them as Python floats all at
    once (a ctypes field is made a Python float by a call of its own)."""
    memory = bytearray(4 * count)
    return (ctypes.c_float * count).from_buffer(memory), memoryview(memory).cast("f")


class _Paint:
    """What a path paints, read into buffers made once a page (Chromium's pages draw hundreds of paths)."""

    __slots__ = ("_fill_mode", "_stroke", "_red", "_green", "_blue", "_alpha", "_mode_out", "_colour_out")

    def __init__(self) -> None:
        self._fill_mode, self._stroke = ctypes.c_int(), ctypes.c_int()
        self._red, self._green, self._blue, self._alpha = (ctypes.c_uint() for _ in range(4))
        self._mode_out = (ctypes.byref(self._fill_mode), ctypes.byref(self._stroke))
        self._colour_out = tuple(ctypes.byref(channel) for channel in (self._red, self._green, self._blue, self._alpha))

    def pale(self, address: int) -> bool:
        """Whether the object at ``address`` fills in a colour paler than ``_PALE`` over white
        paper, its transparency laid over it."""
        _fill_colour(_argument(address), *self._colour_out)
        opacity = self._alpha.value / 255
        return min(self._red.value, self._green.value, self._blue.value) >= 255 - (255 - _PALE) / max(opacity, 1e-3)

    @property
    def stroked(self) -> bool:
        """Whether the path :meth:`visible` was last asked of strokes its outline."""
        return bool(self._stroke.value)

    def visible(self, path: Any) -> bool:
        """False for a path that paints nothing on white paper.

        Word's PDF export paints a white rectangle behind every shaded or framed paragraph;
        taken for rulings, those turn the paragraphs into a table.
        """
        red, green, blue, alpha = self._red, self._green, self._blue, self._alpha
        _draw_mode(path, *self._mode_out)
        if self._stroke.value:
            _stroke_colour(path, *self._colour_out)
            if alpha.value and min(red.value, green.value, blue.value) < _WHITE:
                return True
        if self._fill_mode.value:
            _fill_colour(path, *self._colour_out)
            return bool(alpha.value) and min(red.value, green.value, blue.value) < _WHITE
        return False


def _add_edge(edges: list[dict[str, Any]], a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Adds the ruling from ``a`` to ``b`` when it runs along an axis; False when it runs across both."""
    x0, x1 = (b[0], a[0]) if b[0] < a[0] else (a[0], b[0])  # as sorted() orders two: pages draw thousands of edges
    top, bottom = (b[1], a[1]) if b[1] < a[1] else (a[1], b[1])
    if bottom - top > _AXIS_SLACK and x1 - x0 > _AXIS_SLACK:
        return False
    if bottom - top <= _AXIS_SLACK and x1 - x0 > _AXIS_SLACK:
        middle = (top + bottom) / 2
        edges.append({"x0": x0, "x1": x1, "top": middle, "bottom": middle, "doctop": middle,
                      "width": x1 - x0, "height": 0.0, "orientation": "h"})
    elif x1 - x0 <= _AXIS_SLACK and bottom - top > _AXIS_SLACK:
        middle = (x0 + x1) / 2
        edges.append({"x0": middle, "x1": middle, "top": top, "bottom": bottom, "doctop": top,
                      "width": 0.0, "height": bottom - top, "orientation": "v"})
    return True


def char_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines, top to bottom, each line's characters left to right."""
    lines: list[list[Char]] = []
    line: list[Char] = []
    anchor = 0.0  # the middle of the line's first character
    for char in sorted(chars, key=_TOP_LEFT):
        # Middles, not tops: a bold run and digits beside CJK text have boxes of other heights.
        middle = (char.top + char.bottom) / 2
        share = _LINE_SHARE * (char.bottom - char.top)
        if lines and abs(middle - anchor) <= (share if share > _LINE_TOLERANCE else _LINE_TOLERANCE):
            line.append(char)
        else:
            line, anchor = [char], middle
            lines.append(line)
    for line in lines:
        line.sort(key=_LEFT)
    return lines


def text_lines(chars: list[Char]) -> list[TextLine]:
    """Characters grouped into lines, top to bottom, each line's text left to right (see :func:`line_texts`)."""
    return line_texts(char_lines(chars))


def line_texts(lines: list[list[Char]]) -> list[TextLine]:
    """The text of each of ``lines`` (:func:`char_lines`) that prints any.

    A run of white-space characters prints as its first one (a no-break space stays one),
    a gap wider than a narrow space as a space, except in a line set with wide character
    spacing (字符间距加宽: "2 0 2 0 年" is 2020年); white space at either end is dropped.
    """
    out = []
    for line in lines:
        start = next((index for index, char in enumerate(line) if not char.text.isspace()), None)
        if start is None:
            continue
        gap = _letter_spacing_gap(line[start:])
        first = previous = line[start]
        parts = [first.text]
        size = first.size
        space = ""  # the first white-space character printed since the last character
        for char in line[start + 1 :]:
            if char.text.isspace():
                space = space or char.text
                continue
            if space or char.x0 - previous.x1 > gap:
                parts.append(space or " ")
            parts.append(char.text)
            if char.size > size:
                size = char.size
            space, previous = "", char
        out.append(TextLine("".join(parts), first.x0, previous.x1, line[0].top, size, lead=_lead(line[start:])))
    return out


def _letter_spacing_gap(chars: list[Char]) -> float:
    """The gap wider than which two characters of the line are two words: ``_WORD_GAP``, or in a
    line where nearly every character stands apart from the one before (wide character
    spacing), a gap wider than those: the widest between two characters, none."""
    gaps = [b.x0 - a.x1 for a, b in zip(chars, chars[1:]) if not (a.text.isspace() or b.text.isspace())]
    if len(gaps) >= _SPACED_MIN_GAPS and sum(gap > _WORD_GAP for gap in gaps) >= _SPACED_SHARE * len(gaps):
        return max(gaps)
    return _WORD_GAP


def _lead(chars: list[Char]) -> float:
    """The width of the first piece of a line (``TextLine.lead``) printed by ``chars``, the first of them not a space.

    Punctuation goes with the piece it touches: an opening bracket or quote cannot end a line,
    nor can a closing one or a comma start one ("（http://www.gov.cn/）" wraps whole)."""
    index = 0
    while index < len(chars) - 1 and chars[index].text in _OPENING:
        index += 1
    if _latin(chars[index].text):
        while index < len(chars) - 1 and _joined(chars[index], chars[index + 1]) and _latin(chars[index + 1].text):
            index += 1
    while index < len(chars) - 1 and _joined(chars[index], chars[index + 1]) and chars[index + 1].text in _CLOSING:
        index += 1
    return chars[index].x1 - chars[0].x0


_OPENING = frozenset("（([{《〈【「『“‘")
_CLOSING = frozenset("）)]}》〉】」』”’、，。；：！？,.;:!?")


def _joined(char: Char, after: Char) -> bool:
    return not after.text.isspace() and after.x0 - char.x1 <= _WORD_GAP


def _latin(text: str) -> bool:
    """Below the CJK blocks: a line breaks only at spaces between such characters, and anywhere around the others."""
    return all(ord(c) < 0x2E80 for c in text)
