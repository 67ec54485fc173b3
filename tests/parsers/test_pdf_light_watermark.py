"""An upright watermark ("仅供参考" or the agency's name, large and light grey across the page)
is no part of the report.

Word's 水印 writes WordArt in the page header, set horizontally or at 45 degrees; LibreOffice
prints it as the outlines of its glyphs, whose upright strokes were read as rulings: cut
through by them, seed 001's tables read 166 of their 199 cells wrong or not at all (002's,
33), with 11 false findings. A watermark printed as text (a text box in the header, or
stamped on by a PDF tool) fell into the cells under it: "淮0", "府 0" for 0, a row label
"淮行政许可安市", 10 to 24 cells wrong and 8 false findings a seed. Slanted ones are
left out by their angle (``test_pdf_watermark.py``); upright ones by being filled shapes that
are not rectangles, or text far larger than any report's and pale.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from docx_edits import W, with_page_parts
from parsers.api import parse_bytes
from pdf_stamps import cjk_font, stamped
from parsers.extract.pdf_page import read_pages, read_with_pdfminer

REPO = Path(__file__).resolve().parents[2]
SEEDS = [REPO / "fixtures" / "documents" / f"{stem}.docx" for stem in ("001_edb62deb526a149a", "002_133ea6e3b8938548")]
PDFS = [REPO / "fixtures" / "real" / "huaian_szf_2024.pdf", REPO / "fixtures" / "documents" / "002_133ea6e3b8938548.pdf"]
MARK = "仅供参考"
_VML = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w10="urn:schemas-microsoft-com:office:word"')
# Word's 水印 > 自定义水印 > 文字水印, 版式 水平: WordArt (shape type 136) in the header,
# silver, semitransparent, centred on the page.
WORDART = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" style="position:absolute;'
    "margin-left:0;margin-top:0;width:415.3pt;height:138.4pt;z-index:-251657216;mso-position-horizontal:center;"
    'mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin" '
    'o:allowincell="f" fillcolor="silver" stroked="f"><v:fill opacity=".5"/>'
    f'<v:textpath style="font-family:&quot;宋体&quot;;font-size:1pt" string="{MARK}"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape>'
)
# A text box in the header behind the text, its words 60-point and light grey (白色，背景1，深色15%).
TEXT_BOX = (
    '<v:shape id="WatermarkBox" type="#_x0000_t202" style="position:absolute;margin-left:20pt;margin-top:250pt;'
    'width:420pt;height:90pt;z-index:-251657216;mso-position-horizontal-relative:margin;'
    'mso-position-vertical-relative:margin" stroked="f" filled="f"><v:textbox><w:txbxContent>'
    '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:color w:val="D9D9D9"/><w:sz w:val="120"/></w:rPr>'
    f"<w:t>{MARK}</w:t></w:r></w:p></w:txbxContent></v:textbox>"
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape>'
)


def with_header_shape(source: Path, shape: str) -> bytes:
    """``source`` with ``shape`` (VML) in a page header of its own on every page, as Word puts a watermark."""
    header = f'<w:hdr xmlns:w="{W}" {_VML}><w:p><w:r><w:pict>{shape}</w:pict></w:r></w:p></w:hdr>'
    return with_page_parts(source, {"word/header9.xml": ("header", header)}, xml_declaration=True)


@pytest.fixture(scope="module")
def office_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], bytes]:
    """(seed, plain|wordart|text box) -> the seed's Word file so marked, saved as PDF by LibreOffice."""
    from conversions import libreoffice_convert

    workdir = tmp_path_factory.mktemp("office")
    sources = {}
    for seed in SEEDS:
        for kind, shape in (("plain", None), ("wordart", WORDART), ("text box", TEXT_BOX)):
            path = workdir / f"{seed.stem}-{kind.replace(' ', '_')}.docx"
            path.write_bytes(seed.read_bytes() if shape is None else with_header_shape(seed, shape))
            sources[(seed.stem, kind)] = path
    try:
        made = libreoffice_convert(list(sources.values()), "pdf", workdir)
    except RuntimeError as exc:
        pytest.skip(str(exc))
    return {key: made[path].read_bytes() for key, path in sources.items()}


def _report(data: bytes) -> dict[str, Any]:
    report = parse_bytes(data, filename="report.pdf")[1].to_dict()
    return {key: report[key] for key in ("metadata", "preamble", "sections", "tables", "findings")}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem[:3])
@pytest.mark.parametrize("kind", ["wordart", "text box"])
def test_a_word_watermark_saved_by_libreoffice_parses_as_the_report_without_it(
        office_pdfs: dict[tuple[str, str], bytes], seed: Path, kind: str) -> None:
    marked = _report(office_pdfs[(seed.stem, kind)])
    assert marked == _report(office_pdfs[(seed.stem, "plain")])
    assert marked["tables"]["applications"]["rows"]["new_received"]["cells"]["total"]["raw"] == \
        {"001": "5", "002": "0"}[seed.stem[:3]]


def test_the_wordart_outlines_draw_no_rulings(office_pdfs: dict[tuple[str, str], bytes]) -> None:
    # page 1 of seed 001 holds no table: every ruling there would be the watermark's
    data = office_pdfs[("001_edb62deb526a149a", "wordart")]
    assert read_pages(data)[0].edges == []
    assert read_with_pdfminer(data, [0])[0].edges == []


def stamped_upright(data: bytes, mark: str = "淮安市人民政府办公室", size: float = 48, grey: float = 0.8,
                   alpha: float = 0.4) -> bytes:
    """``data`` with ``mark`` stamped upright over every page, large, light grey and semitransparent,
    as a PDF tool's 添加水印 does."""
    from reportlab.lib.colors import Color

    def draw(sheet, width: float, height: float) -> None:
        sheet.setFont(cjk_font(), size)
        sheet.setFillColor(Color(grey, grey, grey, alpha=alpha))
        for y in (150, 350, 550, 750):
            sheet.drawCentredString(width / 2, y, mark)

    return stamped(data, draw)


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_a_stamped_upright_watermark_parses_as_the_report_without_it(path: Path) -> None:
    assert _report(stamped_upright(path.read_bytes())) == _report(path.read_bytes())


@pytest.mark.parametrize("reader", ["pdfium", "pdfminer"])
@pytest.mark.parametrize(("size", "grey", "alpha", "read"), [
    (48, 0.8, 0.4, False),  # a PDF tool's stamp
    (48, 0.75, 1.0, False),  # Word's silver, without transparency
    (48, 0.0, 1.0, True),  # a large black line is printed to be read
    (16, 0.8, 1.0, True),  # so is pale text at a report's size
])
def test_large_pale_upright_text_is_left_out_and_other_text_read(reader: str, size: float, grey: float, alpha: float,
                                                                  read: bool) -> None:
    from reportlab.lib.colors import Color
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(595, 842))
    sheet.setFont(cjk_font(), 16)
    sheet.drawString(72, 760, "一、总体情况")
    sheet.setFont(cjk_font(), size)
    sheet.setFillColor(Color(grey, grey, grey, alpha=alpha))
    sheet.drawString(72, 400, MARK)
    sheet.save()
    [page] = read_pages(out.getvalue()) if reader == "pdfium" else read_with_pdfminer(out.getvalue(), [0])
    text = "".join(char.text for char in page.chars)
    assert text.replace(MARK, "") == "一、总体情况"
    assert (MARK in text) == read
