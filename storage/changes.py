"""Storing what a version changed relative to the one before it (the ``changes`` rows)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.diff import diff_versions
from storage.models import Change, Version, VersionAttachment


def record_change(session: Session, previous: Version, version: Version) -> str:
    """Store (or replace) what ``version`` changed relative to ``previous``; return the grade."""
    diff = diff_versions(
        previous.report_json, version.report_json, attachment_hashes(session, previous.id), attachment_hashes(session, version.id)
    )
    session.merge(Change(
        version_id=version.id, previous_version_id=previous.id, significance=diff.significance, summary=diff.to_dict()
    ))
    return diff.significance


def attachment_hashes(session: Session, version_id: int) -> list[str]:
    session.flush()
    return list(session.scalars(sa.select(VersionAttachment.sha256).where(VersionAttachment.version_id == version_id)))
