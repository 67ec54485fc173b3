"""Captures that change nothing take the short path (storage.unchanged) and write what the full
decision would; cross-year findings noted during a batch are those of recording one by one."""

from __future__ import annotations

import re
import weakref

import sqlalchemy as sa

import parsers.api
import storage.record
import storage.unchanged
from storage.archive import Archive
from storage.capture import CaptureInput
from storage.fingerprint import fold
from storage.models import Capture, FindingRow, Report, ReportUrl, Version
from storage.reparse import reparse
from tests.storage.conftest import SEED_ZHANGDIAN_2023, SEED_ZIBO, T0, capture_of, page
from tests.storage.test_chrome import capture as chrome_capture, news, report_body
from tests.storage.test_crossyear import previous_year


def not_modified(url: str, minutes: int, attachments: list[str] = ()) -> CaptureInput:
    return CaptureInput(
        site="testsite", page=page(url, None, minutes=minutes, http_status=304, status="not_modified"),
        attachments=[page(a, None, minutes=minutes, http_status=304, status="not_modified") for a in attachments],
    )


def full_path_forbidden(monkeypatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the capture took the full decision")

    monkeypatch.setattr(storage.record, "_decide", refuse)


def test_a_batch_of_304s_is_decided_from_stored_rows(archive: Archive, seed, monkeypatch) -> None:
    zibo, zhangdian = seed(SEED_ZIBO), seed(SEED_ZHANGDIAN_2023)
    pdf = page("http://gov.test/f/1.pdf", b"%PDF-1.4 an attachment")
    first = archive.record(capture_of(zibo, "http://gov.test/a.html", attachments=[pdf]))
    second = archive.record(capture_of(zhangdian, "http://gov.test/b.html", minutes=1))
    full_path_forbidden(monkeypatch)
    results = archive.record_many([
        not_modified("http://gov.test/a.html", 60, ["http://gov.test/f/1.pdf"]),
        not_modified("http://gov.test/b.html", 61),
        not_modified("http://gov.test/b.html", 30),  # an earlier fetch arriving late moves nothing back
        not_modified("http://gov.test/never.html", 62),
        not_modified("http://gov.test/a.html", 63),  # the page without the attachment it had: another content
        not_modified("http://gov.test/b.html", 64, ["http://gov.test/f/unknown.pdf"]),
    ])
    assert [(r.outcome, r.version_id, r.error) for r in results] == [
        ("unchanged", first.version_id, None),
        ("unchanged", second.version_id, None),
        ("unchanged", second.version_id, None),
        ("failed", None, "no bytes for http://gov.test/never.html (HTTP 304) and none stored before"),
        ("failed", None, "capture has no parse outcome and its bytes match no stored version"),
        ("failed", None, "attachment http://gov.test/f/unknown.pdf: HTTP 304"),
    ]
    with archive.session() as session:
        rows = {c.id: c for c in session.scalars(sa.select(Capture))}
        version_seen = dict(session.execute(sa.select(Version.id, Version.last_seen)).all())
        url_seen = {u.url: (u.first_seen, u.last_seen) for u in session.scalars(sa.select(ReportUrl))}
        report_seen = {r.id: r.last_seen for r in session.scalars(sa.select(Report))}
    page_row = rows[results[0].capture_id]
    assert (page_row.outcome, page_row.version_id, page_row.report_id, page_row.status) == (
        "unchanged", first.version_id, first.report_id, "not_modified")
    assert page_row.sha256 == rows[first.capture_id].sha256
    [attachment_row] = [c for c in rows.values() if c.page_capture_id == page_row.id]
    assert attachment_row.role == "attachment" and attachment_row.sha256 is not None and attachment_row.outcome is None
    assert rows[results[3].capture_id].error == results[3].error and rows[results[3].capture_id].sha256 is None
    minutes = lambda at: round((at.replace(tzinfo=None) - T0.replace(tzinfo=None)).total_seconds() / 60)  # noqa: E731
    assert minutes(version_seen[first.version_id]) == 60 and minutes(version_seen[second.version_id]) == 61
    assert [minutes(t) for t in url_seen["http://gov.test/b.html"]] == [1, 61]
    # A 304 is a fetch of the page, not a sighting of the report's content: reports keep theirs.
    assert minutes(report_seen[second.report_id]) == 1


def test_a_refetched_unchanged_report_is_found_by_its_key(archive: Archive, seed, monkeypatch) -> None:
    data = seed(SEED_ZIBO)
    first = archive.record(capture_of(data, "http://gov.test/a.html"))
    full_path_forbidden(monkeypatch)
    again = archive.record(capture_of(data, "http://gov.test/moved.html", minutes=90))
    assert (again.outcome, again.version_id, again.report_id) == ("unchanged", first.version_id, first.report_id)
    with archive.session() as session:
        version = session.get(Version, first.version_id)
        report = session.get(Report, first.report_id)
        urls = sorted(session.scalars(sa.select(ReportUrl.url)))
        row = session.get(Capture, again.capture_id)
    assert (version.last_seen - version.first_seen).total_seconds() == 90 * 60
    assert (report.last_seen - report.first_seen).total_seconds() == 90 * 60
    assert urls == ["http://gov.test/a.html", "http://gov.test/moved.html"]
    assert (row.outcome, row.version_id, row.report_id, row.sha256 is not None) == ("unchanged", first.version_id, first.report_id, True)


def test_a_batch_of_unchanged_captures_costs_the_same_few_statements_whatever_its_size(archive: Archive, seed,
                                                                                       monkeypatch) -> None:
    data = seed(SEED_ZIBO)
    urls = [f"http://gov.test/{n}.html" for n in range(8)]
    firsts = [archive.record(capture_of(data, url)) for url in urls[:1]]
    statements: list[str] = []
    # SQLite inserts rows with RETURNING one by one (SQLAlchemy cannot batch them in order there): not counted.
    sa.event.listen(archive.engine, "before_cursor_execute",
                    lambda *args: statements.append(args[2]) if not args[2].startswith("INSERT INTO captures") else None)
    full_path_forbidden(monkeypatch)
    counts = []
    for size, minutes in ((2, 60), (8, 120)):
        statements.clear()
        results = archive.record_many([capture_of(data, url, minutes=minutes + n) for n, url in enumerate(urls[:size])])
        assert {(r.outcome, r.version_id) for r in results} == {("unchanged", firsts[0].version_id)}
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 10
    with archive.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ReportUrl)) == 8
        version = session.get(Version, firsts[0].version_id)
    assert (version.last_seen - version.first_seen).total_seconds() == 127 * 60


