"""A PDF character's size is the font size it is printed at, not the height of its box.

pdfium's character box spans the font's ascent and descent: 10.3 points for 11-point Noto
Sans CJK. Taken for the size, it made the indent of a paragraph's first line (two
characters) look like a centred title's, and the paragraph broke after that line:
"但也\\n存在" in seed 002 as LibreOffice saves it as PDF.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.api import parse_bytes

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seed_002_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from conversions import libreoffice_convert

    seed = REPO / "fixtures" / "documents" / "002_133ea6e3b8938548.docx"
    try:
        return libreoffice_convert([seed], "pdf", tmp_path_factory.mktemp("office"))[seed].read_bytes()
    except RuntimeError as exc:
        pytest.skip(str(exc))


def test_a_paragraph_whose_first_line_is_indented_reads_whole(seed_002_pdf: bytes) -> None:
    _, report = parse_bytes(seed_002_pdf, filename="report.pdf")
    texts = "\n".join(section.text for section in report.sections)
    assert "但也存在政府信息公开内容不全面" in texts
    assert "提高机关事务服务保障水平" in texts


def test_characters_are_as_large_as_their_font(seed_002_pdf: bytes) -> None:
    from parsers.extract import pdf_page

    sizes = {round(char.size, 1) for page in pdf_page.read_pages(seed_002_pdf) for char in page.chars}
    assert 11.0 in sizes  # the body text: 11-point Noto Sans CJK, whose boxes are 10.3 points high
