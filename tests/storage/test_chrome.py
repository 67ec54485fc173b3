"""A report that is its own page, in no container the extractor knows, among chrome that
changes on every fetch: what varies between two fetches and what repeats across a site's
pages never makes a version; a sentence of the report does."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from lxml import etree, html

from storage.archive import Archive
from storage.capture import CaptureInput
from storage.chrome import SAMPLED_REPORTS, load_chrome, note_page_paragraphs, varying_paragraphs
from storage.fingerprint import capture_content, content_parts, shape_hash, unit_hash
from storage.identity import identify
from storage.models import Report, Version
from tests.storage.conftest import T0, capture_of, parse_outcome, page
from parsers.hints import ReportHints

DOCUMENT = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_9d093eecd5b1c4d3.html"
TITLE = "淄博经济开发区2020年政府信息公开工作年度报告"
URL = "http://gov.test/news/4398.html"


def report_body() -> str:
    [zoom] = html.fromstring(DOCUMENT.read_bytes()).xpath('//*[@id="zoom"]')
    return (zoom.text or "") + "".join(etree.tostring(c, encoding="unicode") for c in zoom)


def bare_page(body: str, hit: int, related: list[str]) -> bytes:
    """The report's paragraphs straight under <body>, a clock above, a counter and a random list
    below, worded as no rule of the parser knows: only what the archive learns tells them."""
    items = "".join(f"<li><a href='/n/{i}.html'>{t}</a></li>" for i, t in enumerate(related))
    return (f"<html><head><meta charset='utf-8'></head><body><div>2026年1月{hit % 28 + 1}日 10:{hit % 60:02d}:{hit * 7 % 60:02d} 星期三</div>"
            f"{body}<p>累计 {hit} 人关注本文</p><div><h3>看看别的</h3><ul>{items}</ul></div></body></html>").encode()


def capture(body: str, hit: int, related: list[str], again: tuple[int, list[str]] | None = None,
            title: str = TITLE) -> CaptureInput:
    data = bare_page(body, hit, related)
    hints = ReportHints(title=title, source_url=URL)
    item = CaptureInput(site="bare", page=page(URL, data, minutes=hit), listing_title=title,
                        parse=parse_outcome(data, hints, filename="4398.html"))
    if again is not None:
        item.confirmation = parse_outcome(bare_page(body, *again), hints, filename="4398.html")
    return item


POOL = ("区政府召开常务会议", "秋冬季森林防火工作部署会召开", "关于征集民生实事项目的公告", "营商环境政策宣讲会举行",
        "关于公布行政执法主体名单的公告", "政府信息公开指南", "城乡居民医保缴费标准调整", "领导调研人居环境整治工作",
        "元旦春节期间有关工作的通知", "安全生产大检查的通知", "重点项目推进情况", "财政预算执行情况的报告")


def news(*numbers: int) -> list[str]:
    return [POOL[n] for n in numbers]


def with_parts(item: CaptureInput) -> CaptureInput:
    """The capture as a crawl's parse workers send it: each parse with the parts of its content key."""
    for outcome in (item.parse, item.confirmation):
        if outcome is not None:
            outcome.content = content_parts(capture_content(item, [], outcome))
    return item


@pytest.mark.parametrize("sent", [lambda item: item, with_parts], ids=["parsed_here", "parts_sent"])
def test_chrome_that_varies_between_two_fetches_is_learned_and_a_sentence_still_counts(archive: Archive, sent) -> None:
    body = report_body()
    first = capture(body, 1, news(1, 2, 3, 4), again=(2, news(5, 2, 6, 7)))
    assert archive.confirmation_needed(first)
    assert archive.record(sent(first)).outcome == "new_report"

    later = capture(body, 3, news(8, 9, 1, 3))
    assert archive.confirmation_needed(later)  # paragraphs differ: ask for a second fetch
    later.confirmation = capture(body, 4, news(10, 9, 1, 11)).parse
    assert archive.record(sent(later)).outcome == "unchanged"
    # Learned: tomorrow's counter and clock, and the list entries seen, are chrome now.
    tomorrow = capture(body, 40, news(2, 8, 10, 5))
    assert not archive.confirmation_needed(tomorrow)
    assert archive.record(sent(tomorrow)).outcome == "unchanged"

    revised = body.replace("主动公开政府信息514条", "主动公开政府信息541条", 1)
    assert revised != body
    changed = capture(revised, 50, news(1, 2, 3, 4), again=(51, news(9, 8, 7, 6)))
    result = archive.record(sent(changed))
    assert (result.outcome, result.significance) == ("new_version", "text")


