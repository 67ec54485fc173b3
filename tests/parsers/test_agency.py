"""The agency and region of a report: cleaned of artefacts, never taken from page chrome."""

from __future__ import annotations

import pytest

from parsers.agency import clean_agency
from parsers.api import parse_bytes
from parsers.hints import ReportHints
from parsers.title import parse_report_title
from real_documents import REAL

PAGE = REAL / "pingtan_2025_portal_page.html"
CHROME = "某县人民政府门户网站|今天是2026-11-30 02:23:51淮安市洪泽区人民政府"


@pytest.mark.parametrize(
    ("candidate", "name"),
    [
        ("#沐阳县人民政府", "沐阳县人民政府"),  # OCR'd heading mark
        ("＃ 沐阳县人民政府", "沐阳县人民政府"),
        ("来源：平潭综合实验区管委会办公室", "平潭综合实验区管委会办公室"),
        ("<span>淄博市 张店区</span>人民政府", "淄博市张店区人民政府"),
        ("（威海经济技术开发区）", "威海经济技术开发区"),
        ("淮安市人民政府&nbsp;", "淮安市人民政府"),
    ],
)
def test_artefacts_are_cleaned_off(candidate: str, name: str) -> None:
    assert clean_agency(candidate) == name


@pytest.mark.parametrize(
    "candidate",
    [
        "正文", "-", "—", "附件", "", None,
        CHROME,
        "淮安市洪泽区人民政府 2026-11-30",
        "访客：12345 淮安市洪泽区人民政府",
        "http://www.hongze.gov.cn",
        "首页 > 政府信息公开 > 年报",
        "当前位置：淮安市洪泽区人民政府",
        "淮安市洪泽区人民政府办公室关于印发洪泽区政务公开工作要点和考核办法的通知的解读材料",
    ],
)
def test_what_is_not_a_name_is_rejected(candidate: str | None) -> None:
    assert clean_agency(candidate) is None


def test_a_listing_title_glued_to_the_banner_names_no_agency() -> None:
    info = parse_report_title(CHROME + "2024年政府信息公开工作年度报告")
    assert info is not None and info.year == 2024 and info.agency is None
    assert parse_report_title("正文2023年政府信息公开工作年度报告").agency is None  # type: ignore[union-attr]


def _page(title: str) -> bytes:
    html = PAGE.read_text(encoding="utf-8")
    return html.replace('content="平潭综合实验区2025年度政府信息公开工作年度报告"', f'content="{title}"').encode("utf-8")


def test_chrome_in_the_page_title_falls_through_to_the_next_source() -> None:
    report = parse_bytes(_page(CHROME + "2025年度政府信息公开工作年度报告"), filename=PAGE.name)[1]
    assert report.metadata.agency == "平潭综合实验区管委会办公室"  # ContentSource
    assert report.metadata.year == 2025


def test_chrome_in_the_hints_is_passed_over() -> None:
    hints = ReportHints(agency=CHROME, title=CHROME + "2025年政府信息公开工作年度报告")
    report = parse_bytes(PAGE.read_bytes(), filename=PAGE.name, hints=hints)[1]
    assert report.metadata.agency == "平潭综合实验区"


def test_an_ocr_mark_before_the_agency_in_the_title_block() -> None:
    text = "#沐阳县人民政府\n2023年政府信息公开工作年度报告\n一、总体情况\n本年度无申请。\n"
    report = parse_bytes(text.encode("utf-8"), filename="report.txt")[1]
    assert report.metadata.agency == "沐阳县人民政府"
    assert report.metadata.region == "沐阳县"


def test_region_from_the_publisher_when_the_agency_names_none() -> None:
    html = PAGE.read_text(encoding="utf-8").replace(
        'content="平潭综合实验区管委会办公室"', 'content="福建省平潭综合实验区管理委员会"'
    )
    report = parse_bytes(html.encode("utf-8"), filename=PAGE.name)[1]
    assert report.metadata.agency == "平潭综合实验区"
    assert report.metadata.region == "福建省"


def test_a_title_printed_as_the_pages_attachment_line_names_the_agency() -> None:
    from parsers.metadata import _agency_of_titled_paragraph

    paragraphs = ["全年收到申请44件。", "附件：河北省教育厅2022年政府信息公开工作年度报告"]
    assert _agency_of_titled_paragraph(paragraphs) == "河北省教育厅"
    assert _agency_of_titled_paragraph(["附件1：统计表"]) is None


def test_an_e_mail_label_without_an_address_is_not_an_e_mail() -> None:
    from parsers.metadata import read_contacts

    text = "申请人可通过电子邮箱、信函、传真、当面申请等渠道提出申请；受理邮箱：gk@hee.gov.cn。"
    assert read_contacts(text)["email"] == "gk@hee.gov.cn"
    assert "email" not in read_contacts("可通过电子邮箱、信函等渠道提出申请。")


def test_a_report_without_a_title_block_is_named_by_its_own_title_in_the_text_not_by_its_download_portal() -> None:
    # Seed 001 (a real report) without its two title lines: its preamble says "现公布威海经济技术开发区
    # 2020年政府信息公开工作年度报告" and, after it, that it can be downloaded from 威海市人民政府's portal.
    seed = (REAL.parent / "seeds" / "001_edb62deb526a149a.txt").read_text(encoding="utf-8")
    untitled = "\n".join(seed.splitlines()[2:])
    assert "威海市人民政府门户网站" in untitled
    report = parse_bytes(untitled.encode("utf-8"), filename="report.txt")[1]
    assert report.metadata.agency == "威海经济技术开发区"
    assert report.metadata.title is None


@pytest.mark.parametrize(
    ("sentence", "agency"),
    [
        ("现将淄博市工业和信息化局2020年政府信息公开工作年度报告公布如下：", "淄博市工业和信息化局"),
        ("根据《条例》规定，特向社会公布平潭综合实验区2025年度政府信息公开工作年度报告。", "平潭综合实验区"),
        ("现公布本局2021年政府信息公开工作年度报告。", None),
        # the header line a browser prints over a saved page: its clock, then the page's title
        ("12/3/26，3：35PM平潭综合实验区2025年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会", "平潭综合实验区"),
        ("本报告由淄博市张店区机关事务服务中心编制的2020年度政府信息公开工作年度报告。", None),
    ],
)
def test_the_reports_own_title_in_a_sentence(sentence: str, agency: str | None) -> None:
    from parsers.metadata import _agency_of_own_title

    assert _agency_of_own_title(["全年收到申请44件。", sentence]) == agency
