"""Metadata of a real report printed the other ways offices print it.

Each variant edits one thing in seed 002 (淄博市张店区机关事务服务中心's 2020 report, as DOCX
and as its portal page) or in the real Pingtan page, the way a tester found reports printed:
a contact block one item a line, spaced labels, "附件" above the title, "发布时间：" on the
page, a title that names no agency.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.metadata import region_of
from parsers.report import Metadata
from real_documents import REAL

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "002_133ea6e3b8938548"
AGENCY = "淄博市张店区机关事务服务中心"
TITLE = "2020年政府信息公开工作年度报告"
CONTACT = "（地址：淄博市张店区新村西路226号，邮编：255000，联系电话：0533-2869928；邮箱：zdjgsw@163.com）"
SIGNED = "2021年1月29日"


def _paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _replace_paragraph(xml: str, text: str, *new: str, last: bool = False) -> str:
    """``xml`` with the paragraph holding ``text`` (the first, or the last) replaced by paragraphs of ``new``."""
    at = xml.rindex(f">{text}</w:t>") if last else xml.index(f">{text}</w:t>")
    start, end = xml.rindex("<w:p>", 0, at), xml.index("</w:p>", at) + len("</w:p>")
    return xml[:start] + "".join(map(_paragraph, new)) + xml[end:]


def _docx(edit: Callable[[str], str]) -> Metadata:
    """Seed 002's DOCX with its document.xml edited, parsed."""
    with zipfile.ZipFile(SEED.with_suffix(".docx")) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/document.xml"] = edit(parts["word/document.xml"].decode("utf-8")).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return parse_bytes(out.getvalue(), filename="report.docx")[1].metadata


def _retitled(*lines: str) -> Callable[[str], str]:
    """The two title lines replaced by ``lines``."""
    return lambda xml: _replace_paragraph(_replace_paragraph(xml, TITLE, *lines), AGENCY)


def _unsigned(xml: str) -> str:
    return _replace_paragraph(_replace_paragraph(xml, SIGNED), AGENCY, last=True)


def _contact_block(xml: str) -> str:
    """The contact moved from the first paragraph to the end of the text, one item a line."""
    block = ("联系地址：淄博市张店区新村西路226号", "联系电话：0533-2869928", "邮编：255000", "电子邮箱：zdjgsw@163.com")
    return _replace_paragraph(xml.replace(CONTACT, ""), "无。", "无。", *block)


def _hotline_first(xml: str) -> str:
    """A citizens' hotline and the portal's address in the text before the office's contact."""
    xml = xml.replace(CONTACT, "").replace(
        "2020年度无依申请公开的信息。",
        "2020年度无依申请公开的信息。群众可通过市民热线电话12345及网站地址：http://www.zhangdian.gov.cn提出诉求。",
    )
    return _replace_paragraph(xml, "无。", "无。", "联系地址：淄博市张店区新村西路226号；联系电话：0533-2869928。")


@pytest.mark.parametrize(
    ("edit", "address", "phone", "email"),
    [
        (_contact_block, "淄博市张店区新村西路226号", "0533-2869928", "zdjgsw@163.com"),
        (_hotline_first, "淄博市张店区新村西路226号", "0533-2869928", None),
        (
            lambda xml: xml.replace(CONTACT, "（地　址：淄博市张店区新村西路226号，邮　编：255000，电　话：0533-2869928；邮　箱：zdjgsw@163.com）"),
            "淄博市张店区新村西路226号", "0533-2869928", "zdjgsw@163.com",
        ),
        (lambda xml: xml.replace("联系电话：0533-2869928", "联系方式：0533-2869928"), "淄博市张店区新村西路226号", "0533-2869928", "zdjgsw@163.com"),
        (lambda xml: xml.replace("联系电话：0533-2869928", "联系电话：（0533）2869928"), "淄博市张店区新村西路226号", "（0533）2869928", "zdjgsw@163.com"),
    ],
    ids=["one-item-a-line", "hotline-and-site-before", "spaced-labels", "lianxifangshi", "area-code-in-brackets"],
)
def test_contacts_as_offices_print_them(edit: Callable[[str], str], address: str, phone: str, email: str | None) -> None:
    meta = _docx(edit)
    assert (meta.address, meta.phone, meta.email) == (address, phone, email)