@pytest.mark.parametrize("sent", [lambda item: item, with_parts], ids=["parsed_here", "parts_sent"])
def test_a_second_fetch_answered_with_a_maintenance_page_teaches_no_chrome(archive: Archive, sent) -> None:
    body = report_body()
    first = capture(body, 1, news(1, 2, 3, 4))
    maintenance = ("<html><head><meta charset='utf-8'></head><body><p>系统维护中，请稍后再访问。</p></body></html>").encode()
    first.confirmation = parse_outcome(maintenance, ReportHints(title=TITLE, source_url=URL), filename="4398.html")
    archive.record(sent(first))
    # the report's own sentences were not learned as chrome: an edit of one is a new version
    revised = body.replace("主动公开政府信息514条", "主动公开政府信息541条", 1)
    changed = capture(revised, 5, news(1, 2, 3, 4), again=(6, news(1, 2, 3, 4)))
    assert archive.record(sent(changed)).outcome == "new_version"


def test_short_entries_next_to_varying_ones_belong_to_their_block() -> None:
    first = ["一、总体情况", "正文第一句。", "相关文章", "甲", "乙", "丙", "访问 1 次"]
    second = ["一、总体情况", "正文第一句。", "相关文章", "丁", "乙", "戊", "访问 2 次"]
    assert varying_paragraphs(first, second, stored=["一、总体情况", "正文第一句。", "相关文章"]) == {
        "甲", "乙", "丙", "丁", "戊", "访问 1 次", "访问 2 次"}
    # A sentence of the report (it ends like one) is never taken along.
    assert "正文第二句。" not in varying_paragraphs(["正文第二句。", "甲"], ["正文第二句。", "丁"], stored=[])


def test_a_page_recorded_after_one_fetch_is_confirmed_when_its_chrome_varies_and_stays_one_version(archive: Archive) -> None:
    """Past the site's sample, a new page is recorded from its first fetch, random list and
    all; the re-crawl draws other entries, and the second fetch other ones still."""
    body = report_body()
    first = capture(body, 1, news(1, 2, 3, 4))
    assert archive.record(first).outcome == "new_report"

    later = capture(body, 3, news(8, 9, 10, 11))
    assert archive.confirmation_needed(later)
    later.confirmation = capture(body, 4, news(0, 5, 6, 7)).parse
    assert archive.record(later).outcome == "unchanged"
    tomorrow = capture(body, 40, news(1, 2, 8, 9))
    assert not archive.confirmation_needed(tomorrow)
    assert archive.record(tomorrow).outcome == "unchanged"


def test_what_the_stored_version_printed_in_a_varying_blocks_place_is_that_blocks() -> None:
    stored = ["一、总体情况", "正文第一句。", "发布日期：2021年1月15日", "相关文章", "甲", "乙", "访问 1 次"]
    first = ["一、总体情况", "正文第一句。", "发布日期：2021年1月18日", "相关文章", "丙", "丁", "访问 3 次"]
    second = ["一、总体情况", "正文第一句。", "发布日期：2021年1月18日", "相关文章", "戊", "己", "访问 4 次"]
    # The date was edited (both fetches print the new one): it stays the report's.
    assert varying_paragraphs(first, second, stored) == {"甲", "乙", "丙", "丁", "戊", "己", "访问 1 次", "访问 3 次", "访问 4 次"}


