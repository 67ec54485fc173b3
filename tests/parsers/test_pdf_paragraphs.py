"""Lines of a PDF joined into paragraphs where paragraphs are not indented.

Many agencies' Word files print body text flush with the margin, headings too: nothing but
where a line stops tells a heading from the paragraph it heads. A heading joined to the text
below it loses its section, and the checks that read sections then report what is printed
as missing (``quality.section5_empty``, ``quality.fees_unexplained``).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conversions import libreoffice_convert
from parsers.api import parse_bytes
from parsers.extract import extract
from real_documents import REAL

PAGE = REAL / "pingtan_2025_portal_page.html"
_SIZE = 12.0  # points: one Chinese character's width in the font below
_LEFT, _PER_LINE = 72.0, 36  # the margin, and the characters of a full line


def _printed(lines: list[str]) -> bytes:
    """Each of ``lines`` drawn at the left margin, one under the other, as a Word export without indents places them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setFont("STSong-Light", _SIZE)
    for number, line in enumerate(lines):
        page.drawString(_LEFT, A4[1] - 72 - number * 1.5 * _SIZE, line)
    page.save()
    return buffer.getvalue()


def _full(text: str) -> str:
    """``text`` filled out with Chinese characters to a full line ending in 。."""
    return text + "公" * (_PER_LINE - len(text) - 1) + "。"


def _paragraphs(lines: list[str]) -> list[str]:
    return [block.text for block in extract(_printed(lines), filename="r.pdf").blocks if block.table is None]


def test_a_heading_flush_with_the_margin_is_not_joined_to_the_text_below_it() -> None:
    body = [_full("2024年，我局认真贯彻"), _full("持续推进"), "全年共办理申请12件。"]
    assert _paragraphs(["一、总体情况", *body]) == ["一、总体情况", "".join(body)]


def test_a_numbered_heading_after_a_paragraphs_full_last_line_starts_a_paragraph() -> None:
    before, after = [_full("本报告由六个部分组成"), _full("数据统计时限至12月31日止")], [_full("本年度主动公开"), "共计公开信息356条。"]
    assert _paragraphs([*before, "二、主动公开政府信息情况", *after]) == [
        "".join(before), "二、主动公开政府信息情况", "".join(after)]


def test_a_line_stopped_short_by_a_bracketed_address_too_wide_for_it_runs_on() -> None:
    # Word moves "（http://…）" to the next line whole: the bracket cannot end a line.
    lines = [_full("本报告电子版可在"), "本局门户网站" + "公" * 24, "（http://www.example.gov.cn/zwgk/）下载。"]
    assert _paragraphs(lines) == ["".join(lines)]


def test_a_line_stopped_short_mid_sentence_with_room_for_the_next_lines_word_ends_a_paragraph() -> None:
    lines = [_full("联系方式如下"), "联系电话：0631-5961933", "2024年，我局共收到申请12件。"]
    assert _paragraphs(lines) == [lines[0] + lines[1], lines[2]]


@pytest.fixture(scope="module")
def unindented_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real portal page with its paragraphs' first-line indent taken out (``text-indent: 2em``
    is how this page indents), as an agency's file without indents reads."""
    workdir = tmp_path_factory.mktemp("unindented")
    page = workdir / "pingtan_unindented.html"
    page.write_bytes(PAGE.read_bytes().replace(b"text-indent: 2em", b"text-indent: 0em"))
    return page


def test_the_real_page_without_indents_saved_as_pdf_by_libreoffice_keeps_its_sections(unindented_page: Path) -> None:
    pdf = libreoffice_convert([unindented_page], "pdf", unindented_page.parent)[unindented_page]
    _, report = parse_bytes(pdf.read_bytes(), filename=pdf.name)
    _, page_report = parse_bytes(PAGE.read_bytes(), filename=PAGE.name)
    assert [s.heading for s in report.sections] == [s.heading for s in page_report.sections]
    assert len(report.sections) == 6
    assert {f.rule for f in report.findings} == {f.rule for f in page_report.findings}
