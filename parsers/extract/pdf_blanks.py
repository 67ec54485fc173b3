"""The characters pdfium's text page leaves out, read back from the page's content stream.

pdfium's text page skips a text object whose glyphs draw nothing (its rectangle has no
width). Two kinds are read back here:

* a space, a no-break space or an ideographic space that LibreOffice and Chromium print
  as a text object of its own, often in another font than the words around it. The words
  then run together ("登录 注册" reads "登录注册") or lose the no-break space they had;
* a character printed as an object of its own in a font the PDF does not embed, on a
  machine without a face for it. iText and reportlab print CJK text in Adobe's
  STSong-Light, named only; where no CJK font is installed, pdfium places its characters
  by the widths the PDF gives, but every object has an empty rectangle, and the text page
  takes an object of one character near the one before for a duplicate (its fake-bold
  check) and drops it: "业" of a table header "商业企业" wrapped in its cell. Such a page
  went to pdfminer, two or three times slower: how fast a PDF parsed depended on the
  machine's fonts.

Which text it was cannot be asked of pdfium (it reads a text object's text through the
text page), so it is read where it is written: the page's n-th text-showing operator is
pdfium's n-th text object, and its character codes map to text through the font's
ToUnicode CMap, or, in a font without one encoded by one of Adobe's Unicode CMaps
(UniGB-UCS2-H and its kin), are UTF-16 themselves.

Anything that does not add up (another number of operators than text objects, a font
without a ToUnicode map or with a code it does not map, a skipped object that prints more
than white space or one character of a font not embedded, or prints it slanted or large)
returns None, and the caller reads the page the slow, right way.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from functools import partial
from io import BytesIO
from typing import Any, NamedTuple

import pypdfium2.raw as pdfium_c

from parsers.extract.pdf_page import WATERMARK_SIZE, Char, printed_char, slanted
from parsers.extract.pdf_text_operators import text_shows

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_SECTION = re.compile(rb"begin(codespacerange|bfchar|bfrange)(.*?)end\1", re.S)
_RANGE_ARRAY = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\[([^\]]*)\]")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_PAGE_TREE_DEPTH = 1024  # /Parent links followed at most: a damaged page tree may loop
# Adobe's predefined CMaps whose codes are the text's UTF-16 (horizontal writing only: a
# vertical one's characters do not advance along the line).
_UNICODE_CMAPS = re.compile(r"/Uni(?:GB|CNS|JIS|KS)-(?:UCS2|UCS2-HW|UTF16)-H")
_FONT_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")


class _FontText(NamedTuple):
    """How a font's codes read as text (None: they cannot be here), and whether the PDF carries the font's program."""

    read: Callable[[bytes], str | None] | None
    embedded: bool


class Shown(NamedTuple):
    """A text object's text (None where it cannot be read) and whether its font is embedded."""

    text: str | None
    embedded: bool