def test_a_sites_first_new_pages_are_fetched_twice_and_the_rest_once(archive: Archive) -> None:
    body = report_body()
    with archive.session() as session, session.begin():
        for n in range(SAMPLED_REPORTS - 1):
            session.execute(sa.insert(Report), {"agency_key": f"某某局{n}", "agency": f"某某局{n}", "year": 2020,
                                                "kind": "annual", "site": "bare", "first_seen": T0, "last_seen": T0})
    assert archive.confirmation_needed(capture(body, 1, news(1, 2, 3, 4)))
    assert archive.record(capture(body, 1, news(1, 2, 3, 4), again=(2, news(5, 6, 7, 8)))).outcome == "new_report"
    # The site has its sample: another new page of it is recorded from its first fetch,
    title = TITLE.replace("2020", "2021")
    another_year = capture(body.replace("2020年", "2021年"), 5, news(1, 2, 3, 4), title=title)
    another_year.page = replace(another_year.page, url=URL.replace("4398", "4399"))
    assert identify(another_year.parse.report, title).year == 2021  # type: ignore[union-attr]
    assert not archive.confirmation_needed(another_year)
    # while to a site still sampled it is new.
    assert archive.confirmation_needed(replace(another_year, site="elsewhere"))
    # A known page whose paragraphs differ is fetched twice whatever the sample.
    assert archive.confirmation_needed(capture(body, 7, news(9, 10, 11, 0)))


def test_the_sample_counts_the_pages_asked_about_before_any_is_recorded(archive: Archive) -> None:
    """A crawl asks about many new pages before the writer records the first of them."""
    body = report_body()
    pages = [capture(body, n, news(1, 2, 3, 4)) for n in range(SAMPLED_REPORTS + 2)]
    for n, item in enumerate(pages):
        item.page = replace(item.page, url=f"{URL}?n={n}")
    assert [archive.confirmation_needed(p) for p in pages] == [True] * SAMPLED_REPORTS + [False, False]
    assert archive.confirmation_needed(pages[0])  # asked again (a retry): still one of the sample


def test_what_a_session_knows_of_chrome_is_asked_again_once_it_notes_paragraphs(archive: Archive) -> None:
    """Chrome answers are kept for a transaction, but not past a third report showing a paragraph."""
    footer = "主办单位：某某市人民政府办公室"
    with archive.session() as session, session.begin():
        reports = [session.connection().execute(sa.insert(Report).returning(Report.id), {
            "agency_key": f"某某局{n}", "agency": f"某某局{n}", "year": 2020, "kind": "annual", "first_seen": T0,
            "last_seen": T0}).scalar_one() for n in range(3)]
        for report_id in reports[:2]:
            note_page_paragraphs(session, "bare", report_id, [footer])
        assert not load_chrome(session, "bare", [footer]).is_chrome(footer)
        note_page_paragraphs(session, "bare", reports[2], [footer])
        assert load_chrome(session, "bare", [footer]).is_chrome(footer)
        assert not load_chrome(session, "other", [footer]).is_chrome(footer)


def test_a_sentence_other_reports_print_too_stays_the_reports(archive: Archive) -> None:
    """Departments print the same sentences: one of them changed into another must be a change."""
    sentence, footer = "本年度未收取信息处理费。", "主办单位：某某市人民政府办公室"
    with archive.session() as session, session.begin():
        reports = [session.connection().execute(sa.insert(Report).returning(Report.id), {
            "agency_key": f"某某局{n}", "agency": f"某某局{n}", "year": 2020, "kind": "annual", "first_seen": T0,
            "last_seen": T0}).scalar_one() for n in range(3)]
        for report_id in reports:
            note_page_paragraphs(session, "bare", report_id, [sentence, footer])
        chrome = load_chrome(session, "bare", [sentence, footer])
        assert (chrome.is_chrome(sentence), chrome.is_chrome(footer)) == (False, True)


