"""What a crawl needs to know of earlier crawls of its site, read in three queries (four
when the site re-checks its known pages in turns, see ``harvester.recheck``).

A re-crawl asks, for every report page and attachment, which validators to send and which
attachments a page had last time, and for every page fetched in full whether its bytes are
the ones recorded last time. Asking the database once per request costs more than the
304 it saves on a loopback portal, so a crawl reads a snapshot of its site at start.
The snapshot cannot go stale within a crawl: each URL is fetched once per crawl, and what
the crawl itself records is never asked for again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.clock import as_utc
from storage.models import Capture
from storage.oneof import one_of

Validators = tuple[str | None, str | None]
# A page capture that answered and was recorded: a failed one leaves its page to be asked again.
_ANSWERED = sa.and_(Capture.status.in_(("ok", "not_modified")), Capture.outcome.in_(("new_report", "new_version", "unchanged")))


@dataclass(frozen=True)
class PageHistory:
    """When a report page was last answered, and when its report last changed after it was
    first recorded (None: never); UTC, as the archive keeps them."""

    checked_at: datetime | None
    changed_at: datetime | None


@dataclass
class CrawlState:
    validators: dict[str, Validators] = field(default_factory=dict)  # url -> (etag, last_modified)
    downloaded_at: dict[str, datetime] = field(default_factory=dict)  # url -> when the validators' download was
    attachments: dict[str, list[str]] = field(default_factory=dict)  # page url -> attachment urls, in order
    # page url -> sha256 of the page's newest capture recorded as a version: a page fetched
    # again with these bytes (a portal sending no validators) may need no parse
    recorded_pages: dict[str, str] = field(default_factory=dict)
    pages: dict[str, PageHistory] = field(default_factory=dict)  # report page url -> its history, when asked for


_IDS_PER_STATEMENT = 5000  # well under SQLite's limit on bound parameters
_ATTACHMENTS_OF = sa.select(Capture.id, Capture.page_capture_id, Capture.url).where(one_of(Capture.page_capture_id, "ids"))


def _newest_per_url(*conditions: sa.ColumnElement[bool]) -> sa.Subquery:
    rank = sa.func.row_number().over(
        partition_by=Capture.url, order_by=(Capture.fetched_at.desc(), Capture.id.desc())
    )
    return sa.select(Capture.id, Capture.url, rank.label("rank")).where(*conditions).subquery()


def load_crawl_state(session: Session, site: str, *, page_history: bool = False) -> CrawlState:
    """The newest validators of every URL, and the newest attachments of every page, of ``site``;
    with ``page_history``, when each report page was last answered and last changed.

    Same rules as ``Archive.validators`` and ``Archive.known_attachments``, for all URLs at once.
    """
    fetched = _newest_per_url(
        Capture.site == site,
        Capture.sha256.is_not(None),
        Capture.status == "ok",
        sa.or_(Capture.etag.is_not(None), Capture.last_modified.is_not(None)),
    )
    rows = session.execute(
        sa.select(Capture.url, Capture.etag, Capture.last_modified, Capture.fetched_at)
        .join(fetched, fetched.c.id == Capture.id)
        .where(fetched.c.rank == 1)
    ).all()
    state = CrawlState(validators={row.url: (row.etag, row.last_modified) for row in rows},
                       downloaded_at={row.url: as_utc(row.fetched_at) for row in rows})

    pages = _newest_per_url(Capture.site == site, Capture.role == "page", Capture.outcome != "failed")
    newest_pages = dict(session.execute(sa.select(pages.c.id, pages.c.url).where(pages.c.rank == 1)).all())
    # The pages' attachments asked for by the pages' ids, through their index: joined to the
    # ranked pages instead, the planner could read the whole captures table, every site's.
    found: list[Any] = []
    ids = sorted(newest_pages)
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        found += session.execute(_ATTACHMENTS_OF, {"ids": ids[start:start + _IDS_PER_STATEMENT]}).all()
    attachments: dict[str, list[str]] = defaultdict(list)
    for _, page_id, url in sorted(found):  # in the order they were fetched
        attachments[newest_pages[page_id]].append(url)
    state.attachments = dict(attachments)

    recorded = _newest_per_url(Capture.site == site, Capture.role == "page", Capture.version_id.is_not(None),
                               Capture.sha256.is_not(None))
    state.recorded_pages = {row.url: row.sha256 for row in session.execute(
        sa.select(Capture.url, Capture.sha256).join(recorded, recorded.c.id == Capture.id).where(recorded.c.rank == 1))}
    if page_history:
        state.pages = _page_history(session, site)
    return state


def _page_history(session: Session, site: str) -> dict[str, PageHistory]:
    checked = sa.func.max(sa.case((_ANSWERED, Capture.fetched_at)))
    changed = sa.func.max(sa.case((Capture.outcome == "new_version", Capture.fetched_at)))
    rows = session.execute(sa.select(Capture.url, checked, changed)
                           .where(Capture.site == site, Capture.role == "page").group_by(Capture.url))
    return {url: PageHistory(checked_at, changed_at) for url, checked_at, changed_at in rows}
