"""White space printed as text objects of its own stays on pdfium's fast path and reads as pdfminer reads it.

LibreOffice and Chromium print a space between two words as a text object of its own;
its glyph draws nothing, and pdfium's text page skips such an object. The white space is
read back from the content stream (``pdf_blanks``); a skipped object that prints anything
else sends its page to pdfminer.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from parsers.extract import pdf_page
from parsers.extract.pdf import extract_pdf

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
REPO = Path(__file__).resolve().parents[2]


def _words_pdf(lines: list[tuple[float, list[str]]]) -> bytes:
    """A page printing each line's pieces one text object each, side by side, in an embedded DejaVu Sans."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for number, (size, pieces) in enumerate(lines):
        x = 72.0
        for piece in pieces:
            page.setFont("DejaVu", size)
            page.drawString(x, 700 - 30 * number, piece)
            x += pdfmetrics.stringWidth(piece, "DejaVu", size)
    page.save()
    return buffer.getvalue()


def _texts(data: bytes) -> list[str]:
    return [block.text for block in extract_pdf(data).blocks]


def _slow_texts(data: bytes, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as patched:
        patched.setattr(pdf_page, "_page_chars", lambda page, number, content: None)
        return _texts(data)


needs_dejavu = pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed (Debian: fonts-dejavu-core)")


@needs_dejavu
def test_a_space_printed_on_its_own_stays_on_pdfium_and_reads_as_pdfminer_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # At 6 points a space is 1.9 points wide, too narrow to be read from the gap alone.
    data = _words_pdf([(12, ["alpha", " ", "beta"]), (6, ["gamma", " ", "delta"])])
    assert pdf_page.pdfium_reads(data)
    assert " ".join(_texts(data)) == " ".join(_slow_texts(data, monkeypatch))
    assert "gamma delta" in " ".join(_texts(data))


@needs_dejavu
def test_a_skipped_text_object_printing_more_than_white_space_sends_its_page_to_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    # DejaVu Sans has no ideographic space: reportlab prints its code 0, a glyph of no outline mapped to U+0000.
    data = _words_pdf([(12, ["epsilon", "\u3000", "zeta"])])
    assert not pdf_page.pdfium_reads(data)
    assert _texts(data) == _slow_texts(data, monkeypatch)


def test_the_no_break_spaces_of_a_libreoffice_pdf_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 000 saved as PDF by LibreOffice: its no-break spaces are text objects in DejaVu Sans between CJK words."""
    from conversions import libreoffice_convert

    seed = REPO / "fixtures" / "documents" / "000_9d093eecd5b1c4d3.docx"
    try:
        pdf = libreoffice_convert([seed], "pdf", tmp_path)[seed]
    except RuntimeError as exc:
        pytest.skip(str(exc))
    data = pdf.read_bytes()
    assert pdf_page.pdfium_reads(data)
    fast = _texts(data)
    assert fast == _slow_texts(data, monkeypatch)
    assert any("，\u00a0按照" in text for text in fast)


def test_a_chromium_print_reads_its_brackets_without_spaces_around_them(tmp_path: Path) -> None:
    """pdfium boxes some of Chromium's characters by their outline ("〈" starts 7 points
    right of its origin); on a page read with its white space put back they stand at their
    advance, as pdfminer's did, and no gap is read as a space."""
    from conversions import chromium_print

    try:
        pdf = chromium_print(REPO / "fixtures" / "real" / "pingtan_2025_portal_page.html", tmp_path / "page.pdf")
    except RuntimeError as exc:
        pytest.skip(str(exc))
    data = pdf.read_bytes()
    assert pdf_page.pdfium_reads(data)
    text = "".join(_texts(data))
    assert "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知" in text
    assert "登录 登录 注册 注册" in text  # the spaces Chromium prints as objects of their own


def test_text_showing_operators_take_the_font_q_and_Q_leave_them() -> None:
    import pikepdf

    from parsers.extract.pdf_blanks import ContentText

    pdf = pikepdf.new()
    pdf.add_blank_page()

    def font(first_target: str) -> pikepdf.Object:
        """A font whose ToUnicode map reads codes a-z from ``first_target`` on."""
        cmap = f"begincmap 1 beginbfrange <61> <7A> <{ord(first_target):04X}> endbfrange endcmap".encode()
        return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    ToUnicode=pdf.make_stream(cmap)))

    page = pdf.pages[0].obj
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font("a"), F2=font("A")))
    # The content in two streams, as a page may have it; /F3 is not among the resources.
    page.Contents = pikepdf.Array([pdf.make_stream(b"(z) Tj BT /F1 12 Tf (a) Tj q /F2 12 Tf [(b) -200 (c)] TJ"),
                                   pdf.make_stream(b"() Tj 5 Tj Q (d) ' /F3 12 Tf (e) Tj ET")])
    saved = io.BytesIO()
    pdf.save(saved)
    content = ContentText(saved.getvalue())
    # Nothing is drawn before a font is named, nor of the empty string or the number, as in
    # pdfium; a font it cannot find it draws in its own, so that object counts, unread.
    assert [shown.text for shown in content._texts(0, [0, 1, 2, 3], 4)] == ["a", "BC", "d", None]
    assert content._texts(0, [0], 5) is None


def test_a_font_not_embedded_reads_by_its_unicode_cmap_or_not_at_all() -> None:
    """iText's and reportlab's STSong-Light: a Type 0 font named only, encoded by Adobe's
    UniGB-UCS2-H (its codes are UTF-16), with no ToUnicode map; one encoded Identity-H
    without a map cannot be read; a font whose program the PDF carries says so."""
    import pikepdf

    from parsers.extract.pdf_blanks import ContentText, Shown

    pdf = pikepdf.new()
    pdf.add_blank_page()

    def type0(encoding: str, program: bool = False) -> pikepdf.Object:
        descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/STSong-Light"))
        if program:
            descriptor.FontFile2 = pdf.make_stream(b"\0")
        cid_font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType0,
                                      BaseFont=pikepdf.Name("/STSong-Light"), FontDescriptor=pdf.make_indirect(descriptor))
        return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
                                                    BaseFont=pikepdf.Name("/STSong-Light"), Encoding=pikepdf.Name(encoding),
                                                    DescendantFonts=pikepdf.Array([pdf.make_indirect(cid_font)])))

    page = pdf.pages[0].obj
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(
        F1=type0("/UniGB-UCS2-H"), F2=type0("/Identity-H"), F3=type0("/UniGB-UCS2-H", program=True),
        F4=type0("/UniGB-UCS2-V")))
    page.Contents = pdf.make_stream(b"BT /F1 8 Tf <4E1A> Tj <000E> Tj /F2 8 Tf <4E1A> Tj /F3 8 Tf <6784> Tj /F4 8 Tf <4E1A> Tj ET")
    saved = io.BytesIO()
    pdf.save(saved)
    assert ContentText(saved.getvalue())._texts(0, [0, 1, 2, 3, 4], 5) == [
        Shown("业", False), Shown("\x0e", False), Shown(None, False), Shown("构", True), Shown(None, False)]