def test_a_session_asks_again_only_about_what_it_noted_since(archive: Archive) -> None:
    """Chrome found stays chrome for the transaction; a paragraph found not chrome is asked again
    only once its unit is noted on another report, and a unit noted twice on one report is written once."""
    footer, body, other = "主办单位：某某市人民政府办公室", "政府信息公开指南", "本机关全年未发生行政复议。"
    statements: list[str] = []
    with archive.session() as session, session.begin():
        sa.event.listen(session.connection(), "before_cursor_execute", lambda *args: statements.append(args[2]))
        reports = [session.connection().execute(sa.insert(Report).returning(Report.id), {
            "agency_key": f"某某局{n}", "agency": f"某某局{n}", "year": 2020, "kind": "annual", "first_seen": T0,
            "last_seen": T0}).scalar_one() for n in range(4)]
        for report_id in reports[:3]:
            note_page_paragraphs(session, "bare", report_id, [footer])
        assert load_chrome(session, "bare", [footer, body, other]).chrome == {footer}
        statements.clear()
        note_page_paragraphs(session, "bare", reports[3], [footer, body])
        note_page_paragraphs(session, "bare", reports[3], [footer, body])
        assert load_chrome(session, "bare", [footer, other]).chrome == {footer}
        assert sum("page_units" in s for s in statements) == 1  # the first note; the rest answered as known
        assert not load_chrome(session, "bare", [body]).is_chrome(body)
        assert sum("page_units" in s for s in statements) == 2  # body's unit was noted: asked again


def test_a_sentence_is_never_asked_whether_it_repeats(archive: Archive) -> None:
    """A sentence is not chrome for repeating, so whether other reports' pages show it is never
    asked: not with the paragraphs of a page, nor again once another report shows it (the
    departments of one government print the same sentences on every report page)."""
    sentence, link = "本年度未收取信息处理费。", "政府信息公开指南"
    statements: list[tuple[str, Any]] = []  # each with its parameters
    with archive.session() as session, session.begin():
        reports = [session.connection().execute(sa.insert(Report).returning(Report.id), {
            "agency_key": f"某某局{n}", "agency": f"某某局{n}", "year": 2020, "kind": "annual", "first_seen": T0,
            "last_seen": T0}).scalar_one() for n in range(4)]
        sa.event.listen(session.connection(), "before_cursor_execute", lambda *args: statements.append(args[2:4]))
        assert not load_chrome(session, "bare", [sentence]).chrome
        assert not any("page_units" in s for s, _ in statements)  # its shape alone was asked about
        for report_id in reports:
            note_page_paragraphs(session, "bare", report_id, [sentence, link])
        statements.clear()
        assert load_chrome(session, "bare", [sentence, link]).chrome == {link}
        # the link, never asked before, is asked about; the sentence, noted on four reports since, is not
        [asked] = [parameters for s, parameters in statements if "page_units" in s]
        assert len(asked) == 3  # one unit, the site and how many reports make a repeat


def test_the_paragraph_hashes_remembered_are_bounded_whatever_a_crawl_hashes() -> None:
    # Every report brings paragraphs of its own; a crawl of 20,000 reports grew each worker by
    # some 70 MB of remembered paragraphs when the bound was 65,536.
    for n in range(12_000):
        paragraph = f"第{n}段：本机关全年主动公开政府信息{n}条，其中通过政府网站公开{n // 2}条。"
        assert shape_hash(paragraph) != unit_hash(paragraph)
    for remembered in (unit_hash, shape_hash):
        assert remembered.cache_info().currsize <= 4096


def test_a_batch_keys_reports_that_share_paragraphs_as_each_recorded_alone(tmp_path: Path, seeds_dir: Path) -> None:
    """A site's footer on every report page is chrome from the third report that shows it:
    recorded in one batch (whose chrome is asked for all its pages at once), each report gets
    the content key it gets recorded alone."""
    footer = "\n本网站由某某区人民政府办公室主办\n联系电话：0533-12345678\n"
    seeds = sorted(seeds_dir.glob("00?_*.txt"))

    def captures() -> list[CaptureInput]:
        return [with_parts(capture_of(path.read_bytes() + footer.encode(), f"http://gov.test/{i}.html", minutes=i))
                for i, path in enumerate(seeds)]

    keys = []
    for together in (False, True):
        with Archive.open(f"sqlite:///{tmp_path}/{together}.sqlite3", tmp_path / str(together)) as archive:
            results = archive.record_many(captures()) if together else [archive.record(c) for c in captures()]
            with archive.session() as session:
                keys.append([(r.outcome, session.get(Version, r.version_id).content_key) for r in results])
                assert load_chrome(session, "testsite", ["联系电话：0533-12345678"]).chrome  # the footer is chrome
    assert [outcome for outcome, _ in keys[0]] == ["new_report"] * len(seeds)
    assert keys[1] == keys[0]
