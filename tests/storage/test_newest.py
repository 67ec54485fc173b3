"""The newest capture of each URL: the right one whatever the order the rows were written in,
and found in steps that do not grow with the URL's history (a page re-checked daily gains a
capture a day)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from storage.archive import Archive
from storage.models import Blob, Capture
from storage.newest import NewestCaptures
from tests.storage.conftest import T0, capture_row, counting_steps

CAPTURES = Capture.__table__
SHAS = ["a" * 64, "b" * 64, "c" * 64]
LATEST_BYTES = NewestCaptures(("url",), lambda capture, asked: capture.c.sha256.is_not(None), ("url", "sha256", "id"))
RECORDED_WITH = NewestCaptures(
    ("url", "sha256"),
    lambda capture, asked: sa.and_(capture.c.sha256 == asked.c.sha256, capture.c.version_id.is_(None)),
    ("url", "id"))


def test_the_newest_capture_meeting_the_condition_is_found_for_each_url(archive: Archive) -> None:
    with archive.engine.begin() as conn:
        conn.execute(Blob.__table__.insert(), [{"sha256": sha, "size": 1, "stored_at": T0} for sha in SHAS])
    shuffle = random.Random(7)
    rows = [capture_row(f"http://gov.test/{u}.html", shuffle.choice([1, 2, 3, 3.5]), shuffle.choice([*SHAS, None]))
            for u in range(12) for _ in range(15)]
    shuffle.shuffle(rows)  # ids out of the order of the fetches; equal fetch times are told apart by id
    with archive.engine.begin() as conn:
        conn.execute(CAPTURES.insert(), rows)
        stored = conn.execute(sa.select(CAPTURES.c.id, CAPTURES.c.url, CAPTURES.c.fetched_at, CAPTURES.c.sha256)).all()
        urls = [f"http://gov.test/{u}.html" for u in range(14)]  # two never fetched

        def newest(keep: Any) -> dict[str, Any]:
            best: dict[str, Any] = {}
            for row in stored:
                if keep(row) and (row.url not in best or (row.fetched_at, row.id) > (best[row.url].fetched_at, best[row.url].id)):
                    best[row.url] = row
            return best

        latest = newest(lambda row: row.sha256 is not None)
        assert {tuple(r) for r in LATEST_BYTES.execute(conn, [(url,) for url in urls])} == {
            (url, row.sha256, row.id) for url, row in latest.items()}
        asked = [(url, SHAS[i % 3]) for i, url in enumerate(urls)]
        wanted = dict(asked)
        assert dict(RECORDED_WITH.execute(conn, asked)) == {
            url: row.id for url, row in newest(lambda row: row.sha256 == wanted.get(row.url)).items()}
        assert LATEST_BYTES.execute(conn, []) == []


def test_finding_what_a_page_answered_last_does_not_read_its_whole_history(tmp_path: Path) -> None:
    urls = [f"http://gov.test/art/{u}.html" for u in range(32)]
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path / "data") as archive:
        with archive.engine.begin() as conn:
            conn.execute(Blob.__table__.insert(), [{"sha256": sha, "size": 1, "stored_at": T0} for sha in SHAS])
            conn.execute(CAPTURES.insert(), [capture_row(url, 400 + day, SHAS[0]) for url in urls for day in range(10)])

        def steps() -> int:
            with archive.engine.begin() as conn, counting_steps(conn) as counted:
                assert len(LATEST_BYTES.execute(conn, [(url,) for url in urls])) == len(urls)
                assert len(RECORDED_WITH.execute(conn, [(url, SHAS[0]) for url in urls])) == len(urls)
            return counted[0]

        steps()  # the statements compiled and the pages read once
        recent = steps()
        with archive.engine.begin() as conn:  # a year of daily 304s before them
            conn.execute(CAPTURES.insert(), [capture_row(url, day, SHAS[0]) for url in urls for day in range(400)])
            conn.exec_driver_sql("ANALYZE")
        assert steps() <= recent * 1.5 + 5
