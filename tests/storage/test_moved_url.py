"""A report re-posted at a new URL stays one report, and a later 304 there is "unchanged"."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from storage.archive import Archive
from storage.capture import CaptureInput
from tests.storage.conftest import SEED_ZIBO, capture_of, page


def test_not_modified_at_the_new_url_of_a_moved_report_is_unchanged(
    db_url: str, data_dir: Path, seed: Callable[[str], bytes]
) -> None:
    data = seed(SEED_ZIBO)
    old_url, new_url = "http://gov.test/art/old.html", "http://gov.test/content/post_9.html"
    with Archive.open(db_url, data_dir) as archive:
        assert archive.record(capture_of(data, old_url)).outcome == "new_report"
        moved = archive.record(capture_of(data, new_url, minutes=10))
        assert moved.outcome == "unchanged"
        not_modified = CaptureInput(
            site="testsite", page=page(new_url, None, minutes=20, http_status=304, status="not_modified"), parse=None
        )
        result = archive.record(not_modified)
        assert result.outcome == "unchanged", result.error
        assert (result.report_id, result.version_no) == (moved.report_id, moved.version_no)
