"""Reverts, withdrawals and restorations are events of a report, and queryable."""

from __future__ import annotations

import sqlalchemy as sa
from scrapy.http import HtmlResponse, Request

from harvester.fixtureserver.challenges import challenge
from harvester.spiders.error_pages import error_page_reason
from storage.archive import Archive
from storage.capture import CaptureInput
from storage.events import events
from storage.models import Capture, Report, ReportEvent, ReportUrl, Version
from storage.query import QueryFilters, run_query
from tests.storage.conftest import SEED_ZHANGDIAN_2023, SEED_ZIBO, T0, capture_of, page

REVISED = ("\t行政许可\n\t0\n\t50\n", "\t行政许可\n\t0\n\t51\n")


def kinds(archive: Archive) -> list[tuple[int, str, dict]]:
    with archive.session() as session:
        return [(e.report_id, e.kind, e.detail) for e in session.scalars(sa.select(ReportEvent).order_by(ReportEvent.id))]


def test_going_back_to_earlier_content_is_a_new_version_marked_reverted(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    archive.record(capture_of(data.replace(REVISED[0].encode(), REVISED[1].encode(), 1), minutes=5))
    back = archive.record(capture_of(data, minutes=10))
    assert (back.outcome, back.version_no) == ("new_version", 3)
    assert archive.record(capture_of(data, minutes=15)).outcome == "unchanged"
    with archive.session() as session:
        assert session.get(Version, back.version_id).reverted_to == 1
        assert session.get(Report, back.report_id).latest_version_id == back.version_id
    assert kinds(archive) == [(back.report_id, "reverted", {"reverted_to": 1})]
    # The latest numbers are the portal's again: 50, not the revision's 51.
    with archive.session() as session:
        [row] = run_query(session, QueryFilters(where=[], changed_after_publication=True))
    assert row.version_no == 3
    with archive.session() as session:
        value = session.execute(sa.text(
            "select value from cells where version_id = :v and table_name = 'active_disclosure' "
            "and row_key = '行政许可' and column_key = '本年增/减'"), {"v": back.version_id}).scalar()
    assert value == 50


def _crawl(archive: Archive, captures: list[CaptureInput]) -> int:
    run_id = archive.start_run("testsite")
    for capture in captures:
        capture.run_id = run_id
        archive.record(capture)
    archive.finish_run(run_id, "ok", {})
    archive.mark_withdrawals(run_id)
    return run_id


def _gone(url: str, minutes: int) -> CaptureInput:
    return CaptureInput(site="testsite", page=page(url, None, minutes=minutes, http_status=404, status="error", error="HTTP 404"))


def test_a_report_missing_from_its_column_is_withdrawn_and_restored_when_back(archive: Archive, seed) -> None:
    zibo, zhangdian = seed(SEED_ZIBO), seed(SEED_ZHANGDIAN_2023)
    _crawl(archive, [capture_of(zibo, "http://gov.test/a.html"), capture_of(zhangdian, "http://gov.test/b.html")])
    _crawl(archive, [capture_of(zibo, "http://gov.test/a.html", minutes=5)])
    with archive.session() as session:
        zhangdian_id = session.scalars(sa.select(Report.id).where(Report.year == 2023)).one()
        assert [e.kind for e in events(session, ("withdrawn",), current_withdrawals=True)] == ["withdrawn"]
    assert kinds(archive) == [(zhangdian_id, "withdrawn", {"reason": "no longer listed in its column"})]
    with archive.session() as session:
        assert [r.report_id for r in run_query(session, QueryFilters(withdrawn=True))] == [zhangdian_id]

    _crawl(archive, [capture_of(zibo, "http://gov.test/a.html", minutes=9), capture_of(zhangdian, "http://gov.test/b.html", minutes=9)])
    assert [k for _, k, _ in kinds(archive)] == ["withdrawn", "restored"]
    with archive.session() as session:
        assert run_query(session, QueryFilters(withdrawn=True)) == []


def test_a_withdrawn_report_seen_again_unchanged_is_restored_whether_its_page_answered_304_or_the_same_bytes(
        archive: Archive, seed) -> None:
    zibo, zhangdian = seed(SEED_ZIBO), seed(SEED_ZHANGDIAN_2023)
    a, b = "http://gov.test/a.html", "http://gov.test/b.html"
    _crawl(archive, [capture_of(zibo, a), capture_of(zhangdian, b)])
    _crawl(archive, [capture_of(zibo, a, minutes=5)])  # b's list page glitched: b withdrawn
    _crawl(archive, [CaptureInput(site="testsite", page=page(a, None, minutes=9, http_status=304, status="not_modified")),
                     CaptureInput(site="testsite", page=page(b, None, minutes=9, http_status=304, status="not_modified"))])
    assert [k for _, k, _ in kinds(archive)] == ["withdrawn", "restored"]

    _crawl(archive, [capture_of(zibo, a, minutes=12)])  # withdrawn again, then back with the same bytes, not parsed
    _crawl(archive, [capture_of(zibo, a, minutes=15), CaptureInput(site="testsite", page=page(b, zhangdian, minutes=15))])
    assert [k for _, k, _ in kinds(archive)] == ["withdrawn", "restored", "withdrawn", "restored"]


def test_a_page_answering_404_is_withdrawn_on_the_second_crawl_only(archive: Archive, seed) -> None:
    zibo = seed(SEED_ZIBO)
    _crawl(archive, [capture_of(zibo, "http://gov.test/a.html")])
    _crawl(archive, [_gone("http://gov.test/a.html", 5)])
    assert kinds(archive) == []
    _crawl(archive, [_gone("http://gov.test/a.html", 10)])
    assert [(k, d) for _, k, d in kinds(archive)] == [("withdrawn", {"reason": "HTTP 404 in two crawls"})]


def test_a_page_answering_the_portal_s_not_found_page_is_withdrawn_on_the_second_crawl_and_a_maintenance_page_never(
        archive: Archive, seed) -> None:
    # Most portals delete an article this way: HTTP 200 and "您访问的页面不存在或已被删除".
    zibo, zhangdian = seed(SEED_ZIBO), seed(SEED_ZHANGDIAN_2023)
    a, b = "http://gov.test/a.html", "http://gov.test/b.html"

    def said(url: str, minutes: int, error: str) -> CaptureInput:
        return CaptureInput(site="testsite", page=page(url, None, minutes=minutes, http_status=200, status="error", error=error))

    not_found = error_page_reason(HtmlResponse(a, body=challenge("notfound").body, request=Request(a)), links_documents=False)
    down = error_page_reason(HtmlResponse(b, body=challenge("maintenance").body, request=Request(b)), links_documents=False)
    assert not_found is not None and down is not None
    _crawl(archive, [capture_of(zibo, a), capture_of(zhangdian, b)])
    _crawl(archive, [said(a, 5, not_found), said(b, 5, down)])
    assert kinds(archive) == []
    _crawl(archive, [said(a, 10, not_found), said(b, 10, down)])
    assert [(k, d) for _, k, d in kinds(archive)] == [("withdrawn", {"reason": "page gone in two crawls"})]


def test_nothing_is_withdrawn_without_a_complete_crawl(archive: Archive, seed) -> None:
    # The pipeline calls mark_withdrawals only after a crawl that read every list page; a
    # crawl of another site never withdraws this site's reports.
    archive.record(capture_of(seed(SEED_ZIBO), "http://gov.test/a.html"))
    run_id = archive.start_run("othersite")
    archive.finish_run(run_id, "ok", {})
    assert archive.mark_withdrawals(run_id) == []


def test_a_session_restores_a_withdrawn_report_once_and_reads_its_fate_once(archive: Archive) -> None:
    """What a session knows of a report's withdrawal follows the events it adds itself."""
    from storage.events import add_event, is_withdrawn, new_report, note_seen
    from tests.storage.conftest import T0

    with archive.session() as session, session.begin():
        report_id = session.connection().execute(sa.insert(Report).returning(Report.id), {
            "agency_key": "某某局", "agency": "某某局", "year": 2020, "kind": "annual", "first_seen": T0,
            "last_seen": T0}).scalar_one()
        new_report(session, report_id)
        assert not is_withdrawn(session, report_id)
        add_event(session, report_id, "withdrawn", T0, reason="test")
        assert is_withdrawn(session, report_id)
        note_seen(session, report_id, T0, None, None)
        note_seen(session, report_id, T0, None, None)
        kinds = session.scalars(sa.select(ReportEvent.kind).where(ReportEvent.report_id == report_id)
                                .order_by(ReportEvent.id)).all()
    assert kinds == ["withdrawn", "restored"]
    with archive.session() as session:  # another session reads what was stored
        assert not is_withdrawn(session, report_id)


def _listed_site(archive: Archive, site: str, reports: int) -> int:
    """A run of ``site`` that found each of its ``reports`` reports listed (rows written as recording writes them)."""
    run_id = archive.start_run(site)
    with archive.session() as session, session.begin():
        for n in range(reports):
            report_id = session.execute(sa.insert(Report).returning(Report.id), {
                "agency_key": f"{site}某某局{n}", "agency": f"某某局{n}", "year": 2020, "kind": "annual", "site": site,
                "first_seen": T0, "last_seen": T0}).scalar_one()
            url = f"http://{site}.test/{n}.html"
            session.execute(sa.insert(ReportUrl), {"report_id": report_id, "url": url, "first_seen": T0, "last_seen": T0})
            session.execute(sa.insert(Capture), {"run_id": run_id, "site": site, "role": "page", "url": url,
                                                 "fetched_at": T0, "http_status": 200, "status": "ok", "report_id": report_id})
    archive.finish_run(run_id, "ok", {})
    return run_id


def test_withdrawals_are_looked_for_in_as_many_statements_for_a_big_site_as_for_a_small_one(archive: Archive) -> None:
    counts = []
    for reports in (3, 30):
        run_id = _listed_site(archive, f"site{reports}", reports)
        statements: list[str] = []
        listener = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
        sa.event.listen(archive.engine, "before_cursor_execute", listener)
        try:
            assert archive.mark_withdrawals(run_id) == []
        finally:
            sa.event.remove(archive.engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_a_page_listed_but_left_for_a_later_crawl_is_not_withdrawn(archive: Archive, seed) -> None:
    # A site re-checking its known pages in turns (harvester.recheck) lists pages it does not ask for.
    zibo, zhangdian = seed(SEED_ZIBO), seed(SEED_ZHANGDIAN_2023)
    _crawl(archive, [capture_of(zibo, "http://gov.test/a.html"), capture_of(zhangdian, "http://gov.test/b.html")])
    run_id = archive.start_run("testsite")
    archive.finish_run(run_id, "ok", {})
    assert archive.mark_withdrawals(run_id, listed=["http://gov.test/a.html"]) != []  # b.html left its column
    with archive.session() as session:
        [gone] = events(session, ("withdrawn",), current_withdrawals=True)
        assert session.get(Report, gone.report_id).year == 2023
    run_id = archive.start_run("testsite")
    archive.finish_run(run_id, "ok", {})
    assert archive.mark_withdrawals(run_id, listed=["http://gov.test/a.html"]) == []  # a.html is still listed