def test_a_capture_after_a_new_version_of_its_report_in_the_same_batch_is_compared_with_that_version(
        archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    first = archive.record(capture_of(data))
    revised = data.replace("\t行政许可\n\t0\n\t50\n".encode(), "\t行政许可\n\t0\n\t51\n".encode(), 1)
    # The second was the latest version's content when the batch began: no longer once the first is recorded.
    results = archive.record_many([capture_of(revised, minutes=5), capture_of(data, minutes=9)])
    assert [(r.outcome, r.version_no) for r in results] == [("new_version", 2), ("new_version", 3)]
    assert results[1].version_id != first.version_id


def test_a_page_whose_counter_and_clock_were_learned_as_chrome_is_unchanged_without_the_full_decision(
        archive: Archive, monkeypatch) -> None:
    body = report_body()
    first = chrome_capture(body, 1, news(1, 2, 3, 4), again=(2, news(5, 2, 6, 7)))
    archive.record(first)
    later = chrome_capture(body, 3, news(8, 9, 1, 3), again=(4, news(10, 9, 1, 11)))
    assert archive.record(later).outcome == "unchanged"  # the full decision, learning what varies
    full_path_forbidden(monkeypatch)
    # Each with a counter and a clock never seen: the first asks the archive what is chrome,
    # the second is answered by what this process was told.
    for hit in (40, 41):
        assert archive.record_many([chrome_capture(body, hit, news(2, 8, 10, 5))])[0].outcome == "unchanged"


def test_a_key_stored_under_less_chrome_than_is_known_now_is_compared_and_renewed_without_the_full_decision(
        archive: Archive, seed, seeds_dir, monkeypatch) -> None:
    site_line, footer = "本网站由开发区政务服务中心主办维护", "网站地图丨隐私声明丨联系我们"
    names = sorted(p.name for p in seeds_dir.glob("*.txt"))
    with_lines = lambda name, *lines: seed(name) + "".join(f"\n{line}\n" for line in lines).encode()  # noqa: E731
    for n, name in enumerate(names[:3]):  # the site line is on three reports' pages: chrome
        archive.record(capture_of(with_lines(name, site_line), f"http://gov.test/{n}.html"))
    # Stored with the site line left out and the footer in: the footer is not chrome yet.
    first = archive.record(capture_of(with_lines(names[3], site_line, footer), "http://gov.test/3.html", minutes=1))
    for n, name in ((4, names[4]), (0, names[0])):  # now it is
        archive.record(capture_of(with_lines(name, site_line, footer), f"http://gov.test/{n}.html", minutes=2))
    def key() -> str:
        with archive.session() as session:
            return session.get(Version, first.version_id).content_key

    stored = key()
    monkeypatch.setattr(storage.unchanged, "_KNOWN", weakref.WeakKeyDictionary())  # a later crawl's writer
    full_path_forbidden(monkeypatch)
    again = archive.record(capture_of(with_lines(names[3], site_line, footer), "http://gov.test/3.html", minutes=3))
    assert (again.outcome, again.version_id) == ("unchanged", first.version_id)
    assert key() != stored  # the key under today's chrome: the next capture is found by it alone
    monkeypatch.setattr(storage.unchanged, "_same_as_stored", full_path_forbidden)
    assert archive.record(capture_of(with_lines(names[3], site_line, footer), "http://gov.test/3.html", minutes=4)).outcome == "unchanged"


def test_a_revised_report_still_takes_the_full_decision(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data))
    revised = data.replace("\t行政许可\n\t0\n\t50\n".encode(), "\t行政许可\n\t0\n\t51\n".encode(), 1)
    assert archive.record(capture_of(revised, minutes=5)).outcome == "new_version"
    assert archive.record(capture_of(data, minutes=9)).outcome == "new_version"  # back to v1: a revert


