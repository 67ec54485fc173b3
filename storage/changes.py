"""Storing what a version changed relative to the one before it (the ``changes`` rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from storage.cellnames import NamedCell
from storage.diff import diff_versions
from storage.later_rows import insert_rows
from storage.models import Change, Version
from storage.parse_rows import attachment_hashes, attachments_of, held_parses


def record_change(session: Session, previous: Version, version: Version) -> str:
    """Store (or replace) what ``version`` changed relative to ``previous``; return the grade."""
    diff = diff_versions(
        previous.report_json, version.report_json, attachment_hashes(session, previous.id), attachment_hashes(session, version.id)
    )
    session.merge(Change(
        version_id=version.id, previous_version_id=previous.id, significance=diff.significance, summary=diff.to_dict()
    ))
    return diff.significance


def record_new_change(session: Session, previous_id: int, version_id: int, report: dict[str, Any] | None,
                      attachments: Sequence[str], cells: list[NamedCell] | None = None) -> str:
    """Store what a version just recorded (``report``, ``attachments``; ``cells``, its
    ``named_cells`` where they were made already) changed relative to the stored version
    ``previous_id``; return the grade. The new version's parse is the one at hand, the
    previous one's is read only when this transaction did not write it."""
    previous = held_parses(session, {previous_id})[previous_id]
    previous_attachments = attachments_of(session, [previous_id])[previous_id]
    diff = diff_versions(previous, report, previous_attachments, attachments, new_cells=cells)
    insert_rows(session, Change.__table__, [{"version_id": version_id, "previous_version_id": previous_id,
                                             "significance": diff.significance, "summary": diff.to_dict()}])
    return diff.significance