@pytest.mark.parametrize(
    ("agency", "region"),
    [
        ("淄博市张店区城市管理局", "淄博市张店区"),  # 城市 is no place
        ("淄博市城市管理局", "淄博市"),
        ("济南市市中区人民政府", "济南市市中区"),  # a district whose name starts with 市
        ("中共淄博市张店区委组织部", "淄博市张店区"),
    ],
)
def test_region_of_a_report_by(agency: str, region: str) -> None:
    meta = _docx(lambda xml: xml.replace(AGENCY, agency))
    assert (meta.agency, meta.region) == (agency, region)


@pytest.mark.parametrize(
    ("agency", "region"),
    [
        ("杭州市西湖区人民政府", "杭州市西湖区"),  # 杭州 is one name, not 杭 + 州
        ("北京市通州区教育委员会", "北京市通州区"),
        ("山东省淄博市张店区马尚街道办事处", "山东省淄博市张店区"),  # a town is below the region
        ("沂源县南麻镇人民政府", "沂源县"),
        ("马尚街道办事处", None),
        ("新疆维吾尔自治区教育厅", "新疆维吾尔自治区"),
        ("淄博市文昌湖省级旅游度假区管理委员会", "淄博市"),  # 省 only at the top
        ("潍坊市青州市人民政府", "潍坊市青州市"),
        ("沛县人民政府", "沛县"),
        ("长治市城区人民政府", "长治市城区"),  # the districts named by one character
        ("阳泉市郊区教育局", "阳泉市郊区"),
        ("淄博市市场监督管理局", "淄博市"),
        ("淄博经济开发区", None),
    ],
)
def test_region_is_the_leading_place_names_level_by_level(agency: str, region: str | None) -> None:
    assert region_of(agency) == region


@pytest.mark.parametrize(
    "edit",
    [
        _retitled("附件", AGENCY, TITLE),
        _retitled("附件", AGENCY + TITLE),
        _retitled("附件：" + AGENCY + TITLE),
    ],
    ids=["line-above-two-lines", "line-above-one-line", "same-line"],
)
def test_an_attachment_lead_above_the_title_is_not_the_agencys(edit: Callable[[str], str]) -> None:
    meta = _docx(edit)
    assert (meta.agency, meta.region, meta.title) == (AGENCY, "淄博市张店区", AGENCY + TITLE)


@pytest.mark.parametrize(
    "edit",
    [
        lambda xml: _unsigned(_retitled(TITLE)(xml)),
        lambda xml: _unsigned(_retitled(TITLE, AGENCY, "（2021年1月29日）")(xml)),
    ],
    ids=["title-only", "agency-under-the-title"],
)
def test_a_title_naming_no_agency_falls_to_the_reports_own_title_in_the_text_not_its_portal(
    edit: Callable[[str], str],
) -> None:
    # The text says "特向社会公布淄博市张店区机关事务服务中心2020年政府信息公开工作报告", then
    # "本报告在淄博市张店区人民政府门户网站发布".
    assert _docx(edit).agency == AGENCY


def _page(path: Path, *edits: tuple[str, str]) -> Metadata:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r'<meta name="PubDate"[^>]*>', "", html)
    for old, new in edits:
        assert old in html
        html = html.replace(old, new)
    return parse_bytes(html.encode("utf-8"), filename="page.html")[1].metadata


def test_publish_date_labelled_fabushijian() -> None:
    meta = _page(SEED.with_suffix(".html"), ("发布日期：2021-01-29", "发布时间：2021-01-29 17:40"))
    assert meta.publish_date == "2021-01-29"


