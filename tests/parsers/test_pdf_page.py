"""What the fast PDF reader takes on trust from pdfium, held against pdfium itself.

The per-character loop asks pdfium whether a character is one its text page made up only
for spaces and line breaks, reads the characters' codes as the page's text, and reads each
page's objects in one walk; each must give what asking pdfium everything gives.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from parsers.extract import pdf_page

REPO = Path(__file__).resolve().parents[2]
PDFS = sorted((REPO / "fixtures").rglob("*.pdf"))
READABLE = [path for path in PDFS if path.parent.name != "malformed"]


@pytest.mark.parametrize("path", READABLE, ids=lambda path: path.name)
def test_pdfium_makes_up_only_spaces_and_line_breaks(path: Path) -> None:
    document = pdfium.PdfDocument(path.read_bytes())
    made_up = set()
    for page in document:
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1:
                made_up.add(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
    document.close()
    assert made_up, "no page here has a made-up character: the test shows nothing"
    assert made_up <= pdf_page._GENERATED_CODES


@pytest.mark.parametrize("path", READABLE, ids=lambda path: path.name)
def test_one_walk_finds_the_text_objects_paths_and_pictures_pypdfium2_finds(path: Path) -> None:
    document = pdfium.PdfDocument(path.read_bytes())
    for page in document:
        texts, paths, pictures = pdf_page._page_objects(page.raw)
        address = lambda obj: ctypes.cast(obj.raw, ctypes.c_void_p).value  # noqa: E731
        assert texts == [address(obj) for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=1)]
        assert paths == [address(obj) for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])]
        assert pictures == [address(obj) for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1)]
    document.close()


@pytest.mark.parametrize("path", READABLE, ids=lambda path: path.name)
def test_codes_read_as_the_page_text_are_those_pdfium_gives_each_character(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = pdfium.PdfDocument(path.read_bytes())
    for page in document:
        textpage = page.get_textpage()
        handle, count = ctypes.cast(textpage.raw, ctypes.c_void_p).value, textpage.count_chars()
        each = [pdfium_c.FPDFText_GetUnicode(textpage.raw, index) for index in range(count)]
        assert pdf_page._codes(handle, count) == each
        with monkeypatch.context() as patched:  # a page whose text does not line up is asked character by character
            patched.setattr(pdf_page, "_UNALIGNED", pdf_page.re.compile("."))
            assert pdf_page._codes(handle, count) == each
    document.close()


@pytest.mark.parametrize("path", READABLE, ids=lambda path: path.name)
def test_characters_stand_in_the_loose_boxes_pypdfium2_gives_them(path: Path) -> None:
    # The loop reads each box through one float buffer and passes pointers as ctypes
    # arguments made once; pypdfium2's own calls convert everything every time.
    document = pdfium.PdfDocument(path.read_bytes())
    for page in document:
        textpage, height = page.get_textpage(), page.get_height()
        want = []
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
            if code and pdfium_c.FPDFText_GetTextObject(textpage.raw, index) and pdfium_c.FPDFText_IsGenerated(textpage.raw, index) != 1:
                left, bottom, right, top = textpage.get_charbox(index, loose=True)
                want.append((pdf_page.printed_char(chr(code)), left, right, height - top, height - bottom))
        handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
        chars, _, _ = pdf_page._chars(handle, textpage.count_chars(), height)
        assert [(c.text, c.x0, c.x1, c.top, c.bottom) for c in chars] == want
    document.close()


def test_the_per_character_and_per_object_calls_keep_the_gil_and_loading_a_page_lets_it_go() -> None:
    # The per-item calls return at once: letting the GIL go costs a sixth of such a call.
    # Loading a page parses its content, long enough for other threads to run meanwhile.
    own = [value for value in vars(pdf_page).values() if isinstance(value, ctypes._CFuncPtr)]
    assert len(own) > 20
    assert all(function._flags_ & ctypes._FUNCFLAG_PYTHONAPI for function in own)
    assert not pdfium_c.FPDF_LoadPage._flags_ & ctypes._FUNCFLAG_PYTHONAPI
    assert not pdfium_c.FPDFText_LoadPage._flags_ & ctypes._FUNCFLAG_PYTHONAPI
