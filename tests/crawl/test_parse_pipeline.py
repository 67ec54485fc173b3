"""The parse step on its own: which document of a capture is the report, the hints it gets,
and what an unreadable document leaves behind."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from harvester.items import ReportItem, Resource
from harvester.pipelines.capture_parse import needs_parse, parse_capture, parse_capture_run
from harvester.siteconfig import SiteConfig

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
SITE = SiteConfig(name="t", title="t", family="trs", start_urls=["http://gov.test/"], agency="默认机关", region="山东省淄博市")
LINK_PAGE = """<html><head><meta charset="utf-8"><meta name="PubDate" content="2021-03-17 09:30">
<meta name="ContentSource" content="淄博市张店区机关事务服务中心"></head><body>
<h1>淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告</h1>
<div class="TRS_Editor"><p>附件：<a href="./P0202103.docx">年度报告.docx</a></p></div></body></html>""".encode()


def resource(url: str, body: bytes | None, status: str = "ok", content_type: str | None = None) -> Resource:
    return Resource(url=url, http_status=200 if status == "ok" else 304, fetched_at=datetime.now(UTC),
                    body=body, content_type=content_type, status=status)  # type: ignore[arg-type]


def capture(page: Resource, *attachments: Resource) -> ReportItem:
    return ReportItem(site="t", page=page, attachments=list(attachments),
                      listing_title="淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告", listing_date="2021-03-17")


def test_a_page_that_only_links_the_report_makes_the_attachment_the_document() -> None:
    docx = (DOCUMENTS / "002_133ea6e3b8938548.docx").read_bytes()
    item = capture(resource("http://gov.test/a.html", LINK_PAGE, content_type="text/html"),
                   resource("http://gov.test/P0202103.docx", docx))
    outcome = parse_capture(item, SITE, {"http://gov.test/a.html": LINK_PAGE, "http://gov.test/P0202103.docx": docx})
    assert outcome.error is None and outcome.document_url == "http://gov.test/P0202103.docx"
    assert outcome.report["metadata"]["agency"] == "淄博市张店区机关事务服务中心"
    assert outcome.report["metadata"]["year"] == 2020
    assert outcome.report["tables"]["applications"]["rows"]
    # the attachment is read with what the page and listing said about it
    assert outcome.hints.page_meta.get("ContentSource") == "淄博市张店区机关事务服务中心"
    assert outcome.hints.region == "山东省淄博市" and outcome.hints.publish_date == "2021-03-17"


def test_a_report_in_the_page_body_is_the_document_itself() -> None:
    page = (DOCUMENTS / "001_edb62deb526a149a.html").read_bytes()
    item = capture(resource("http://gov.test/b.html", page, content_type="text/html; charset=utf-8"))
    outcome = parse_capture(item, SITE, {"http://gov.test/b.html": page})
    assert outcome.document_url == "http://gov.test/b.html" and outcome.error is None
    assert len(outcome.report["sections"]) == 6
    assert len(outcome.fingerprint) == 64


def test_an_unreadable_attachment_is_kept_with_its_error() -> None:
    garbage = (Path(__file__).resolve().parents[2] / "fixtures" / "malformed" / "truncated.docx").read_bytes()
    item = capture(resource("http://gov.test/a.html", LINK_PAGE, content_type="text/html"),
                   resource("http://gov.test/P0202103.docx", garbage))
    outcome = parse_capture(item, SITE, {"http://gov.test/a.html": LINK_PAGE, "http://gov.test/P0202103.docx": garbage})
    assert outcome.document_url == "http://gov.test/P0202103.docx"
    assert outcome.report is None and outcome.error.startswith("P0202103.docx: ")
    assert "\n" not in outcome.error


def test_only_captures_with_new_bytes_are_parsed() -> None:
    page_304 = resource("http://gov.test/a.html", None, status="not_modified")
    assert not needs_parse(capture(page_304, resource("http://gov.test/x.docx", None, status="not_modified")))
    assert needs_parse(capture(page_304, resource("http://gov.test/x.docx", b"PK...")))
    assert needs_parse(capture(resource("http://gov.test/a.html", LINK_PAGE)))
    blocked = Resource(url="http://gov.test/a.html", http_status=412, fetched_at=datetime.now(UTC), status="blocked")
    assert not needs_parse(capture(blocked))


def test_a_wrapper_page_whose_header_prints_the_time_keeps_one_fingerprint() -> None:
    # a county page: the body finder takes the header's clock in with the one-line body
    def page(now: str) -> bytes:
        return f"""<html><head><meta charset="utf-8"></head><body>
