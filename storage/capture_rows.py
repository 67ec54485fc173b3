"""Writing the ``captures`` rows of recorded captures: the page's row (with what came of the
capture) and a row per attachment pointing at it.

A recording batch writes them when it ends (``storage.later_rows``): every page row of the
batch in one statement, their ids back in order, then every attachment row in another.
Code that reads captures rows while the batch records (what a URL answered last) writes
those waiting first (``storage.later_rows.write_waiting``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.bulk import InsertMany
from storage.capture import CaptureInput, RecordResult, capture_values
from storage.later_rows import insert_later
from storage.models import Capture

_Recorded = tuple[dict[str, Any], list[dict[str, Any]], RecordResult]


def record_rows(session: Session, capture: CaptureInput, shas: dict[int, str | None], result: RecordResult) -> None:
    """Write the capture's rows with what came of it (``result``), whose ``capture_id`` becomes
    its page row's id once written. ``shas``: the stored bytes of each resource, by ``id()``."""
    page = capture_values(capture, capture.page, shas[id(capture.page)], "page", None)
    page.update(outcome=result.outcome, report_id=result.report_id, version_id=result.version_id,
                error=capture.page.error or (result.error if result.outcome == "failed" else None))
    attachments = [capture_values(capture, a, shas[id(a)], "attachment", None) for a in capture.attachments]
    insert_later(session, _write, [(page, attachments, result)])


def _write(connection: sa.Connection, recorded: list[_Recorded]) -> None:
    ids = _PAGE_INSERT.execute(connection, [{**_NO_CAPTURE_VALUES, **page} for page, _, _ in recorded])
    _ATTACHMENT_INSERT.execute(connection, [{**_NO_CAPTURE_VALUES, **row, "page_capture_id": page_id}
                                            for page_id, (_, rows, _) in zip(ids, recorded) for row in rows])
    for page_id, (_, _, result) in zip(ids, recorded):
        result.capture_id = page_id


# A captures row as written here: every column but the id, those a capture does not set NULL.
_NO_CAPTURE_VALUES: dict[str, Any] = {column.name: None for column in Capture.__table__.columns if column.name != "id"}
_PAGE_INSERT = InsertMany(Capture.__table__, list(_NO_CAPTURE_VALUES), ids=True)
_ATTACHMENT_INSERT = InsertMany(Capture.__table__, list(_NO_CAPTURE_VALUES))
