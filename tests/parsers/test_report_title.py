import pytest

from parsers.title import TitleInfo, is_annual_report_title, parse_report_title, title_of_page


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告", "淄博市张店区机关事务服务中心", 2020),
        ("淄博市工业和信息化局2020年度政府信息公开工作年度报告", "淄博市工业和信息化局", 2020),
        ("2023年度山东张店经济开发区管理委员会政府信息公开工作年度报告", "山东张店经济开发区管理委员会", 2023),
        ("威海经济技术开发区 2020 年政府信息公开工作年度报告", "威海经济技术开发区", 2020),
        ("某某县人民政府2019年政府信息公开年报", "某某县人民政府", 2019),
        ("某某局政府信息公开工作年度报告（2021年）", "某某局", 2021),
        ("二〇二二年某某县政府信息公开工作年度报告", "某某县", 2022),
        ("2021年政府信息公开工作年度报告", None, 2021),
        # no 年度报告, but the year's: 年度 before 政府信息公开
        ("淄博市张店区机关事务服务中心2023年度政府信息公开工作报告", "淄博市张店区机关事务服务中心", 2023),
        ("某某县二Ｏ二三年政府信息公开工作年度报告", "某某县", 2023),  # a zero typed as a fullwidth letter O
        ("附件：淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告", "淄博市张店区机关事务服务中心", 2020),
        ("附件1淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告", "淄博市张店区机关事务服务中心", 2020),
        # a portal's mark before the title, an agency's name before its reorganisation after it
        ("【更正】淄博市工业和信息化局2020年度政府信息公开工作年度报告", "淄博市工业和信息化局", 2020),
        ("更正：淄博市工业和信息化局2020年政府信息公开工作年度报告", "淄博市工业和信息化局", 2020),
        ("（修订稿）淄博市工业和信息化局2020年政府信息公开工作年度报告", "淄博市工业和信息化局", 2020),
        ("淄博市工业和信息化局（原淄博市经济和信息化委员会）2018年政府信息公开工作年度报告", "淄博市工业和信息化局", 2018),
    ],
)
def test_report_titles_give_agency_and_year(title: str, agency: str | None, year: int) -> None:
    assert parse_report_title(title) == TitleInfo(agency=agency, year=year)
    assert is_annual_report_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "某某市2021年政府工作报告",
        "某某区2020年部门预决算公开",
        "某某区2020年财政预算执行情况",
        "某某县2020年统计年报",
        "某某公司2020年年报",
        "关于做好2020年政府信息公开工作年度报告编制工作的通知",
        "某某县政府信息公开指南",
        # what a 年报 column lists beside the reports (seen on district and city portals)
        "关于2022年度政府信息公开工作年度报告的审核意见",
        "关于全区2022年度政府信息公开工作年度报告发布情况的通报",
        "一图读懂淄博经济开发区2022年政府信息公开工作年度报告",
        "图解：某某县2022年政府信息公开工作年度报告",
        "某某县2022年政府信息公开工作年度报告（图解）",
        "淄博经济开发区2022年政府信息公开工作年度报告编制说明",
        "关于报送2022年政府信息公开工作年度报告的函",
        "关于2022年政府信息公开工作年度报告有关问题的复函",
        "2022年度政府信息公开工作年度报告点评",
        "2022年政府信息公开工作年度报告检查结果",
        "2022年政府信息公开工作年度报告社会评议结果",
        "2022年政府信息公开工作年度报告政策问答",
        "关于2022年政府信息公开工作年度报告的审核...",
        "某某局政府信息公开工作年度报告",  # no year
        "某某县2023年上半年政府信息公开工作报告",  # a year's, but not the annual report
        "某某县2023年第一季度政府信息公开工作报告",
        "",
        "政府信息公开",
    ],
)
def test_other_titles_are_rejected(title: str) -> None:
    assert parse_report_title(title) is None
    assert not is_annual_report_title(title)


@pytest.mark.parametrize(
    ("page_title", "title"),
    [
        ("平潭综合实验区2025年度政府信息公开工作年度报告", "平潭综合实验区2025年度政府信息公开工作年度报告"),
        # <title> as portals write it: the column's and the site's names after the page's own
        ("平潭综合实验区2025年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会",
         "平潭综合实验区2025年度政府信息公开工作年度报告"),
        ("淄博市2020年政府信息公开工作年度报告 - 淄博市人民政府", "淄博市2020年政府信息公开工作年度报告"),
        ("淄博市人民政府 | 淄博市2020年政府信息公开工作年度报告", "淄博市2020年政府信息公开工作年度报告"),
        ("某某县人民政府 2019 年政府信息公开年报｜某某县政务网", "某某县人民政府2019年政府信息公开年报"),
        ("某某市人民政府", None),
        ("2020年政府工作报告_某某市人民政府", None),
        ("", None),
    ],
)
def test_a_pages_title_is_its_reports_without_the_portals_names(page_title: str, title: str | None) -> None:
    assert title_of_page(page_title) == title