def test_publish_date_labelled_shijian_in_the_pages_info_bar() -> None:
    assert _page(REAL / "pingtan_2025_portal_page.html").publish_date == "2026-03-10"


def test_a_bare_shijian_away_from_the_pages_source_is_no_publish_date() -> None:
    source = '<span class="article_source">来源：平潭综合实验区管委会办公室</span>'
    assert _page(REAL / "pingtan_2025_portal_page.html", (source, "")).publish_date is None


def _titled_without_agency(page: str) -> str:
    """Seed 002's page with every title naming no agency ("2020年政府信息公开工作年度报告"): the
    report names its agency only where it signs."""
    page = page.replace("淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告", "2020年政府信息公开工作年度报告")
    return page.replace('<p style="text-align:center"><strong>淄博市张店区机关事务服务中心</strong></p>', "", 1)


def test_the_report_s_signature_names_its_agency_before_the_page_s_uploader_and_the_site() -> None:
    from parsers.hints import ReportHints

    page = _titled_without_agency(SEED.with_suffix(".html").read_text(encoding="utf-8"))
    # uploaded by the district's office, on a site whose config names the office
    page = page.replace('content="淄博市张店区机关事务服务中心"', 'content="淄博市张店区人民政府办公室"')
    page = page.replace("来源：淄博市张店区机关事务服务中心", "来源：淄博市张店区人民政府办公室")
    report = parse_bytes(page.encode("utf-8"), filename="page.html", hints=ReportHints(agency="淄博市张店区人民政府办公室"))[1]
    assert report.metadata.agency == "淄博市张店区机关事务服务中心"


def test_a_report_calling_itself_our_centre_is_not_filed_under_the_portal_s_owner() -> None:
    text = (SEED.parent.parent / "seeds" / f"{SEED.name}.txt").read_text(encoding="utf-8").split("\n", 2)[2]
    text = text.replace("特向社会公布淄博市张店区机关事务服务中心2020年政府信息公开工作报告", "现将我中心2020年政府信息公开工作年度报告公布如下")
    text = text.replace("淄博市张店区机关事务服务中心\n                  2021年1月29日", "")  # unsigned
    text = text.replace("请与张店区机关事务服务中心办公室联系", "请与办公室联系")
    # "本报告在淄博市张店区人民政府门户网站发布": the host, not the centre
    assert parse_bytes(text.encode("utf-8"), filename="report.txt")[1].metadata.agency is None


def _seed_text() -> str:
    return (SEED.parent.parent / "seeds" / f"{SEED.name}.txt").read_text(encoding="utf-8")  # 统计期限自2020年1月1日…


@pytest.mark.parametrize(("listed", "published", "year"), [
    (None, "2021-01-20", 2020),  # the title names the year it was published in; the text covers 2020
    (None, None, 2021),  # nothing says when: the title's year stands
    (None, "2022-01-20", 2021),  # published the year after the title's: the title's year is the report's
])
def test_a_title_naming_its_publication_year(listed: str | None, published: str | None, year: int) -> None:
    from parsers.hints import ReportHints

    text = _seed_text().replace("2020年政府信息公开工作年度报告", "2021年政府信息公开工作年度报告", 1)
    hints = ReportHints(title=listed, publish_date=published)
    assert parse_bytes(text.encode("utf-8"), filename="report.txt", hints=hints)[1].metadata.year == year


def test_the_title_agreeing_with_the_text_s_period_gives_the_year() -> None:
    from parsers.hints import ReportHints

    page = SEED.with_suffix(".html").read_text(encoding="utf-8")  # the page's own titles say 2020
    page = page.replace('<p style="text-align:center"><strong>2020年政府信息公开工作年度报告</strong></p>', "", 1)  # no title block
    hints = ReportHints(title="淄博市张店区机关事务服务中心2021年政府信息公开工作年度报告")  # the list says 2021
    assert parse_bytes(page.encode("utf-8"), filename="page.html", hints=hints)[1].metadata.year == 2020
