"""The white space pdfium's text page leaves out, read back from the page's content stream.

pdfium's text page skips a text object whose glyphs draw nothing (its rectangle has no
width): a space, a no-break space or an ideographic space that LibreOffice and Chromium
print as a text object of its own, often in another font than the words around it. The
words then run together ("登录 注册" reads "登录注册") or lose the no-break space they
had. Which white space it was cannot be asked of pdfium (it reads a text object's text
through the text page), so it is read where it is written: the page's n-th text-showing
operator is pdfium's n-th text object, and its character codes map to text through the
font's ToUnicode CMap.

Anything that does not add up (another number of operators than text objects, a font
without a ToUnicode map or with a code it does not map, a skipped object that prints more
than white space) returns None, and the caller reads the page the slow, right way.
"""

from __future__ import annotations

import ctypes
import re
from io import BytesIO
from typing import Any

import pypdfium2.raw as pdfium_c

from parsers.extract.pdf_page import Char
from parsers.extract.pdf_text_operators import text_shows

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_SECTION = re.compile(rb"begin(codespacerange|bfchar|bfrange)(.*?)end\1", re.S)
_RANGE_ARRAY = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\[([^\]]*)\]")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_PAGE_TREE_DEPTH = 1024  # /Parent links followed at most: a damaged page tree may loop


class ContentText:
    """One document's pages as pikepdf reads them, opened on the first page that needs it."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf: Any = None
        self._maps: dict[tuple[int, int], tuple[int, dict[int, str]] | None] = {}  # font object -> its ToUnicode map

    def blank_chars(self, number: int, skipped: list[tuple[int, Any]], count: int, height: float) -> list[Char] | None:
        """Characters of the text objects ``skipped`` ((index among the page's ``count`` text
        objects, pdfium handle)) of page ``number``, each its first white-space character at
        its origin; None when any of them is not only white space or cannot be read."""
        import pikepdf

        try:
            texts = self._texts(number, [index for index, _ in skipped], count)
        except (pikepdf.PdfError, ValueError, KeyError, AttributeError, IndexError, TypeError):
            return None  # a page whose content or resources cannot be read as expected
        if texts is None or not all(text and text.isspace() for text in texts):
            return None
        return [_blank_char(text[0], handle, height) for text, (_, handle) in zip(texts, skipped)]  # type: ignore[index]

    def _texts(self, number: int, indexes: list[int], count: int) -> list[str | None] | None:
        """The text of the page's text objects ``indexes`` (None where it cannot be read); None
        when its text-showing operators do not line up with its ``count`` text objects.

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
        texts = []
        for index in indexes:
            name, raw = shows[index]
            font = fonts.get(name)
            texts.append(self._decode(font, raw) if isinstance(font, pikepdf.Dictionary) else None)
        return texts

    def _decode(self, font: Any, raw: bytes) -> str | None:
        if not font.is_indirect:  # a font written into the resources themselves: no number to keep its map by
            found = _unicode_map(font)
        else:
            if font.objgen not in self._maps:
                self._maps[font.objgen] = _unicode_map(font)
            found = self._maps[font.objgen]
        if found is None or len(raw) % found[0]:
            return None
        width, mapping = found
        pieces = [mapping.get(int.from_bytes(raw[i : i + width], "big")) for i in range(0, len(raw), width)]
        return None if None in pieces else "".join(pieces)  # type: ignore[arg-type]


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


def _unicode_map(font: Any) -> tuple[int, dict[int, str]] | None:
    """(bytes per code, code -> text) from the font's ToUnicode CMap; None where it has none."""
    if "/ToUnicode" not in font:
        return None
    if font.get("/Subtype") == "/Type0":
        if str(font.get("/Encoding")) not in ("/Identity-H", "/Identity-V"):
            return None
        width = 2
    else:
        width = 1
    try:
        cmap = font.ToUnicode.read_bytes()
    except Exception:  # a damaged stream: the page is read by the slow reader
        return None
    try:
        return width, _cmap_entries(cmap)
    except (ValueError, OverflowError):  # a malformed hex string, a range running past its code width
        return None


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


def _blank_char(text: str, handle: Any, height: float) -> Char:
    """A white-space character at the text object's origin, as tall as pdfium makes the font's characters."""
    obj = ctypes.cast(ctypes.c_void_p(handle), pdfium_c.FPDF_PAGEOBJECT)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)  # an empty box at the origin
    size, ascent, descent, width = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFTextObj_GetFontSize(obj, size)
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    pdfium_c.FPDFFont_GetAscent(font, size, ascent)
    pdfium_c.FPDFFont_GetDescent(font, size, descent)
    pdfium_c.FPDFFont_GetGlyphWidth(font, ord(text), size, width)
    baseline = height - bottom.value
    return Char(text, left.value, left.value + width.value * matrix.a, baseline - ascent.value * matrix.d,
                baseline - descent.value * matrix.d, (ascent.value - descent.value) * matrix.d)
