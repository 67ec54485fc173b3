"""List items TRS's older templates write with ``document.write``: the link exists only in the script."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from harvester.siteconfig import SiteConfig
from harvester.spiders.walkers import walker_for
from harvester.spiders.written import written_markup
from parsers.title import is_annual_report_title

COLUMN = "http://www.xx.gov.cn/zwgk/zfxxgkndbg/index.html"
REPORT = "某县人民政府2022年政府信息公开工作年度报告"
# One item per script, as the templates of TRS WCM 6/7 write them (GB2312 pages, single quotes
# inside double, an escaped slash, the title cut for the list by the template).
ITEMS = f"""<ul class="list">
<li><script>
var str_url = "./202301/t20230120_7720341.html";
var str_title = "{REPORT}";
var str_show = "某县人民政府2022年政府信息公开工作年...";
document.write("<a href='" + str_url + "' target='_blank' title='" + str_title + "'>" + str_show + "<\\/a>");
</script><span>2023-01-20</span></li>
<li><script>
var _url = './202202/t20220125_6612.html';
var str = '<a href="' + _url + '" title="某县人民政府2021年政府信息公开工作年度报告">';
str += '某县人民政府2021年政府信息公开工作年度报告</a>';
document.write(str);
</script><span>2022-01-25</span></li>
<li><a href="./202112/t20211230_1.html" title="某县2021年政府工作报告">某县2021年政府工作报告</a></li>
</ul>"""
PAGE = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<script>function createPageHTML(a,b,c,d){{}}</script></head><body>{ITEMS}
<script>createPageHTML(1, 0, "index", "html");</script></body></html>"""


@pytest.mark.parametrize("family", ["trs", "generic"])
def test_links_written_by_the_list_s_scripts_are_read(family: str) -> None:
    site = SiteConfig(name="t", title="t", family=family, start_urls=[COLUMN])
    page = walker_for(family)(HtmlResponse(COLUMN, body=PAGE.encode(), encoding="utf-8"), site)
    reports = [(link.url, link.title) for link in page.links if is_annual_report_title(link.title)]
    assert reports == [
        ("http://www.xx.gov.cn/zwgk/zfxxgkndbg/202301/t20230120_7720341.html", REPORT),
        ("http://www.xx.gov.cn/zwgk/zfxxgkndbg/202202/t20220125_6612.html", "某县人民政府2021年政府信息公开工作年度报告"),
    ]


def test_what_the_script_does_not_say_plainly_is_not_guessed() -> None:
    script = """<script>var u = getUrl(); document.write('<a href="' + u + '">' + name + '</a>');</script>"""
    assert written_markup(script) == '<a href=""></a>'
    assert written_markup("<p>no scripts</p>") == ""
