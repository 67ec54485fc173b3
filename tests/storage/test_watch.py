"""Events of crawl runs: revisions with their cells, new error findings, site health."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable

from storage.archive import Archive
from storage.health import assess_runs, site_health
from storage.watch import deadline_events, recent_events, run_events
from tests.storage.conftest import REVISED_TOTAL, SEED_ZIBO, capture_of

TODAY = date(2026, 1, 15)  # before the deadlines for 2025: no missed-deadline events


def crawl(archive: Archive, data: bytes, *, minutes: int = 0, stats: dict | None = None, site: str = "testsite") -> int:
    run = archive.start_run(site)
    archive.record(capture_of(data, minutes=minutes, run_id=run, site=site))
    archive.finish_run(run, "ok", stats or {"reports_found": 1})
    return run


def test_a_revision_is_an_event_with_its_cells_and_its_new_error(archive: Archive, seed: Callable[[str], bytes]) -> None:
    data = seed(SEED_ZIBO)
    first = crawl(archive, data)
    second = crawl(archive, data.replace(REVISED_TOTAL[0].encode(), REVISED_TOTAL[1].encode(), 1), minutes=60)
    with archive.session() as session:
        [new_report] = run_events(session, [first], today=TODAY)
        events = run_events(session, [second], today=TODAY)
    assert new_report.kind == "new_report" and new_report.agency == "淄博经济开发区" and new_report.year == 2020
    kinds = sorted(e.kind for e in events)
    assert kinds == ["new_error_finding", "new_error_finding", "new_version"]
    [version] = [e for e in events if e.kind == "new_version"]
    assert version.version_no == 2 and version.significance == "numbers"
    assert [(c.address, c.old, c.new) for c in version.cells] == [("applications.new_received.total", "4", "40")]
    findings = {e.summary.split(": ", 2)[1] for e in events if e.kind == "new_error_finding"}
    assert all(s.startswith("淄博经济开发区 2020 T3.") for s in findings)
    assert len({e.key for e in events}) == 3  # keys name the facts: never two alike


def test_an_unchanged_recrawl_has_no_events(archive: Archive, seed: Callable[[str], bytes]) -> None:
    crawl(archive, seed(SEED_ZIBO))
    again = crawl(archive, seed(SEED_ZIBO), minutes=60)
    with archive.session() as session:
        assert run_events(session, [again], today=TODAY) == []


def test_site_health_from_run_statistics(archive: Archive, seed: Callable[[str], bytes]) -> None:
    healthy = crawl(archive, seed(SEED_ZIBO), stats={"reports_found": 12})
    empty = crawl(archive, seed(SEED_ZIBO), minutes=60, stats={"reports_found": 0})
    blocked = crawl(archive, seed(SEED_ZIBO), minutes=90, stats={"reports_found": 3, "blocked": 2, "server_errors": 4})
    with archive.session() as session:
        by_run = {h.run_id: h for h in assess_runs(session, [healthy, empty, blocked])}
        latest = site_health(session)
    assert by_run[healthy].healthy
    assert by_run[empty].reasons == ["list pages yielded no report links (earlier runs found 12)"]
    assert by_run[blocked].blocked and by_run[blocked].reasons == [
        "2 response(s) were challenge pages", "4 server errors", "list pages yielded 3 report links, under half of the 12 earlier runs found"]
    assert latest["testsite"].run_id == blocked


def test_a_column_read_short_is_unhealthy_and_a_report_or_two_gone_is_not(archive: Archive, seed: Callable[[str], bytes]) -> None:
    # a pager gone or page 3 of 5 answering a maintenance page: 6 of 15 listed, and none of the 9 is gone
    first = crawl(archive, seed(SEED_ZIBO), stats={"reports_found": 15})
    two_gone = crawl(archive, seed(SEED_ZIBO), minutes=30, stats={"reports_found": 13})
    short = crawl(archive, seed(SEED_ZIBO), minutes=60, stats={"reports_found": 6})
    with archive.session() as session:
        by_run = {h.run_id: h for h in assess_runs(session, [first, two_gone, short])}
    assert by_run[first].healthy and by_run[two_gone].healthy
    assert by_run[short].reasons == ["list pages yielded 6 report links, under half of the 15 earlier runs found"]


def test_a_breakage_is_one_event_however_many_runs_meet_it(archive: Archive, seed: Callable[[str], bytes]) -> None:
    crawl(archive, seed(SEED_ZIBO), stats={"reports_found": 12})
    first_broken = crawl(archive, seed(SEED_ZIBO), minutes=60, stats={"reports_found": 0})
    second_broken = crawl(archive, seed(SEED_ZIBO), minutes=90, stats={"reports_found": 0})
    with archive.session() as session:
        [one] = run_events(session, [first_broken], today=TODAY)
        [two] = run_events(session, [second_broken], today=TODAY)
    assert one.kind == two.kind == "site_broken" and one.key == two.key


def test_missed_deadlines_and_the_feed_order(archive: Archive, seed: Callable[[str], bytes]) -> None:
    run = archive.start_run("testsite")
    archive.record(replace(capture_of(seed(SEED_ZIBO), run_id=run), listing_date="2021-02-01"))
    archive.finish_run(run, "ok", {"reports_found": 1})
    with archive.session() as session:
        # 淄博经济开发区 (a zone, due 31 March) has a 2020 report and none for 2021.
        assert deadline_events(session, today=date(2022, 3, 31), sites={"testsite"}) == []
        [missed] = deadline_events(session, today=date(2022, 4, 1), sites={"testsite"})
        feed = recent_events(session, today=date(2022, 4, 1))
    assert missed.key == "deadline:淄博经济开发区:2021" and "not published by 2022-03-31" in missed.summary
    # newest first: the capture (made 2026-01-10 by the test helpers) before the deadline of 2022
    assert [e.kind for e in feed] == ["new_report", "deadline_missed"]


def test_robots_txt_counts_when_it_refuses_more_than_before(archive: Archive, seed: Callable[[str], bytes]) -> None:
    # The portal always kept us from one preview link: not a problem, however often.
    first = crawl(archive, seed(SEED_ZIBO), stats={"reports_found": 12, "robots_disallowed": 1})
    same = crawl(archive, seed(SEED_ZIBO), minutes=60, stats={"reports_found": 12, "robots_disallowed": 1})
    more = crawl(archive, seed(SEED_ZIBO), minutes=90, stats={"reports_found": 2, "robots_disallowed": 11})
    with archive.session() as session:
        by_run = {h.run_id: h for h in assess_runs(session, [first, same, more])}
    assert by_run[first].healthy and by_run[same].healthy
    assert by_run[more].reasons == ["robots.txt now disallows 11 URL(s) (before: 1)",
                                    "list pages yielded 2 report links, under half of the 12 earlier runs found"]


def test_an_error_the_version_before_had_is_not_new(archive: Archive, seed: Callable[[str], bytes]) -> None:
    revised = seed(SEED_ZIBO).replace(REVISED_TOTAL[0].encode(), REVISED_TOTAL[1].encode(), 1)
    crawl(archive, seed(SEED_ZIBO))
    crawl(archive, revised, minutes=60)
    reworded = crawl(archive, revised.replace("进一步".encode(), "更进一步".encode(), 1), minutes=120)
    with archive.session() as session:
        events = run_events(session, [reworded], today=TODAY)
    assert [(e.kind, e.version_no) for e in events] == [("new_version", 3)]
