"""The crawl snapshot gives, for all URLs at once, what the per-URL archive lookups give."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from storage.archive import Archive
from storage.clock import as_utc
from storage.crawlstate import load_crawl_state
from storage.models import Blob, Capture
from tests.storage.conftest import SEED_ZHANGDIAN_2023, SEED_ZIBO, T0, capture_of, capture_row, counting_steps, page


def test_snapshot_agrees_with_the_per_url_lookups(db_url: str, data_dir: Path, seed: Callable[[str], bytes]) -> None:
    zibo, zhangdian = seed(SEED_ZIBO), seed(SEED_ZHANGDIAN_2023)
    with Archive.open(db_url, data_dir) as archive:
        first = capture_of(zibo, "http://gov.test/a.html")
        first.page.etag, first.page.last_modified = '"v1"', "Sat, 10 Jan 2026 08:00:00 GMT"
        archive.record(first)
        later = capture_of(zibo, "http://gov.test/a.html", minutes=5)
        later.page.etag = '"v2"'
        archive.record(later)
        with_attachment = capture_of(
            b"<html><body><a href='r.docx'>2023</a></body></html>", "http://gov.test/b.html", minutes=1,
            attachments=[page("http://gov.test/r.docx", zhangdian, minutes=1, etag='"d1"')],
            listing_title="山东张店经济开发区管理委员会2023年政府信息公开工作年度报告",
        )
        archive.record(with_attachment)
        archive.record(capture_of(zibo, "http://other.test/c.html", site="othersite", minutes=2))

        with archive.session() as session:
            state = load_crawl_state(session, "testsite")
        urls = ["http://gov.test/a.html", "http://gov.test/b.html", "http://gov.test/r.docx"]
        assert state.validators == {url: archive.validators(url) for url in urls if archive.validators(url)}
        assert state.validators["http://gov.test/a.html"] == ('"v2"', None)
        assert state.attachments == {"http://gov.test/b.html": ["http://gov.test/r.docx"]}
        assert archive.known_attachments("http://gov.test/b.html") == ["http://gov.test/r.docx"]
        assert "http://other.test/c.html" not in state.validators
        # the bytes of each page's newest capture recorded as a version, and what they were recorded as
        assert set(state.recorded_pages) == {"http://gov.test/a.html", "http://gov.test/b.html"}
        assert archive.recorded_as_version("http://gov.test/a.html", state.recorded_pages["http://gov.test/a.html"], [])
        b_sha, docx_sha = state.recorded_pages["http://gov.test/b.html"], archive.latest_sha256("http://gov.test/r.docx")
        assert archive.recorded_as_version("http://gov.test/b.html", b_sha, [docx_sha])
        assert not archive.recorded_as_version("http://gov.test/b.html", b_sha, [])  # its attachment is missing
        assert archive.recorded_as_version("http://gov.test/b.html", b_sha, [docx_sha, None])  # None: not fetched
        # the same report's bytes at another site's URL: its version was first seen elsewhere,
        # and is found through what these bytes at this URL were recorded as
        assert archive.recorded_as_version("http://other.test/c.html", state.recorded_pages["http://gov.test/a.html"], [])
        assert not archive.recorded_as_version("http://other.test/c.html", b_sha, [docx_sha])


def test_a_page_whose_capture_failed_is_not_taken_for_recorded(db_url: str, data_dir: Path) -> None:
    with Archive.open(db_url, data_dir) as archive:
        # bytes without a parse that match no version: stored, and recorded as failed
        failed = capture_of(b"<html><body>no report</body></html>", "http://gov.test/f.html")
        failed.parse = None
        assert archive.record(failed).outcome == "failed"
        with archive.session() as session:
            assert load_crawl_state(session, "testsite").recorded_pages == {}


def test_page_history_says_when_each_page_last_answered_and_last_changed(db_url: str, data_dir: Path,
                                                                          seed: Callable[[str], bytes]) -> None:
    zibo, zhangdian = seed(SEED_ZIBO), seed(SEED_ZHANGDIAN_2023)
    revised = zibo.replace("\t行政许可\n\t0\n\t50\n".encode(), "\t行政许可\n\t0\n\t51\n".encode(), 1)
    with Archive.open(db_url, data_dir) as archive:
        archive.record(capture_of(zibo, "http://gov.test/a.html"))  # new report: not a change
        archive.record(capture_of(revised, "http://gov.test/a.html", minutes=5))  # new version
        archive.record(capture_of(revised, "http://gov.test/a.html", minutes=9))  # unchanged
        archive.record(capture_of(zhangdian, "http://gov.test/b.html", minutes=1))
        not_modified = capture_of(zhangdian, "http://gov.test/b.html", minutes=7)
        not_modified.page.status, not_modified.page.http_status, not_modified.page.body = "not_modified", 304, None
        not_modified.parse = None
        archive.record(not_modified)
        failed = capture_of(b"<html><body>no report</body></html>", "http://gov.test/f.html", minutes=3)
        failed.parse = None
        archive.record(failed)
        with archive.session() as session:
            assert load_crawl_state(session, "testsite").pages == {}  # only when asked for
            pages = load_crawl_state(session, "testsite", page_history=True).pages

    def minutes(moment) -> int | None:  # type: ignore[no-untyped-def]
        return None if moment is None else round((as_utc(moment) - T0).total_seconds() / 60)

    assert {url: (minutes(h.checked_at), minutes(h.changed_at)) for url, h in pages.items()} == {
        "http://gov.test/a.html": (9, 5),
        "http://gov.test/b.html": (7, None),
        "http://gov.test/f.html": (None, None),  # its only fetch failed: never answered
    }


def _pages_with_attachments(site: str, host: str, pages: int, fetches: int, first_id: int) -> list[dict[str, object]]:
    """Rows of ``pages`` report pages of a site, each fetched ``fetches`` times with one attachment."""
    rows: list[dict[str, object]] = []
    for page_no in range(pages):
        for day in range(fetches):
            page_id = first_id + len(rows)
            rows.append({**capture_row(f"http://{host}/{page_no}.html", day, "a" * 64, "ok", site=site),
                         "id": page_id, "outcome": "unchanged", "page_capture_id": None})
            rows.append({**capture_row(f"http://{host}/{page_no}.pdf", day, "a" * 64, "ok", site=site),
                         "id": page_id + 1, "role": "attachment", "page_capture_id": page_id, "outcome": None})
    return rows


def test_a_sites_snapshot_reads_its_own_captures_not_every_sites(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        with archive.engine.begin() as conn:
            conn.execute(Blob.__table__.insert(), [{"sha256": "a" * 64, "size": 1, "stored_at": T0}])
            conn.execute(Capture.__table__.insert(), _pages_with_attachments("testsite", "gov.test", 20, 3, 1))

        def steps() -> int:
            with archive.session() as session, counting_steps(session.connection()) as counted:
                state = load_crawl_state(session, "testsite", page_history=True)
            assert state.attachments == {f"http://gov.test/{n}.html": [f"http://gov.test/{n}.pdf"] for n in range(20)}
            return counted[0]

        steps()
        alone = steps()
        with archive.engine.begin() as conn:  # a national archive: other sites' captures, many more
            for n in range(7):
                conn.execute(Capture.__table__.insert(), _pages_with_attachments(f"s{n}", f"s{n}.test", 60, 10, 10_000 * (n + 1)))
            conn.exec_driver_sql("ANALYZE")
        assert steps() <= alone * 1.5 + 5