class ContentText:
    """One document's pages as pikepdf reads them, opened on the first page that needs it."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf: Any = None
        self._fonts: dict[tuple[int, int], _FontText] = {}  # by the font's object number

    def skipped_chars(self, number: int, skipped: list[tuple[int, Any]], count: int, height: float) -> list[Char] | None:
        """Characters of the text objects ``skipped`` ((index among the page's ``count`` text
        objects, pdfium handle)) of page ``number``, each its first character at its origin:
        white space, or the one character of a font not embedded; None when any of them
        prints anything else or cannot be read."""
        import pikepdf

        try:
            shown = self._texts(number, [index for index, _ in skipped], count)
        except (pikepdf.PdfError, ValueError, KeyError, AttributeError, IndexError, TypeError):
            return None  # a page whose content or resources cannot be read as expected
        if shown is None:
            return None
        chars = []
        for (text, embedded), (_, handle) in zip(shown, skipped):
            if not text:
                return None
            if text.isspace():
                chars.append(_origin_char(text[0], handle, height))
                continue
            if embedded or len(text) != 1 or not text.isprintable():
                return None
            char = _origin_char(printed_char(text), handle, height, upright=True)
            if char is None or char.size >= WATERMARK_SIZE:
                return None  # slanted, or large enough to be a watermark's if pale: pdfminer's reading tells
            chars.append(char)
        return chars

    def _texts(self, number: int, indexes: list[int], count: int) -> list[Shown] | None:
        """What the page's text objects ``indexes`` show; None when its text-showing operators
        do not line up with its ``count`` text objects.

        pdfium makes a text object of every string shown once a ``Tf`` named a font, whatever
        the resources hold under that name (one it cannot find is drawn in its stock font), so
        every such operator is counted and only the fonts of the objects asked for are looked
        up: Chromium's pages name some sixty fonts, each parsed when first looked up.
        """
        import pikepdf

        if self._pdf is None:
            # pikepdf copies what pages inherit down to every page on opening a file, which
            # costs more than opening it (0.9 of 1.0 ms for a report); the one inherited
            # attribute read here, the resources, is looked up the page tree instead.
            self._pdf = pikepdf.open(BytesIO(self._data), inherit_page_attributes=False)
        page = self._pdf.pages[number]
        shows = text_shows(_content(page.obj))
        if shows is None:
            return None
        shows = [(name, raw) for name, raw in shows if name is not None]  # before any font, pdfium draws nothing
        if len(shows) != count:
            return None
        fonts = _resources(page.obj).get("/Font", {})
        shown = []
        for index in indexes:
            name, raw = shows[index]
            font = fonts.get(name)
            if not isinstance(font, pikepdf.Dictionary):
                shown.append(Shown(None, True))
                continue
            reading = self._font_text(font)
            shown.append(Shown(None if reading.read is None else reading.read(raw), reading.embedded))
        return shown

    def _font_text(self, font: Any) -> _FontText:
        if not font.is_indirect:  # a font written into the resources themselves: no number to keep it by
            return _font_text(font)
        if font.objgen not in self._fonts:
            self._fonts[font.objgen] = _font_text(font)
        return self._fonts[font.objgen]


def _content(page: Any) -> bytes:
    """The page's content: its content streams read one after the other, as pikepdf parses
    them (a line end between two, so no token runs from one into the next)."""
    import pikepdf

    contents = page.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(stream.read_bytes() for stream in contents)
    return contents.read_bytes()


def _resources(page: Any) -> Any:
    """The page's resources, or the nearest of its ancestors' in the page tree (None where
    none has any), as pdfium finds them: up the /Parent links."""
    node = page
    for _ in range(_PAGE_TREE_DEPTH):
        if node is None or "/Resources" in node:
            break
        node = node.get("/Parent")
    return None if node is None else node.get("/Resources")


def _font_text(font: Any) -> _FontText:
    return _FontText(_reader(font), _embedded(font))


def _reader(font: Any) -> Callable[[bytes], str | None] | None:
    """How the font's codes read as text: a Type 0 font's encoded by one of Adobe's Unicode
    CMaps as UTF-16, other fonts' through their ToUnicode CMap (a Type 0 font's only where
    its codes are two bytes each, Identity-H or -V); None where neither holds."""
    type0 = font.get("/Subtype") == "/Type0"
    if type0 and (encoding := str(font.get("/Encoding"))) not in ("/Identity-H", "/Identity-V"):
        return _utf16_codes if _UNICODE_CMAPS.fullmatch(encoding) else None
    if "/ToUnicode" not in font:
        return None
    try:
        cmap = font.ToUnicode.read_bytes()
    except Exception:  # a damaged stream: the page is read by the slow reader
        return None
    try:
        return partial(_mapped, 2 if type0 else 1, _cmap_entries(cmap))
    except (ValueError, OverflowError):  # a malformed hex string, a range running past its code width
        return None


def _mapped(width: int, mapping: dict[int, str], raw: bytes) -> str | None:
    """``raw``'s codes of ``width`` bytes through a ToUnicode map; None where one is not in it."""
    if len(raw) % width:
        return None
    pieces = [mapping.get(int.from_bytes(raw[i : i + width], "big")) for i in range(0, len(raw), width)]
    return None if None in pieces else "".join(pieces)  # type: ignore[arg-type]


def _utf16_codes(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-16-be")
    except UnicodeDecodeError:  # an odd length, a lone surrogate
        return None


def _embedded(font: Any) -> bool:
    """Whether the PDF carries the font's program (a Type 3 font's glyphs are always in it)."""
    if font.get("/Subtype") == "/Type3":
        return True
    descendants = font.get("/DescendantFonts")
    described = descendants[0] if font.get("/Subtype") == "/Type0" and descendants else font
    descriptor = described.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in _FONT_PROGRAMS)


def _cmap_entries(cmap: bytes) -> dict[int, str]:
    """code -> text of a ToUnicode CMap's bfchar and bfrange sections."""
    mapping: dict[int, str] = {}
    for kind, body in _SECTION.findall(cmap):
        if kind == b"bfchar":
            codes = _HEX.findall(body)
            for source, target in zip(codes[::2], codes[1::2]):
                mapping[int(source, 16)] = _utf16(target)
        elif kind == b"bfrange":
            for low, high, targets in _RANGE_ARRAY.findall(body):
                for offset, target in enumerate(_HEX.findall(targets)[: int(high, 16) - int(low, 16) + 1]):
                    mapping[int(low, 16) + offset] = _utf16(target)
            for low, high, target in _RANGE.findall(body):
                first = int(target, 16)
                for offset in range(min(int(high, 16) - int(low, 16) + 1, 256)):
                    mapping[int(low, 16) + offset] = _utf16((first + offset).to_bytes(len(target) // 2, "big").hex().encode())
    return mapping


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", errors="replace")


def _origin_char(text: str, handle: Any, height: float, *, upright: bool = False) -> Char | None:
    """A character at the text object's origin, as wide as its advance and as tall as pdfium
    makes the font's characters; None when ``upright`` and the object's text runs across the page."""
    obj = ctypes.cast(ctypes.c_void_p(handle), pdfium_c.FPDF_PAGEOBJECT)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)  # an empty box at the origin
    size, ascent, descent, width = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFTextObj_GetFontSize(obj, size)
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    if upright and slanted(matrix.a, matrix.b):
        return None
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    pdfium_c.FPDFFont_GetAscent(font, size, ascent)
    pdfium_c.FPDFFont_GetDescent(font, size, descent)
    pdfium_c.FPDFFont_GetGlyphWidth(font, ord(text), size, width)
    baseline = height - bottom.value
    return Char(text, left.value, left.value + width.value * matrix.a, baseline - ascent.value * matrix.d,
                baseline - descent.value * matrix.d, (ascent.value - descent.value) * matrix.d)
