"""A report that is its own page is shown under the title the page prints, and a new title is a
new version. Portals print the title above the article, outside the body the page is read from
(TRS's ``art-title``, Hanweb's ``article_title``), so the title had been in no part of the
content key: an agency correcting its report's title made no version, and every such report
was archived without a title."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from parsers.hints import ReportHints
from storage.archive import Archive
from storage.capture import CaptureInput
from storage.diff import diff_versions
from storage.models import Version
from tests.storage.conftest import page, parse_outcome

DOCUMENT = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_9d093eecd5b1c4d3.html"
TITLE = "淄博经济开发区2020年政府信息公开工作年度报告"
CORRECTED = "淄博经济开发区2020年政府信息公开工作年度报告（更正）"
URL = "http://gov.test/art/2021/1/28/art_101_4398.html"


def portal_page(title: str = TITLE, visits: int = 1873, *, in_body: bool = False) -> bytes:
    """The fixture portal's page (title in <h1> and ArticleTitle above the body, a visit counter
    beside the date), its title and counter set; ``in_body``: the title printed as the body's
    first paragraph instead, as an editor pasting a Word file leaves it."""
    text = DOCUMENT.read_text(encoding="utf-8").replace('<span id="visits">1873</span>', f'<span id="visits">{visits}</span>')
    if in_body:
        text = text.replace(f'<h1 class="art-title">{TITLE}</h1>', "").replace(
            f'content="{TITLE}"', 'content="信息公开"').replace(
            '<div id="zoom" class="TRS_Editor">', f'<div id="zoom" class="TRS_Editor"><p style="text-align:center"><b>{TITLE}</b></p>')
    return text.replace(TITLE, title).encode("utf-8")


def capture(data: bytes, minutes: int) -> CaptureInput:
    hints = ReportHints(title=TITLE, source_url=URL)  # the list's title stays as it was
    return CaptureInput(site="zbjkq", page=page(URL, data, minutes=minutes), listing_title=TITLE,
                        parse=parse_outcome(data, hints, filename="art_101_4398.html"))


def titles(archive: Archive) -> list[str | None]:
    with archive.session() as session:
        return list(session.scalars(sa.select(Version.title).order_by(Version.version_no)))


def test_the_title_a_portal_prints_above_the_article_is_the_reports(archive: Archive) -> None:
    assert archive.record(capture(portal_page(), 0)).outcome == "new_report"
    assert titles(archive) == [TITLE]


def test_a_corrected_title_is_a_new_version_and_a_counter_is_not(archive: Archive) -> None:
    archive.record(capture(portal_page(visits=1873), 0))
    assert archive.record(capture(portal_page(visits=1874), 10)).outcome == "unchanged"
    assert archive.record(capture(portal_page(CORRECTED, visits=1990), 20)).outcome == "new_version"
    assert archive.record(capture(portal_page(CORRECTED, visits=1991), 30)).outcome == "unchanged"
    assert titles(archive) == [TITLE, CORRECTED]
    with archive.session() as session:
        old, new = session.scalars(sa.select(Version.report_json).order_by(Version.version_no))
    diff = diff_versions(old, new)
    assert [(c.field, c.old, c.new) for c in diff.metadata] == [("title", TITLE, CORRECTED)]


def test_a_title_printed_in_the_body_counts_once_and_its_correction_is_a_version(archive: Archive) -> None:
    archive.record(capture(portal_page(in_body=True), 0))
    assert archive.record(capture(portal_page(in_body=True, visits=2000), 10)).outcome == "unchanged"
    assert archive.record(capture(portal_page(CORRECTED, in_body=True), 20)).outcome == "new_version"
    assert titles(archive) == [TITLE, CORRECTED]
