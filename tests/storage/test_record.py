"""Recording captures: when a capture is a new report, a new version, unchanged or failed."""

from __future__ import annotations

import sqlalchemy as sa

from storage.archive import Archive
from storage.capture import CaptureInput
from storage.clock import as_utc
from storage.models import Capture, CellRow, Change, Report, ReportUrl, SectionRow, Version
from tests.storage.conftest import SEED_ZHANGDIAN_2023, SEED_ZIBO, T0, capture_of, count, page


def test_same_content_twice_is_one_version(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    first = archive.record(capture_of(data))
    second = archive.record(capture_of(data, minutes=60))
    assert (first.outcome, second.outcome) == ("new_report", "unchanged")
    assert first.version_id == second.version_id
    assert count(archive, Version) == 1 and count(archive, Capture) == 2
    with archive.session() as session:
        version = session.get(Version, first.version_id)
        assert version.parse_status == "ok" and version.template == "2019"
        assert (version.last_seen - version.first_seen).total_seconds() == 3600
        assert session.scalar(sa.select(sa.func.count()).select_from(SectionRow)) == 6
        total = session.scalars(sa.select(CellRow).where(
            CellRow.table_name == "applications", CellRow.row_key == "new_received", CellRow.column_key == "total")).one()
        assert total.value == 4 and total.raw == "4"


def test_page_chrome_only_changed_is_one_version(archive: Archive, seed) -> None:
    # Export artefacts are not report text: different bytes, same document fingerprint.
    data = seed(SEED_ZIBO)
    chrome = data.replace("二、主动公开政府信息情况".encode(), "[image: banner.png]\n二、主动公开政府信息情况".encode(), 1)
    assert chrome != data
    archive.record(capture_of(data))
    second = archive.record(capture_of(chrome, minutes=5))
    assert second.outcome == "unchanged" and count(archive, Version) == 1


def test_one_revised_cell_is_a_new_version_whose_diff_names_it(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    # 行政许可: 上一年项目数量 0, 本年增/减 50, 处理决定数量 50 -> the 本年增/减 cell revised to 51.
    revised = data.replace("\t行政许可\n\t0\n\t50\n".encode(), "\t行政许可\n\t0\n\t51\n".encode(), 1)
    assert revised != data
    archive.record(capture_of(data))
    result = archive.record(capture_of(revised, minutes=5))
    assert result.outcome == "new_version" and result.version_no == 2
    assert result.significance == "numbers"
    with archive.session() as session:
        change = session.get(Change, result.version_id)
    cells = change.summary["cells"]
    assert [(c["address"], c["old_raw"], c["new_raw"]) for c in cells] == [
        ("active_disclosure.行政许可.本年增/减", "50", "51")
    ]
    assert change.summary["sections"] == [] and change.summary["metadata"] == []


def test_same_attachment_bytes_at_a_new_url_is_no_version(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    attachment = b"%PDF-1.4 the same attachment bytes"
    first = archive.record(capture_of(data, attachments=[page("http://gov.test/a/1.pdf", attachment)]))
    moved = archive.record(capture_of(data, minutes=5, attachments=[page("http://gov.test/new/x.pdf", attachment)]))
    assert (first.outcome, moved.outcome) == ("new_report", "unchanged")
    revised = archive.record(capture_of(data, minutes=9, attachments=[page("http://gov.test/new/x.pdf", attachment + b"!")]))
    assert revised.outcome == "new_version"
    assert count(archive, Version) == 2


def test_report_moved_to_a_new_url_stays_one_report(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    archive.record(capture_of(data, url="http://gov.test/old.html"))
    result = archive.record(capture_of(data, url="http://gov.test/new.html", minutes=5))
    assert result.outcome == "unchanged"
    assert count(archive, Report) == 1
    with archive.session() as session:
        urls = session.execute(sa.text("select url from report_urls order by first_seen")).scalars().all()
    assert urls == ["http://gov.test/old.html", "http://gov.test/new.html"]


def test_blocked_page_is_a_failed_capture_not_a_version(archive: Archive, seed) -> None:
    capture = capture_of(b"<html>challenge</html>")
    capture.page.status, capture.page.http_status, capture.page.error = "blocked", 412, "blocked by challenge (瑞数)"
    result = archive.record(capture)
    assert result.outcome == "failed" and result.error == "blocked by challenge (瑞数)"
    assert count(archive, Version) == 0
    with archive.session() as session:
        row = session.get(Capture, result.capture_id)
    assert row.status == "blocked" and row.sha256 is not None and archive.blobs.get(row.sha256) == b"<html>challenge</html>"


def test_unidentifiable_capture_keeps_its_bytes_and_error(archive: Archive) -> None:
    result = archive.record(capture_of(b"\xff\xfe not a report"))
    assert result.outcome == "failed" and result.error.startswith("report not identifiable")
    assert count(archive, Version) == 0 and count(archive, Capture) == 1


def test_identifiable_report_that_fails_to_parse_is_a_version_with_the_error(archive: Archive) -> None:
    result = archive.record(capture_of(b"\xff\xfe not a report", listing_title="某某县财政局2022年政府信息公开工作年度报告"))
    assert result.outcome == "new_report"
    with archive.session() as session:
        version = session.get(Version, result.version_id)
        report = session.get(Report, result.report_id)
    assert version.parse_status == "error" and version.parse_error
    assert (report.agency, report.year) == ("某某县财政局", 2022)


def test_recording_a_batch_gives_what_recording_one_by_one_gives(archive: Archive, seed) -> None:
    zibo, zhangdian = seed(SEED_ZIBO), seed(SEED_ZHANGDIAN_2023)
    archive.record(capture_of(zibo, "http://gov.test/a.html"))
    not_modified = CaptureInput(
        site="testsite", page=page("http://gov.test/a.html", None, minutes=5, http_status=304, status="not_modified"),
    )
    batch = [
        not_modified,
        capture_of(zhangdian, "http://gov.test/b.html", minutes=6),
        capture_of(zhangdian, "http://gov.test/b.html", minutes=7),
        CaptureInput(site="testsite", page=page("http://gov.test/gone.html", None, minutes=8, http_status=404, status="error", error="HTTP 404")),
    ]
    results = archive.record_many(batch)
    assert [r.outcome for r in results] == ["unchanged", "new_report", "unchanged", "failed"]
    assert results[1].report_id == results[2].report_id
    assert count(archive, Version) == 2
    assert count(archive, Capture) == 5


def test_a_new_version_moves_its_report_on_and_an_earlier_fetch_does_not_move_it_back(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)
    revised = data.replace("\t行政许可\n\t0\n\t50\n".encode(), "\t行政许可\n\t0\n\t51\n".encode(), 1)
    first = archive.record(capture_of(data))
    second = archive.record(capture_of(revised, minutes=5))
    older = archive.record(capture_of(data.replace("\t行政许可\n\t0\n\t50\n".encode(), "\t行政许可\n\t0\n\t52\n".encode(), 1),
                                      minutes=2))
    assert (second.outcome, older.outcome) == ("new_version", "new_version")
    with archive.session() as session:
        report = session.get(Report, first.report_id)
    assert report.latest_version_id == older.version_id
    assert (report.last_seen - report.first_seen).total_seconds() == 5 * 60


def test_the_times_a_report_was_seen_at_its_url_move_out_only(archive: Archive, seed) -> None:
    data = seed(SEED_ZIBO)

    def seen_at_url() -> tuple[float, float]:
        with archive.session() as session:
            [row] = session.scalars(sa.select(ReportUrl)).all()
            return tuple((as_utc(moment) - T0).total_seconds() / 60 for moment in (row.first_seen, row.last_seen))

    archive.record(capture_of(data, minutes=10))
    archive.record(capture_of(data.replace(b"\t50\n", b"\t51\n", 1), minutes=20))
    assert seen_at_url() == (10, 20)
    archive.record(capture_of(data.replace(b"\t50\n", b"\t52\n", 1), minutes=5))  # fetched before the others
    assert seen_at_url() == (5, 20)
    archive.record(capture_of(data.replace(b"\t50\n", b"\t53\n", 1), minutes=15))
    assert seen_at_url() == (5, 20)
