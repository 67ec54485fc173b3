"""Re-parsing stored bytes updates parses in place and never makes a version or a false change."""

from __future__ import annotations

import sqlalchemy as sa

import parsers.api
from parsers import PARSER_VERSION
from parsers.errors import ParseError
from parsers.locations import without_locations
from parsers.report import Finding
from storage.archive import Archive
from storage.models import CellRow, Change, FindingRow, ReportEvent, Version
from storage.reparse import reparse
from tests.storage.conftest import SEED_ZIBO, capture_of

REVISED = ("\t行政许可\n\t0\n\t50\n", "\t行政许可\n\t0\n\t51\n")


def versions(archive: Archive) -> list[tuple[int, str, str]]:
    with archive.session() as session:
        return [tuple(r) for r in session.execute(
            sa.select(Version.version_no, Version.parser_version, Version.parse_status).order_by(Version.id))]


def test_parser_change_updates_parses_in_place(archive: Archive, seed, monkeypatch) -> None:
    data = seed(SEED_ZIBO)
    first = archive.record(capture_of(data))
    archive.record(capture_of(data.replace(REVISED[0].encode(), REVISED[1].encode(), 1), minutes=5))
    assert reparse(archive.engine, archive.blobs).changed == 0  # same parser, same output

    real_parse_document = parsers.api.parse_document

    def newer_parser(doc, hints=None):
        report = real_parse_document(doc, hints)
        report.parser_version = "9.0.0"
        report.findings.append(Finding("Q.new_rule", "info", None, None, None, None, None, "a rule the old parser lacked"))
        return report

    monkeypatch.setattr(parsers.api, "parse_document", newer_parser)
    summary = reparse(archive.engine, archive.blobs, report_id=first.report_id)
    assert (summary.versions, summary.changed, summary.errors) == (2, 2, [])
    assert versions(archive) == [(1, "9.0.0", "ok"), (2, "9.0.0", "ok")]
    with archive.session() as session:
        assert session.scalar(sa.select(sa.func.count()).where(FindingRow.rule == "Q.new_rule")) == 2
        change = session.scalars(sa.select(Change)).one()
    # The finding is in both versions, so it is no change between them.
    assert change.summary["findings_added"] == [] and [c["address"] for c in change.summary["cells"]] == ["active_disclosure.行政许可.本年增/减"]
    assert reparse(archive.engine, archive.blobs).changed == 0
    revised = data.replace(REVISED[0].encode(), REVISED[1].encode(), 1)
    assert archive.record(capture_of(revised, minutes=60)).outcome == "unchanged"
    with archive.session() as session:
        assert session.scalar(sa.select(sa.func.count()).where(ReportEvent.kind == "parser_upgrade")) == 2


def test_a_crawl_with_a_newer_parser_upgrades_the_parse_and_makes_no_version(archive: Archive, seed, monkeypatch) -> None:
    data = seed(SEED_ZIBO)
    first = archive.record(capture_of(data))
    real_parse_document = parsers.api.parse_document

    def newer_parser(doc, hints=None):
        report = real_parse_document(doc, hints)
        report.parser_version = "9.0.0"
        report.sections[0].text += "\n一处旧解析器漏掉的段落。"
        return report

    monkeypatch.setattr(parsers.api, "parse_document", newer_parser)
    capture = capture_of(data, minutes=60)  # parsed by the new parser on the crawl path
    capture.parse.parser_version = "9.0.0"
    result = archive.record(capture)
    assert (result.outcome, result.version_id) == ("unchanged", first.version_id)
    assert versions(archive) == [(1, "9.0.0", "ok")]
    with archive.session() as session:
        [event] = session.scalars(sa.select(ReportEvent)).all()
        assert (event.kind, event.version_id, event.detail["parser_after"]) == ("parser_upgrade", first.version_id, "9.0.0")


def test_a_parse_stored_before_cells_had_locations_gains_them_without_an_event(archive: Archive, seed) -> None:
    first = archive.record(capture_of(seed(SEED_ZIBO)))
    with archive.session() as session, session.begin():
        version = session.get(Version, first.version_id)
        version.report_json = without_locations(version.report_json)
        session.execute(sa.update(CellRow).values(location=None))
    assert reparse(archive.engine, archive.blobs).changed == 0
    with archive.session() as session:
        assert session.scalar(sa.select(sa.func.count()).where(CellRow.location.is_(None))) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(ReportEvent)) == 0
        assert session.get(Version, first.version_id).report_json != without_locations(
            session.get(Version, first.version_id).report_json)


def test_parser_that_now_fails_marks_the_parse_as_error(archive: Archive, seed, monkeypatch) -> None:
    archive.record(capture_of(seed(SEED_ZIBO)))

    def broken(data, **kwargs):
        raise ParseError("table 3 has 6 columns, expected 7")

    monkeypatch.setattr(parsers.api, "parse_bytes", broken)
    summary = reparse(archive.engine, archive.blobs)
    assert summary.errors == ["report 1 v1: table 3 has 6 columns, expected 7"]
    assert versions(archive) == [(1, PARSER_VERSION, "error")]
    with archive.session() as session:
        assert session.get(Version, 1).parse_error == "table 3 has 6 columns, expected 7"


def test_a_page_whose_table_is_a_picture_is_reparsed_with_its_stored_picture(archive: Archive, tmp_path) -> None:
    from pathlib import Path

    from parsers.hints import ReportHints
    from storage.capture import CaptureInput, ParseOutcome, Resource
    from tests.parsers import ocr_material as material
    from tests.storage.conftest import T0

    seed_page = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "001_edb62deb526a149a.html"
    html, images = material.page_with_table_pictures(seed_page, tmp_path, which={2})  # table 4 as a picture
    (src, picture), = images.items()
    url = "http://gov.test/art/1.html"
    hints = ReportHints(source_url=url)
    _, parsed = parsers.api.parse_bytes(html, content_type="text/html", hints=hints, images=images)
    capture = CaptureInput(
        site="testsite", page=Resource(url, 200, T0, html, content_type="text/html"),
        attachments=[Resource("http://gov.test" + src, 200, T0, picture, content_type="image/png")],
        parse=ParseOutcome(parsed.to_dict(), None, parsed.parser_version, fingerprint="f", hints=hints),
    )
    assert archive.record(capture).outcome == "new_report"

    assert reparse(archive.engine, archive.blobs).changed == 0
    with archive.session() as session:
        appeals = session.scalars(sa.select(Version.report_json)).one()["tables"]["appeals"]["cells"]
    assert appeals and all(cell["source"] == "ocr" for cell in appeals.values())