<div class="top">某县人民政府门户网站|今天是{now}</div>
<div class="content"><p>附件：<a href="javascript:void(0)" onclick="downloadFile('/uploadfile/a.docx')">年度报告.docx</a></p></div>
</body></html>""".encode()

    docx = (DOCUMENTS / "002_133ea6e3b8938548.docx").read_bytes()
    outcomes = []
    for now in ("2026-11-30 02:23:51", "2026-12-01 08:00:02"):
        item = capture(resource("http://gov.test/c1/202101/ab.shtml", page(now), content_type="text/html"),
                       resource("http://gov.test/uploadfile/a.docx", docx))
        outcomes.append(parse_capture(item, SITE, {"http://gov.test/c1/202101/ab.shtml": page(now),
                                                   "http://gov.test/uploadfile/a.docx": docx}))
    assert outcomes[0].fingerprint == outcomes[1].fingerprint
    assert outcomes[0].report["metadata"]["agency"] == "淄博市张店区机关事务服务中心"


def visited(count: int) -> bytes:
    """A report page as its portal serves it, the footer counting visits."""
    page = (DOCUMENTS / "001_edb62deb526a149a.html").read_bytes()
    return page.replace(b"</body>", f'<div class="footer"><p>您是本站第{count}位访问者</p></div></body>'.encode())


def test_a_second_fetch_whose_page_reads_as_the_same_document_takes_the_first_parse() -> None:
    url = "http://gov.test/b.html"
    item = capture(resource(url, visited(1041), content_type="text/html; charset=utf-8"))
    item.parse = parse_capture(item, SITE, {url: visited(1041)})

    again = parse_capture_run(item, SITE, {url: visited(1042)}, earlier_page=visited(1041))
    assert again.earlier and again.outcome is item.parse
    # what it stands for: parsed anew, the second fetch says the same
    assert parse_capture(capture(item.page), SITE, {url: visited(1042)}) == item.parse


def test_a_second_fetch_whose_report_changed_or_read_with_other_hints_is_parsed_again() -> None:
    url = "http://gov.test/b.html"
    item = capture(resource(url, visited(1041), content_type="text/html; charset=utf-8"))
    item.parse = parse_capture(item, SITE, {url: visited(1041)})

    changed = parse_capture_run(item, SITE, {url: visited(1042).replace("无。".encode(), "有。".encode(), 1)},
                                earlier_page=visited(1041))
    assert not changed.earlier and changed.outcome != item.parse
    retitled = replace(item, listing_title="淄博市张店区机关事务服务中心2021年政府信息公开工作年度报告")
    other_hints = parse_capture_run(retitled, SITE, {url: visited(1042)}, earlier_page=visited(1041))
    assert not other_hints.earlier and other_hints.outcome.hints != item.parse.hints
    # without the first fetch's bytes there is nothing to tell the pages the same by
    assert not parse_capture_run(item, SITE, {url: visited(1042)}).earlier


def test_a_report_read_from_an_attachment_is_not_taken_for_a_second_fetch_of_the_page() -> None:
    # the page's document does not decide the parse alone: the attachments it links do
    docx = (DOCUMENTS / "002_133ea6e3b8938548.docx").read_bytes()
    item = capture(resource("http://gov.test/a.html", LINK_PAGE, content_type="text/html"),
                   resource("http://gov.test/P0202103.docx", docx))
    bodies = {"http://gov.test/a.html": LINK_PAGE, "http://gov.test/P0202103.docx": docx}
    item.parse = parse_capture(item, SITE, bodies)
    assert item.parse.document_url == "http://gov.test/P0202103.docx"
    counted = LINK_PAGE.replace(b"</body>", '<div class="footer"><p>您是本站第1042位访问者</p></div></body>'.encode())
    again = parse_capture_run(item, SITE, {**bodies, "http://gov.test/a.html": counted}, earlier_page=LINK_PAGE)
    assert not again.earlier and again.outcome == item.parse
