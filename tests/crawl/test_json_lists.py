"""Columns whose script fetches the list as JSON, in the shapes platforms answer with: JSONP,
a list of TRS-style objects, a jpaas answer carrying the list's HTML."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from harvester.siteconfig import SiteConfig
from harvester.spiders.walkers import walker_for
from harvester.spiders.walkers.json_lists import api_request

COLUMN = "http://www.xx.gov.cn/xxgk/nb/index.html"
TITLE = "某县人民政府{year}年政府信息公开工作年度报告"
# The column page: an empty list its script fills from /api/list.do, a page at a time.
COLUMN_PAGE = """<html><head><meta charset="utf-8"></head><body><ul id="list"></ul><div id="pager"></div>
<script>
function loadPage(pageNo){var s=document.createElement('script');
 s.src='/api/list.do?channelId=88&pageSize=2&callback=render&pageNo='+pageNo;document.body.appendChild(s);}
loadPage(1);
</script></body></html>"""


def _site(family: str) -> SiteConfig:
    return SiteConfig(name="t", title="t", family=family, start_urls=[COLUMN])


def _answer(request: Request, body: str, content_type: str = "application/javascript") -> TextResponse:
    return TextResponse(request.url, body=body.encode(), encoding="utf-8", headers={"Content-Type": content_type},
                        request=request)


def _shapes(year: int) -> dict[str, str]:
    title, url = TITLE.format(year=year), f"/xxgk/nb/content/post_{year}.html"
    return {
        "jsonp": "render(" + json.dumps({"data": {"list": [{"title": title, "url": url, "publishTime": f"{year + 1}-03-01"}],
                                                  "totalPage": 2}}, ensure_ascii=False) + ");",
        "trs": json.dumps({"DATA": [{"DOCTITLE": title, "DOCPUBURL": url, "DOCRELTIME": f"{year + 1}-03-01"}],
                           "PAGECOUNT": 2}, ensure_ascii=False),
        "html": json.dumps({"success": True, "data": {"html": f'<li><a href="{url}" title="{title}">{title[:12]}…</a>'
                                                              f"<span>{year + 1}-03-01</span></li>", "totalPage": 2}},
                           ensure_ascii=False),
    }


@pytest.mark.parametrize("family", ["generic", "shandong"])
@pytest.mark.parametrize("shape", ["jsonp", "trs", "html"])
def test_the_script_s_json_list_is_read_page_by_page(family: str, shape: str) -> None:
    walk = walker_for(family)
    column = walk(HtmlResponse(COLUMN, body=COLUMN_PAGE.encode(), encoding="utf-8", request=Request(COLUMN)), _site(family))
    first = [r for r in column.next_requests if "/api/list.do" in r.url]
    assert [r.url for r in first] == ["http://www.xx.gov.cn/api/list.do?channelId=88&pageSize=2&callback=render&pageNo=1"]

    page1 = walk(_answer(first[0], _shapes(2022)[shape]), _site(family))
    assert [(link.url, link.title, link.date) for link in page1.links] == [
        ("http://www.xx.gov.cn/xxgk/nb/content/post_2022.html", TITLE.format(year=2022), "2023-03-01")]
    assert [r.url for r in page1.next_requests] == [first[0].url.replace("pageNo=1", "pageNo=2")]
    page2 = walk(_answer(page1.next_requests[0], _shapes(2021)[shape]), _site(family))
    assert [link.title for link in page2.links] == [TITLE.format(year=2021)]
    assert page2.next_requests == []  # the page count is reached


def test_a_start_url_answering_json_is_read_not_failed_on() -> None:
    # a start URL set to the JSON endpoint itself (or a rendered page's answer that is JSON)
    request = Request("http://www.xx.gov.cn/api/list.do?pageNo=1")
    page = walker_for("generic")(_answer(request, _shapes(2022)["html"], "application/json"), _site("generic"))
    assert [link.title for link in page.links] == [TITLE.format(year=2022)]


def test_an_answer_that_is_not_json_lists_nothing() -> None:
    request = api_request("/api/list.do?pageNo={page}", COLUMN, 3)
    page = walker_for("generic")(_answer(request, "<html>服务器忙，请稍后再试</html>", "text/html"), _site("generic"))
    assert (page.links, page.next_requests) == ([], [])
