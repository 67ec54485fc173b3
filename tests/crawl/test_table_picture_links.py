"""Which pictures of a report page the spider fetches as possible tables (harvester/spiders/pictures.py)."""

from __future__ import annotations

import io

from PIL import Image
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from harvester.spiders.pictures import left_out, picture_urls, worth_keeping
from parsers.extract.page_images import body_images, fetched_pictures, images_by_src

PAGE = """<html><head><title>2023年政府信息公开工作年度报告</title></head><body>
<div class="header"><img src="/images/logo.png"></div>
<div id="zoom"><p>某县2023年政府信息公开工作年度报告。本报告由总体情况、主动公开政府信息情况等部分组成。</p>
<p><img src="table3.png"></p>
<p><img src="/res/print.gif" width="16" height="16"><img src="data:image/png;base64,iVBORw0KGgo="></p>
<p><img src="https://files.example.gov.cn/up/table4.jpg" width="640"></p>
<p><img src="http://elsewhere.example.com/banner.png"></p>
<p><img src="table3.png"></p>
</div>
<div class="footer"><img src="/images/police.png"></div>
</body></html>"""
URL = "http://www.example.gov.cn/col/2024/report.html"


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def test_the_pictures_of_the_report_body_are_named_once_in_page_order_icons_left_out() -> None:
    found = body_images(PAGE.encode(), URL)
    assert [(image.src, image.url) for image in found] == [
        ("table3.png", "http://www.example.gov.cn/col/2024/table3.png"),
        ("https://files.example.gov.cn/up/table4.jpg", "https://files.example.gov.cn/up/table4.jpg"),
        ("http://elsewhere.example.com/banner.png", "http://elsewhere.example.com/banner.png"),
    ]


def test_the_spider_fetches_only_pictures_on_the_crawls_hosts_up_to_its_limit() -> None:
    response = HtmlResponse(URL, body=PAGE.encode(), encoding="utf-8", request=Request(URL))

    def on_site(url: str) -> bool:
        return "example.gov.cn" in url

    assert picture_urls(response, on_site, 20) == ["http://www.example.gov.cn/col/2024/table3.png",
                                                   "https://files.example.gov.cn/up/table4.jpg"]
    assert picture_urls(response, on_site, 1) == ["http://www.example.gov.cn/col/2024/table3.png"]
    assert picture_urls(response, on_site, 0) == []


def test_a_fetched_picture_is_kept_only_when_its_header_says_it_can_hold_a_table() -> None:
    def answer(body: bytes, status: int = 200) -> HtmlResponse:
        return HtmlResponse(URL, status=status, body=body, request=Request(URL))

    assert worth_keeping(answer(_png(600, 300)))
    assert not worth_keeping(answer(_png(1, 1)))
    assert not worth_keeping(answer(b"<html>not found</html>"))
    assert worth_keeping(answer(b"", status=304))


def test_the_parser_gets_the_fetched_pictures_by_the_src_the_page_writes() -> None:
    table = _png(600, 300)
    bodies = {"http://www.example.gov.cn/col/2024/table3.png": table,
              "http://www.example.gov.cn/col/2024/report.pdf": b"%PDF-1.7 ..."}
    assert images_by_src(fetched_pictures(PAGE.encode(), URL, bodies)) == {"table3.png": table}
    assert fetched_pictures(PAGE.encode(), URL, {"http://www.example.gov.cn/col/2024/report.pdf": b"%PDF-1.7"}) == {}


def test_a_picture_gone_from_the_server_or_past_the_size_limit_is_left_out_other_failures_are_not() -> None:
    def http(status: int) -> Failure:
        return Failure(HttpError(HtmlResponse(URL, status=status, body=b"", request=Request(URL))))

    assert left_out(http(404)) and left_out(http(410))
    assert left_out(Failure(DownloadCancelledError("expected size larger than download max size")))
    assert not left_out(http(503))
    assert not left_out(Failure(DownloadTimeoutError("took longer than 30 seconds")))
