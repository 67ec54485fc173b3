"""Which report pages the archive already holds a crawl asks for again: a site's ``recheck``.

By default every crawl asks for every listed report page, conditionally, so an unchanged one
costs a 304. A national list re-checked daily still makes some 300,000 such requests a day,
nearly all answered "not modified", and politeness makes a province's platform of 10,000
reports take hours of them. A site may instead re-check its known pages in turns::

    recheck:
      every_days: 7    # a known page is asked again at least this often
      fresh_days: 30   # ... and on every crawl while its report is this new or newly changed

A listed page is then asked for when the archive has never recorded an answer from it (a new
report, or one whose last fetch failed), when its list entry is dated within ``fresh_days``,
when its report changed within ``fresh_days``, or when its turn has come. Each page's turn
comes between half of ``every_days`` and the whole of it after its last answer, placed by a
hash of its URL, so the thousands of pages a first harvest records on one day come due on
different days rather than all on the same day a week later. A page left for a later crawl is
still listed: it counts as found, and is never taken for withdrawn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from storage.clock import as_utc

if TYPE_CHECKING:  # a parse worker loads the site config, hence this module, but never the database
    from storage.crawlstate import PageHistory

DEFAULT_FRESH_DAYS = 30.0


@dataclass(frozen=True)
class RecheckPolicy:
    every_days: float | None = None  # None: every crawl asks for every listed page
    fresh_days: float = DEFAULT_FRESH_DAYS

    @property
    def in_turns(self) -> bool:
        return self.every_days is not None

    def interval(self, url: str) -> timedelta:
        """How long after its last answer ``url`` is asked again (when not fresh)."""
        assert self.every_days is not None
        place = int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=2).digest(), "big") / 0xFFFF
        return timedelta(days=self.every_days * (0.5 + 0.5 * place))

    def due(self, url: str, listed_on: str | None, known: PageHistory | None, now: datetime) -> bool:
        """Whether a crawl at ``now`` asks for the report page ``url``, listed as of ``listed_on``
        (the list entry's date, ISO, if it prints one) with ``known`` from the archive."""
        if self.every_days is None or known is None or known.checked_at is None:
            return True
        fresh = timedelta(days=self.fresh_days)
        listed = _date(listed_on)
        if listed is not None and now.date() - listed <= fresh:
            return True
        if known.changed_at is not None and now - as_utc(known.changed_at) <= fresh:
            return True
        return now - as_utc(known.checked_at) >= self.interval(url)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
