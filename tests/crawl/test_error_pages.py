"""Pages a portal answers 200 where a report stood are told from report pages: a real report
page, a page that only links its document, and a scan's page never are."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from harvester.fixtureserver.challenges import challenge, sign_on_page
from harvester.spiders.error_pages import error_page_reason
from storage.gone import is_gone

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"
URL = "http://www.gov.test/art/2023/1/29/art_123_4567.html"


def _response(body: bytes, url: str = URL, redirected_from: str | None = None) -> HtmlResponse:
    request = Request(redirected_from or url, meta={"redirect_urls": [redirected_from]} if redirected_from else {})
    return HtmlResponse(url, body=body, request=request, headers={"Content-Type": "text/html; charset=utf-8"})


@pytest.mark.parametrize(("body", "said"), [
    (challenge("notfound").body, "您访问的页面不存在或已被删除"),
    (challenge("maintenance").body, "系统维护中"),
    (sign_on_page().body, "sign-on form"),
    (b"<html><head><title></title></head><body>\n</body></html>", "empty page"),
    (gzip.compress(challenge("maintenance").body), "gzip-compressed body sent without Content-Encoding"),
])
def test_a_portal_s_error_pages_are_told(body: bytes, said: str) -> None:
    reason = error_page_reason(_response(body), links_documents=False)
    assert reason is not None and said in reason
    # only the page that says it is no more counts toward the report's withdrawal
    assert is_gone(200, reason) is (said == "您访问的页面不存在或已被删除")


def test_a_redirect_to_a_page_without_a_report_is_told() -> None:
    home = "<html><body><div>首页</div><ul><li><a href='/xxgk/'>政府信息公开</a></li></ul></body></html>".encode()
    reason = error_page_reason(_response(home, url="http://www.gov.test/", redirected_from=URL), links_documents=False)
    assert reason == "redirected to http://www.gov.test/, a page without a report: the portal says the page is gone"


def test_report_pages_are_not_error_pages() -> None:
    real = (REAL / "pingtan_2025_portal_page.html").read_bytes()
    assert error_page_reason(_response(real), links_documents=False) is None
    # moved: the report answers at its new address
    assert error_page_reason(_response(real, url="http://www.gov.test/new.html", redirected_from=URL), links_documents=False) is None
    stub = "<html><body><p>2023年政府信息公开工作年度报告</p><p>点击下载：<a href='/a.pdf'>年度报告.pdf</a></p></body></html>"
    assert error_page_reason(_response(stub.encode()), links_documents=True) is None  # the document holds the report
    scan = "<html><body><img src='/1.jpg'></body></html>".encode()
    assert error_page_reason(_response(scan), links_documents=True) is None  # pictures of the pages


def test_a_list_page_answering_an_error_page_is_told_and_an_empty_column_is_not() -> None:
    from harvester.spiders.error_pages import error_list_page_reason

    reason = error_list_page_reason(_response(challenge("maintenance").body, url="http://www.gov.test/col/index_2.html"))
    assert reason is not None and "系统维护中" in reason
    empty_column = "<html><body><div class='nav'>政府信息公开</div><ul class='list'></ul><div>暂无信息</div></body></html>"
    assert error_list_page_reason(_response(empty_column.encode())) is None


def test_a_list_page_in_gbk_labelled_utf8_is_read_in_gbk() -> None:
    from harvester.spiders.error_pages import as_decoded
    from harvester.spiders.walkers.generic import pagination_urls

    body = ("<html><body><ul><li><a href='/art/1.html'>某某局2023年政府信息公开工作年度报告</a></li></ul>"
            "<a href='index_1.html'>下一页</a></body></html>").encode("gbk")
    mislabelled = _response(body, url="http://www.gov.test/col/index.html")
    assert mislabelled.encoding == "utf-8"
    read = as_decoded(mislabelled)
    assert "某某局2023年政府信息公开工作年度报告" in read.text
    assert pagination_urls(mislabelled) == [] and pagination_urls(read) == ["http://www.gov.test/col/index_1.html"]
    assert as_decoded(read) is read


def test_a_list_s_json_or_xml_is_never_taken_for_an_error_page() -> None:
    from scrapy.http import TextResponse, XmlResponse

    from harvester.spiders.error_pages import error_list_page_reason

    json_list = TextResponse("http://www.gov.test/api/list?page=3", body=b'{"data": [], "total": 16}',
                             headers={"Content-Type": "application/json"})
    xml_list = XmlResponse("http://www.gov.test/dataproxy.jsp", body=b"<datastore><recordset></recordset></datastore>")
    assert error_list_page_reason(json_list) is None and error_list_page_reason(xml_list) is None