def test_after_a_reparse_changed_the_content_the_old_content_is_a_new_version(archive: Archive, seed, monkeypatch) -> None:
    data = seed(SEED_ZIBO)
    first = archive.record(capture_of(data))
    real_parse_document = parsers.api.parse_document

    def redating_parser(doc, hints=None):  # same parser version, another reading of the signature date
        report = real_parse_document(doc, hints)
        report.metadata.signed_date = "2099-01-01"
        return report

    monkeypatch.setattr(parsers.api, "parse_document", redating_parser)
    assert reparse(archive.engine, archive.blobs).changed == 1
    monkeypatch.undo()
    # The stored key was the old parse's: the capture's content is that one, not the version's now.
    result = archive.record(capture_of(data, minutes=30))
    assert (result.outcome, result.version_no) == ("new_version", 2)
    with archive.session() as session:
        assert session.get(Version, first.version_id).report_json["metadata"]["signed_date"] == "2099-01-01"


def test_cross_year_findings_of_a_batch_are_those_of_one_by_one(tmp_path, seed) -> None:
    this_year = seed(SEED_ZHANGDIAN_2023)
    captures = [
        capture_of(this_year, url="http://gov.test/2023.html"),
        capture_of(previous_year(this_year, carried_forward="2", in_force="5"), url="http://gov.test/2022.html", minutes=1),
        # this year revised while last year stays: the first version keeps the findings it had
        capture_of(this_year.replace("\t行政许可\n\t0\n".encode(), "\t行政许可\n\t7\n".encode(), 1),
                   url="http://gov.test/2023.html", minutes=2),
        capture_of(previous_year(this_year), url="http://gov.test/2022.html", minutes=3),
    ]

    def findings(archive: Archive) -> list[tuple]:
        with archive.session() as session:
            return [tuple(r) for r in session.execute(
                sa.select(Version.version_no, Report.year, FindingRow.rule, FindingRow.row_key, FindingRow.printed,
                          FindingRow.expected)
                .join(Version, Version.id == FindingRow.version_id).join(Report, Report.id == Version.report_id)
                .where(FindingRow.source == "crossyear").order_by(Report.year, Version.version_no, FindingRow.rule,
                                                                  FindingRow.row_key))]

    with Archive.open(f"sqlite:///{tmp_path / 'one.sqlite3'}", tmp_path / "one") as one, \
            Archive.open(f"sqlite:///{tmp_path / 'batch.sqlite3'}", tmp_path / "batch") as batch:
        singles = [one.record(c).outcome for c in captures]
        together = [r.outcome for r in batch.record_many(captures)]
        assert singles == together == ["new_report", "new_report", "new_version", "new_version"]
        assert findings(one) == findings(batch)
        assert any(row[0] == 1 and row[1] == 2023 for row in findings(one))  # the superseded version's own


def test_folding_removes_exactly_the_white_space_stored_keys_were_made_without() -> None:
    # Keys stored before folding used str.split were made with the regex \s: both must agree.
    text = "一、\u3000总体\xa0情况\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029\u200b 本年"
    assert fold(text) == re.sub(r"\s+", "", text) == "一、总体情况\u200b本年"
