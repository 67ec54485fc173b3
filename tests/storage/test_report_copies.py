"""One report published on several pages: the agency's own page and the city portal's copy, or
a page on one site and a PDF on another. Each page is compared with what it showed last: the
copies are read differently (chrome, paragraphs, a file instead of a page), and compared with
the report's latest version whichever page that came from, each copy had made a version
"reverted to" the other's on every crawl."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from parsers.hints import ReportHints
from storage.archive import Archive
from storage.capture import CaptureInput, Resource
from storage.models import Report, ReportEvent, ReportUrl, Version
from tests.storage.conftest import T0, page, parse_outcome

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"
TITLE = "淄博经济开发区2020年政府信息公开工作年度报告"
AGENCY_PAGE = "http://www.zbjkq.gov.cn/art/2021/1/28/art_101_4398.html"
CITY_PAGE = "http://www.zibo.gov.cn/art/2021/2/3/art_2060_77.html"
CITY_FILE = "http://www.zibo.gov.cn/module/download/77.pdf"
CORRECTION = ("本报告是根据", "本报告系根据")


def agency_page(minutes: int, corrected: bool = False) -> CaptureInput:
    """The agency's page: the report is the page's text."""
    data = (DOCUMENTS / "000_9d093eecd5b1c4d3.html").read_text(encoding="utf-8")
    if corrected:
        data = data.replace(*CORRECTION)
    body = data.encode("utf-8")
    return CaptureInput(site="zbjkq", page=page(AGENCY_PAGE, body, minutes=minutes), listing_title=TITLE,
                        parse=parse_outcome(body, ReportHints(title=TITLE, source_url=AGENCY_PAGE), filename="art_101_4398.html"))


def city_copy(minutes: int, url: str = CITY_PAGE, file_url: str = CITY_FILE) -> CaptureInput:
    """The city portal's copy: a page linking the report as a PDF."""
    pdf = (DOCUMENTS / "000_9d093eecd5b1c4d3.pdf").read_bytes()
    wrapper = (f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><div id='zoom'>"
               f"<p>附件：<a href='{file_url}'>{TITLE}.pdf</a></p></div></body></html>").encode("utf-8")
    attachment = Resource(url=file_url, http_status=200, fetched_at=T0 + timedelta(minutes=minutes), body=pdf,
                          content_type="application/pdf")
    parse = parse_outcome(pdf, ReportHints(title=TITLE, source_url=url), filename="77.pdf")
    parse.document_url = file_url
    return CaptureInput(site="zibo", page=page(url, wrapper, minutes=minutes), attachments=[attachment],
                        listing_title=TITLE, parse=parse)


def versions(archive: Archive) -> list[tuple[int, str, int | None]]:
    with archive.session() as session:
        return [tuple(row) for row in session.execute(
            sa.select(Version.version_no, Version.page_url, Version.reverted_to).order_by(Version.version_no))]


def latest_version(archive: Archive) -> int:
    with archive.session() as session:
        return session.scalar(sa.select(Version.version_no).join(Report, Report.latest_version_id == Version.id))


def events(archive: Archive) -> list[str]:
    with archive.session() as session:
        return list(session.scalars(sa.select(ReportEvent.kind).order_by(ReportEvent.id)))


def test_two_copies_crawled_day_after_day_make_no_versions_of_each_other(archive: Archive) -> None:
    outcomes = []
    for day in range(3):
        outcomes.append(archive.record(agency_page(day * 1440)).outcome)
        outcomes.append(archive.record(city_copy(day * 1440 + 30)).outcome)
    assert outcomes == ["new_report", "new_version", "unchanged", "unchanged", "unchanged", "unchanged"]
    assert versions(archive) == [(1, AGENCY_PAGE, None), (2, CITY_PAGE, None)]
    assert "reverted" not in events(archive)
    assert latest_version(archive) == 2


def test_a_copy_corrected_is_a_version_and_the_copy_left_behind_does_not_undo_it(archive: Archive) -> None:
    archive.record(agency_page(0))
    archive.record(city_copy(30))
    assert archive.record(agency_page(1440, corrected=True)).outcome == "new_version"
    assert archive.record(city_copy(1470)).outcome == "unchanged"
    assert archive.record(agency_page(2880, corrected=True)).outcome == "unchanged"
    assert versions(archive) == [(1, AGENCY_PAGE, None), (2, CITY_PAGE, None), (3, AGENCY_PAGE, None)]
    assert latest_version(archive) == 3


