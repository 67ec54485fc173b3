"""The parse worker sends the parts of a parse's content key with it, and the archive writer
finds from them the key it would compute from the report itself."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harvester.pipelines.bodies import PackedReport
from harvester.pipelines.capture_parse import parse_stored
from storage.blobs import BlobStore
from storage.fingerprint import capture_content, content_key, parts_key
from storage.json_text import from_json
from tests.crawl.test_handoff import PAGE_URL, fetched_capture
from tests.crawl.test_parse_pipeline import SITE


def test_the_parse_comes_with_the_parts_of_its_content_key(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    item, page = fetched_capture()
    sent = parse_stored(item, SITE, {PAGE_URL: store.put(page)}, store.root, {}).outcome
    assert isinstance(sent.report, PackedReport)  # handed on unread; the writer reads it only to write a new version
    outcome = replace(sent, report=from_json(sent.report))
    assert outcome.content is not None and outcome.content.page_text
    content = capture_content(item, [], outcome)
    texts = content.texts()
    assert len(outcome.content.shapes) == len(texts) > 10
    attachments = ("a" * 64, "b" * 64)
    for chrome in (set(), set(texts[::3]), set(texts)):
        with_attachments = capture_content(item, list(attachments), outcome)
        assert parts_key(outcome.content, attachments, chrome.__contains__) == content_key(with_attachments, chrome.__contains__)
