"""The notification ledger: which events each rule has delivered, and which it still owes.

A rule delivers an event once. A delivery that failed stays owed, with the event as it was
announced, and is offered again at the next dispatch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storage.clock import utcnow
from storage.db import retrying, writer
from storage.models import Notification


def delivered(session: Session, rule: str, keys: Iterable[str]) -> set[str]:
    """The keys among ``keys`` that ``rule`` has already sent."""
    wanted = list(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(session.scalars(
            sa.select(Notification.event_key)
            .where(Notification.rule == rule, Notification.status == "sent",
                   Notification.event_key.in_(wanted[start : start + 500]))
        ))
    return found


def owed(session: Session, rule: str) -> list[dict[str, Any]]:
    """Events whose delivery by ``rule`` failed, as they were announced, oldest first."""
    return list(session.scalars(
        sa.select(Notification.event).where(Notification.rule == rule, Notification.status == "failed")
        .order_by(Notification.last_attempt)
    ))


def mark(engine: Engine, rule: str, events: list[dict[str, Any]], *, ok: bool, error: str | None = None) -> None:
    """Record one delivery attempt of ``events`` (their ``key`` fields) by ``rule``."""

    def write() -> None:
        with Session(writer(engine)) as session, session.begin():
            now = utcnow()
            for event in events:
                row = session.get(Notification, (rule, event["key"]))
                if row is None:
                    row = Notification(rule=rule, event_key=event["key"], attempts=0, event=event)
                    session.add(row)
                row.status, row.error, row.last_attempt = ("sent" if ok else "failed"), error, now
                row.attempts += 1

    retrying(write)
