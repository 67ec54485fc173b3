"""What the crawler asks the archive: validators, stored bodies, known attachments, runs."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from storage.archive import Archive
from storage.capture import CaptureInput
from storage.clock import as_utc
from storage.models import Capture
from tests.storage.conftest import SEED_ZIBO, T0, capture_of, page


def test_validators_and_latest_body_come_from_the_newest_fetch(archive: Archive, seed) -> None:
    url = "http://gov.test/art/9.html"
    assert archive.validators(url) is None and archive.latest_body(url) is None and archive.latest_sha256(url) is None
    capture = capture_of(seed(SEED_ZIBO), url=url)
    capture.page.etag, capture.page.last_modified = '"v1"', "Mon, 05 Jan 2026 08:00:00 GMT"
    archive.record(capture)
    assert archive.validators(url) == ('"v1"', "Mon, 05 Jan 2026 08:00:00 GMT")
    assert archive.latest_body(url) == seed(SEED_ZIBO)
    assert archive.latest_sha256(url) == hashlib.sha256(seed(SEED_ZIBO)).hexdigest()


def test_not_modified_page_without_parse_is_unchanged(archive: Archive, seed) -> None:
    url = "http://gov.test/art/9.html"
    first = archive.record(capture_of(seed(SEED_ZIBO), url=url))
    again = CaptureInput(site="testsite", page=page(url, None, minutes=30, http_status=304, status="not_modified"))
    result = archive.record(again)
    assert result.outcome == "unchanged" and result.version_id == first.version_id


def test_not_modified_page_never_seen_before_fails(archive: Archive) -> None:
    capture = CaptureInput(site="testsite", page=page("http://gov.test/unknown.html", None, http_status=304, status="not_modified"))
    result = archive.record(capture)
    assert result.outcome == "failed" and "none stored before" in result.error


def test_known_attachments_lists_the_newest_capture(archive: Archive, seed) -> None:
    url = "http://gov.test/art/5.html"
    assert archive.known_attachments(url) == []
    attachments = [page("http://gov.test/f/b.pdf", b"b"), page("http://gov.test/f/a.docx", b"a")]
    archive.record(capture_of(seed(SEED_ZIBO), url=url, attachments=attachments))
    assert archive.known_attachments(url) == ["http://gov.test/f/b.pdf", "http://gov.test/f/a.docx"]


def test_runs_are_recorded_and_listed_newest_first(archive: Archive) -> None:
    first = archive.start_run("zibo", "crawl")
    second = archive.start_run("weihai", "scheduled")
    archive.finish_run(first, "ok", {"pages": 12, "new_versions": 2})
    runs = archive.runs()
    assert [r.id for r in runs] == [second, first]
    done = archive.runs(site="zibo")[0]
    assert (done.status, done.stats, done.finished_at is not None) == ("ok", {"pages": 12, "new_versions": 2}, True)
    assert archive.runs(site="weihai")[0].status == "running"



def test_a_new_run_closes_the_sites_dead_run_as_interrupted(archive: Archive, seed) -> None:
    dead = archive.start_run("zibo")  # its crawl was killed: never finished
    archive.record(capture_of(seed(SEED_ZIBO), run_id=dead, minutes=5))
    other_site = archive.start_run("weihai")
    archive.start_run("zibo")
    runs = {r.id: r for r in archive.runs()}
    assert (runs[dead].status, as_utc(runs[dead].finished_at)) == ("interrupted", T0 + timedelta(minutes=5))
    assert runs[other_site].status == "running"  # another site's crawl may well be running


def test_capture_is_linked_to_its_run(archive: Archive, seed) -> None:
    run_id = archive.start_run("zibo")
    result = archive.record(capture_of(seed(SEED_ZIBO), run_id=run_id))
    with archive.session() as session:
        assert session.get(Capture, result.capture_id).run_id == run_id
