"""Times in the archive are UTC; SQLite hands them back without a zone, so fold them here."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A naive time is taken as UTC (SQLite drops the zone; the crawler may pass naive times)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def later(a: datetime, b: datetime) -> datetime:
    return max(as_utc(a), as_utc(b))
