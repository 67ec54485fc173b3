"""A portal's footer after the report (a printed page, a body holding its footer) is not section 六's text."""

from __future__ import annotations

from parsers.document import Block
from parsers.page_furniture import without_furniture

# The real Pingtan portal's footer as Chromium prints it (shared/real/pingtan_2025_portal_page.html).
FOOTER = ["信用中国", "信用福建", "使用帮助 | 联系我们 | 隐私保护 | 新媒体矩阵 | 关于我们 |",
          "网站标识码：3590000001 公安备案号：35012899001-19002 闽ICP备09032658号版权所有：平潭综合实验区党工委管委会网站",
          "平潭发布", "主办单位：福建省平潭综合实验区管理委员会办公室",
          "为确保最佳浏览效果，建议您使用以下浏览器版本：IE浏览器9.0版本及以上； Google Chrome浏览器 63版本及以上。"]


def _texts(lines: list[str]) -> list[str]:
    return [block.text for block in without_furniture([Block("paragraph", text=line) for line in lines])]


def test_the_footer_after_a_section_saying_only_none_goes() -> None:
    assert _texts(["五、存在的主要问题及改进情况", "下一步将加强培训。", "六、其他需要报告的事项", "无", *FOOTER]) == [
        "五、存在的主要问题及改进情况", "下一步将加强培训。", "六、其他需要报告的事项", "无"]


def test_the_signature_above_the_footer_stays() -> None:
    report = ["六、其他需要报告的事项", "本年度未收取信息处理费。", "淄博市张店区机关事务服务中心", "2021年1月29日"]
    assert _texts([*report, *FOOTER]) == report


def test_short_closing_lines_without_a_footer_mark_stay() -> None:
    report = ["六、其他需要报告的事项", "本年度未收取信息处理费。", "附件：政府信息公开工作年度报告统计表", "联系电话：0533-2869928"]
    assert _texts(report) == report
