"""Each family's walker over saved list pages: the links it lists and the pages it asks for next."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from conftest import saved_response
from scrapy.http import HtmlResponse

from harvester.siteconfig import SiteConfig
from harvester.spiders.walkers import walker_for
from harvester.spiders.walkers.hanweb import PAGING_META
from parsers.title import is_annual_report_title


def site(family: str, **extra) -> SiteConfig:  # type: ignore[no-untyped-def]
    return SiteConfig(name="t", title="t", family=family, start_urls=["http://gov.test/"], **extra)


def test_hanweb_column_page_reads_inline_records_and_asks_dataproxy_for_the_rest() -> None:
    response = saved_response("hanweb_column.html", "http://gov.test/col/col56789/index.html")
    page = walker_for("hanweb")(response, site("hanweb"))
    assert [(l.url, l.title, l.date) for l in page.links] == [
        ("http://gov.test/art/2021/1/28/art_56789_1001.html", "威海经济技术开发区2020年政府信息公开工作年度报告", "2021-01-28"),
        # the title attribute wins over the truncated link text
        ("http://gov.test/art/2020/1/20/art_56789_1000.html", "威海经济技术开发区2019年政府信息公开工作年度报告", "2020-01-20"),
    ]
    [request] = page.next_requests
    query = parse_qs(urlsplit(request.url).query)
    assert urlsplit(request.url).path == "/module/web/jpage/dataproxy.jsp"
    assert (query["startrecord"], query["endrecord"], query["perpage"]) == (["3"], ["4"], ["2"])
    assert request.method == "POST"
    form = parse_qs(request.body.decode())
    assert form["columnid"] == ["56789"] and form["unitid"] == ["12345"] and form["webid"] == ["37"]


def test_hanweb_dataproxy_pages_until_totalrecord() -> None:
    form = {"columnid": "56789", "unitid": "12345", "webid": "37"}
    url = "http://gov.test/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&perpage=2"
    response = saved_response("hanweb_dataproxy.xml", url, {PAGING_META: {"form": form, "start": 3, "perpage": 2}})
    page = walker_for("hanweb")(response, site("hanweb"))
    assert [l.title for l in page.links] == ["威海经济技术开发区2018年政府信息公开工作年度报告", "2018年统计年报"]
    [request] = page.next_requests
    assert "startrecord=5&endrecord=6" in request.url
    last = saved_response("hanweb_dataproxy.xml", url, {PAGING_META: {"form": form, "start": 5, "perpage": 2}})
    assert walker_for("hanweb")(last, site("hanweb")).next_requests == []


def test_trs_first_page_lists_every_other_page_from_createPageHTML() -> None:
    response = saved_response("trs_index.html", "http://gov.test/xxgk/ndbg/index.html")
    page = walker_for("trs")(response, site("trs"))
    assert [r.url for r in page.next_requests] == ["http://gov.test/xxgk/ndbg/index_1.html", "http://gov.test/xxgk/ndbg/index_2.html"]
    assert page.links[0].url == "http://gov.test/xxgk/ndbg/202101/t20210129_7001.html"
    assert page.links[0].date == "2021-01-29"
    later = saved_response("trs_index.html", "http://gov.test/xxgk/ndbg/index_1.html")
    assert walker_for("trs")(later, site("trs")).next_requests == []


def test_shandong_channel_page_finds_the_json_endpoint_and_pages_through_it() -> None:
    channel = saved_response("shandong_channel.html", "http://gov.test/gongkai/site_zbjkq/channel_77/")
    page = walker_for("shandong")(channel, site("shandong"))
    [request] = page.next_requests
    assert request.url == "http://gov.test/api/channel/list?channel=77&page=1"
    listing = saved_response("shandong_list.json", request.url, request.meta)
    page = walker_for("shandong")(listing, site("shandong"))
    assert [(l.url, l.date) for l in page.links][0] == ("http://gov.test/gongkai/site_zbjkq/channel_77/doc_ab12.html", "2021-01-30")
    assert [r.url for r in page.next_requests] == ["http://gov.test/api/channel/list?channel=77&page=2"]


def test_shandong_endpoint_from_config_wins() -> None:
    channel = saved_response("shandong_channel.html", "http://gov.test/gongkai/site_zbjkq/channel_77/")
    page = walker_for("shandong")(channel, site("shandong", params={"list_api": "/other/list.json?p={page}"}))
    assert [r.url for r in page.next_requests] == ["http://gov.test/other/list.json?p=1"]


def test_generic_walker_follows_pagination_and_lists_candidates() -> None:
    response = saved_response("generic_list.html", "http://gov.test/list/xxgknb.html")
    page = walker_for("generic")(response, site("generic"))
    assert sorted({r.url for r in page.next_requests}) == ["http://gov.test/list/xxgknb.html", "http://gov.test/list/xxgknb_2.html"]
    reports = [l for l in page.links if is_annual_report_title(l.title)]
    assert [(l.url, l.date) for l in reports] == [("http://gov.test/content/post_3001.html", "2021-01-27")]


def test_selector_overrides_narrow_the_links() -> None:
    response = saved_response("generic_list.html", "http://gov.test/list/xxgknb.html")
    page = walker_for("generic")(response, site("generic", selectors={"list_links": "table.news a", "next_page": "div.pagination a:last-child"}))
    assert len(page.links) == 2
    assert [r.url for r in page.next_requests] == ["http://gov.test/list/xxgknb_2.html"]


def test_attachment_links_of_a_report_page() -> None:
    from scrapy.http import HtmlResponse

    from harvester.attachments import attachment_name
    from harvester.spiders.reportpage import attachment_urls

    body = """<div id="zoom"><p>附件：<a href="/module/download/downfile.jsp?classid=0&amp;filename=6aa6.docx">报告</a></p>
    <p><A HREF='./P020210317.pdf' OLDSRC="/protect/P020210317.pdf">PDF</A> <a href="./P020210317.pdf">again</a></p>
    <a href="/art/2021/1/1/art_1_2.html">另一篇</a> <a href="javascript:void(0)">打印</a></div>""".encode()
    response = HtmlResponse("http://gov.test/col/202103/t20210317_1.html", body=body, encoding="utf-8")
    assert attachment_urls(response) == [
        "http://gov.test/module/download/downfile.jsp?classid=0&filename=6aa6.docx",
        "http://gov.test/col/202103/P020210317.pdf",
    ]
    assert attachment_urls(response, "a[OLDSRC]") == ["http://gov.test/col/202103/P020210317.pdf"]
    assert attachment_urls(response, body_css="p:first-child") == [
        "http://gov.test/module/download/downfile.jsp?classid=0&filename=6aa6.docx"
    ]
    assert attachment_name("http://gov.test/module/download/downfile.jsp?classid=0&filename=6aa6.docx") == "6aa6.docx"
    assert attachment_name("http://gov.test/a/%E5%B9%B4%E6%8A%A5.wps") == "年报.wps"
    assert attachment_name("http://gov.test/a/index.html") is None


SPLIT_COLUMN = """<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/xxgk/">政府信息公开</a><a href="/hdjl/index.html">互动交流</a></div>
<div class="subcol"><ul><li><a href="qzf/index.html">区政府</a></li><li><a href="./bm/">区直部门</a></li>
<li><a href="zj/index.shtml">镇街道</a></li></ul></div>
<div class="side"><a href="t20230101_1.html">关于开展政务公开培训的通知</a><a href="../zcjd/index.html">政策解读</a>
<a href="zt/index.html">学习贯彻新修订政府信息公开条例专题</a></div>
</body></html>"""


def test_a_column_split_into_columns_leads_to_each() -> None:
    url = "http://www.xx.gov.cn/xxgk/nb/index.html"
    page = walker_for("generic")(HtmlResponse(url, body=SPLIT_COLUMN.encode(), encoding="utf-8"), site("generic"))
    assert [r.url for r in page.next_requests] == [
        "http://www.xx.gov.cn/xxgk/nb/qzf/index.html", "http://www.xx.gov.cn/xxgk/nb/bm/", "http://www.xx.gov.cn/xxgk/nb/zj/index.shtml"]


def test_a_column_listing_reports_or_at_the_site_root_leads_to_no_other_column() -> None:
    listing = SPLIT_COLUMN.replace("</ul></div>", '</ul></div><a href="2023/t1.html">某区2022年政府信息公开工作年度报告</a>')
    url = "http://www.xx.gov.cn/xxgk/nb/index.html"
    page = walker_for("generic")(HtmlResponse(url, body=listing.encode(), encoding="utf-8"), site("generic"))
    assert page.next_requests == []
    root = walker_for("generic")(HtmlResponse("http://www.xx.gov.cn/index.html", body=SPLIT_COLUMN.encode(), encoding="utf-8"),
                                 site("generic"))
    assert root.next_requests == []
