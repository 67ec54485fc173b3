"""Paging read out of the scripts CMSes write, and the generic walker on a county-portal
column whose 下一页 is a ``goPage()`` call."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from harvester.siteconfig import SiteConfig
from harvester.spiders.paging import create_page_html, page_call, page_count, page_template, script_page_urls
from harvester.spiders.walkers import walker_for
from parsers.title import is_annual_report_title

COLUMN = "http://www.xx.gov.cn/c100413/index.shtml"

COUNTY_COLUMN = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报_某县人民政府门户网站</title>
<script type="text/javascript">
var currentPage = 1; var totalPage = 3;
function goPage(page) {
    if (page == 1) { window.location.href = "index.shtml"; }
    else { window.location.href = "index_" + page + ".shtml"; }
}
</script></head><body>
<div class="top">今天是<span id="today"></span> 某县人民政府门户网站</div>
<ul class="list">
<li><a href="/c100413/202301/a3f0c2d1e8.shtml" target="_blank" title="某县人民政府2022年政府信息公开工作年度报告">某县人民政府2022年政府信息公开工作...</a><span class="date">2023-01-20</span></li>
<li><a href="javascript:void(0)" onclick="window.open('/c100413/202201/b71e09.shtml')">某县人民政府2021年政府信息公开工作年度报告</a><span class="date">2022-01-25</span></li>
<li><a href="/c100413/202112/c0ffee.shtml">某县2021年政府工作报告</a><span class="date">2021-12-30</span></li>
</ul>
<div class="page"><a href="javascript:void(0)">首页</a> <a href="javascript:void(0)" onclick="goPage(2)">下一页</a>
<a href="javascript:goPage(3)">尾页</a> 共<span>3</span>页</div>
</body></html>"""


def site() -> SiteConfig:
    return SiteConfig(name="t", title="t", family="generic", start_urls=[COLUMN])


def test_gopage_next_link_and_page_count_give_every_page() -> None:
    page = walker_for("generic")(HtmlResponse(COLUMN, body=COUNTY_COLUMN.encode(), encoding="utf-8"), site())
    assert sorted({r.url for r in page.next_requests}) == [
        "http://www.xx.gov.cn/c100413/index_2.shtml", "http://www.xx.gov.cn/c100413/index_3.shtml"]
    reports = [(l.url, l.title, l.date) for l in page.links if is_annual_report_title(l.title)]
    assert reports == [
        ("http://www.xx.gov.cn/c100413/202301/a3f0c2d1e8.shtml", "某县人民政府2022年政府信息公开工作年度报告", "2023-01-20"),
        ("http://www.xx.gov.cn/c100413/202201/b71e09.shtml", "某县人民政府2021年政府信息公开工作年度报告", "2022-01-25"),
    ]


def test_paging_function_body_names_the_pages() -> None:
    script = """function turnPage(n){ location.href = "list.jsp?channelId=12&page=" + n; }"""
    template = page_template(script, "http://x.gov.cn/list.jsp?channelId=12", "turnPage")
    assert template.url("http://x.gov.cn/list.jsp?channelId=12", 4) == "http://x.gov.cn/list.jsp?channelId=12&page=4"
    assert script_page_urls(script, "http://x.gov.cn/list.jsp?channelId=12", ["turnPage('2')"]) == [
        "http://x.gov.cn/list.jsp?channelId=12&page=2"]


def test_without_a_function_pages_are_named_index_n() -> None:
    assert script_page_urls("", "http://x.gov.cn/c9/index_2.shtml", ["javascript:goPage(3)", "goPage(1)"]) == [
        "http://x.gov.cn/c9/index.shtml", "http://x.gov.cn/c9/index_3.shtml"]
    assert page_call("javascript:void(0);") is None and page_call("goPage('0')") is None


def test_page_count_in_a_pager_option() -> None:
    text = """$("#pager").paging({ pageNo: 1, totalPage: 4, totalSize: 60, callback: function(num) {
        window.location.href = 'index_' + num + '.html'; } });"""
    assert page_count(text) == 4
    assert script_page_urls(text, "http://x.gov.cn/col/", []) == [f"http://x.gov.cn/col/index_{n}.html" for n in (2, 3, 4)]


def test_create_page_html_with_its_count_in_a_variable() -> None:
    text = """<script>var countPage = 3; var currentPage = 0;
    createPageHTML(countPage, currentPage, "index", "shtml");</script>"""
    assert create_page_html(text, "http://x.gov.cn/zfxxgknb/") == [
        "http://x.gov.cn/zfxxgknb/index_1.shtml", "http://x.gov.cn/zfxxgknb/index_2.shtml"]
    assert script_page_urls(text, "http://x.gov.cn/zfxxgknb/", []) == create_page_html(text, "http://x.gov.cn/zfxxgknb/")


def test_numbered_links_of_a_picture_switcher_are_not_pages() -> None:
    body = COUNTY_COLUMN.replace('<ul class="list">', """<div class="banner"><a href="javascript:showPic(2)">2</a>
<a href="javascript:void(0)" onclick="tab(3)">3</a></div><ul class="list">""")
    page = walker_for("generic")(HtmlResponse(COLUMN, body=body.encode(), encoding="utf-8"), site())
    assert sorted({r.url for r in page.next_requests}) == [
        "http://www.xx.gov.cn/c100413/index_2.shtml", "http://www.xx.gov.cn/c100413/index_3.shtml"]


@pytest.mark.parametrize("next_link", [
    '<a href="list.jsp?page=2">下一页&gt;</a>', '<a href="list.jsp?page=2">下一页 &gt;&gt;</a>',
    '<a href="list.jsp?page=2">[下一页]</a>', '<a href="list.jsp?page=2">下一页&raquo;</a>',
    '<a href="list.jsp?page=2"><img src="/images/next.gif" alt="下一页"></a>',
    '<a href="list.jsp?page=2" title="下一页"><img src="/images/next.gif"></a>',
])
def test_next_links_as_portals_print_them_outside_a_pager(next_link: str) -> None:
    # the pager's container is named "fy" (分页): nothing in it says "pag"
    html = (f'<html><body><ul class="news"></ul><div class="fy"><a href="list.jsp?page=1">首页</a> {next_link} '
            '<a href="list.jsp?page=9">尾页</a> 共9页</div></body></html>')
    url = "http://www.xx.gov.cn/xxgk/nb/list.jsp"
    page = walker_for("generic")(HtmlResponse(url, body=html.encode(), encoding="utf-8"), site())
    assert [r.url for r in page.next_requests] == [url + "?page=2"]