def test_a_page_going_back_to_what_it_showed_before_is_still_a_version(archive: Archive) -> None:
    archive.record(agency_page(0))
    archive.record(city_copy(30))
    archive.record(agency_page(1440, corrected=True))
    assert archive.record(agency_page(2880)).outcome == "new_version"
    assert versions(archive)[-1] == (4, AGENCY_PAGE, 1)
    assert events(archive).count("reverted") == 1
    assert archive.record(city_copy(2910)).outcome == "unchanged"
    assert latest_version(archive) == 4


def test_a_copy_found_later_showing_the_old_text_is_no_version(archive: Archive) -> None:
    archive.record(agency_page(0))
    archive.record(agency_page(1440, corrected=True))
    mirror = "http://www.shandong.gov.cn/art/2021/2/9/art_1_5.html"
    stale = agency_page(2880)
    stale.site, stale.page = "shandong", page(mirror, stale.page.body, minutes=2880)
    assert archive.record(stale).outcome == "unchanged"
    assert [v[:2] for v in versions(archive)] == [(1, AGENCY_PAGE), (2, AGENCY_PAGE)]
    assert latest_version(archive) == 2
    with archive.session() as session:
        assert mirror in set(session.scalars(sa.select(ReportUrl.url)))


def portal_copy(minutes: int) -> CaptureInput:
    """The city portal's own page of the report: its text pasted into the portal's template,
    one phrase worded otherwise by the city's editor."""
    data = (DOCUMENTS / "000_9d093eecd5b1c4d3.html").read_text(encoding="utf-8").replace("本报告是根据", "本报告根据")
    start, end = data.index('<div id="zoom"'), data.rindex("</body>")
    body = (f"<html><head><meta charset='utf-8'><title>{TITLE}_淄博市人民政府</title></head><body>"
            f"<div class='crumb'>首页 &gt; 政务公开 &gt; 年报</div>{data[start:end]}"
            "<div class='foot'>主办：淄博市人民政府办公室</div></body></html>").encode("utf-8")
    return CaptureInput(site="zibo", page=page(CITY_PAGE, body, minutes=minutes), listing_title=TITLE,
                        parse=parse_outcome(body, ReportHints(title=TITLE, source_url=CITY_PAGE), filename="art_2060_77.html"))


def test_a_page_is_asked_for_again_by_what_it_showed_not_by_its_copy(archive: Archive) -> None:
    archive.record(agency_page(0))
    assert archive.record(portal_copy(30)).outcome == "new_version"
    # The agency's page as it was: nothing to confirm. Compared with the copy, the latest
    # version, its paragraphs differed (chrome, the title printed otherwise) and every crawl
    # fetched it twice and taught its site chrome by another site's page.
    assert archive.confirmation_needed(agency_page(1440)) is False
    assert archive.record(agency_page(1440)).outcome == "unchanged"
    assert archive.confirmation_needed(portal_copy(1470)) is False


def test_a_page_moved_to_https_is_the_same_page_and_going_back_is_a_version(archive: Archive) -> None:
    archive.record(agency_page(0))
    moved = AGENCY_PAGE.replace("http://", "https://")

    def at_https(capture: CaptureInput) -> CaptureInput:
        capture.page = page(moved, capture.page.body, minutes=int((capture.page.fetched_at - T0).total_seconds() // 60))
        return capture

    assert archive.record(at_https(agency_page(1440, corrected=True))).outcome == "new_version"
    assert archive.record(at_https(agency_page(2880))).outcome == "new_version"
    assert versions(archive) == [(1, AGENCY_PAGE, None), (2, moved, None), (3, moved, 1)]
    assert latest_version(archive) == 3


def test_a_copy_on_another_page_is_no_revision_a_page_that_changed_is(archive: Archive) -> None:
    from storage.query import QueryFilters, run_query

    def revised() -> list[int]:
        with archive.session() as session:
            return [row.report_id for row in run_query(session, QueryFilters(where=[], changed_after_publication=True))]

    archive.record(agency_page(0))
    archive.record(city_copy(30))
    assert versions(archive)[-1][0] == 2 and revised() == []
    archive.record(agency_page(1440, corrected=True))
    assert revised() == [1]


def test_a_copy_found_on_another_page_is_announced_as_such_a_revision_as_a_change(archive: Archive) -> None:
    from datetime import date

    from storage.watch import run_events

    def crawl(capture: CaptureInput) -> list[str]:
        run = archive.start_run(capture.site)
        capture.run_id = run
        archive.record(capture)
        archive.finish_run(run, "ok", {"reports_found": 1})
        with archive.session() as session:
            return [e.summary.split(":")[0] for e in run_events(session, [run], today=date(2021, 3, 1)) if e.kind == "new_version"]

    crawl(agency_page(0))
    assert crawl(city_copy(30)) == ["报告另见于新页面 / report found on another page"]
    assert crawl(agency_page(1440, corrected=True)) == ["报告已修改 / report changed"]
