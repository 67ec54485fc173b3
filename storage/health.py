"""Is a site still yielding reports? Judged from a crawl run's statistics against the runs before.

A broken list walker looks like a quiet year: the column answers, nothing is found. So a run
that found no report links where earlier runs of the site found some is unhealthy, as is one
that found under half as many (a pager that vanished, a list page answering junk), and so is
one that met a challenge page, was refused by robots.txt, or got a run of server errors.
Statistics a crawler did not record count as 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.models import Run

# Server errors (5xx, time-outs) in one run that make a site unhealthy.
SERVER_ERRORS_LIMIT = 3
# A column listing under half of what it listed before, by at least this many reports, is read
# short (a pager gone, a list page answering junk), not emptied: no report is withdrawn.
SHRINK_MIN_LOST = 3


@dataclass
class RunHealth:
    run_id: int
    site: str
    checked_at: datetime
    reasons: list[str] = field(default_factory=list)
    blocked: bool = False

    @property
    def healthy(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class Earlier:
    """What the site's recent successful runs before a run saw."""

    runs: int = 0
    found: int = 0  # most report links one of them found
    disallowed: int = 0  # most URLs robots.txt refused one of them


def assess(run: Run, earlier: Earlier) -> RunHealth:
    """The health of one finished run, against the runs before it."""
    stats: dict[str, Any] = run.stats or {}
    health = RunHealth(run.id, run.site, run.finished_at or run.started_at)
    blocked = int(stats.get("blocked", 0))
    if blocked:
        health.blocked = True
        health.reasons.append(f"{blocked} response(s) were challenge pages")
    disallowed = int(stats.get("robots_disallowed", 0))
    # A portal's robots.txt may always have kept us from a preview or draft link; what matters
    # is that it refuses more than before, or refuses a first crawl everything.
    if disallowed > earlier.disallowed and (earlier.runs or not int(stats.get("reports_found", 0))):
        health.reasons.append(f"robots.txt now disallows {disallowed} URL(s) (before: {earlier.disallowed})")
    server_errors = int(stats.get("server_errors", 0))
    if server_errors >= SERVER_ERRORS_LIMIT:
        health.reasons.append(f"{server_errors} server errors")
    empty_selectors = int(stats.get("selector_empty", 0))
    if empty_selectors:
        health.reasons.append(f"a configured selector matched nothing on {empty_selectors} list page(s)")
    found = int(stats.get("reports_found", 0))
    if found == 0 and earlier.found > 0:
        health.reasons.append(f"list pages yielded no report links (earlier runs found {earlier.found})")
    elif found * 2 < earlier.found and earlier.found - found >= SHRINK_MIN_LOST:
        health.reasons.append(f"list pages yielded {found} report links, under half of the {earlier.found} earlier runs found")
    if run.status == "failed":  # an interrupted run is the operator's doing, not the site's
        health.reasons.append("the crawl failed")
    return health


def assess_runs(session: Session, run_ids: Iterable[int]) -> list[RunHealth]:
    runs = list(session.scalars(sa.select(Run).where(Run.id.in_(list(run_ids)), Run.status != "running").order_by(Run.id)))
    return [run_health(session, run) for run in runs]


def trouble_started(session: Session, health: RunHealth) -> int:
    """The first run of the unbroken series of unhealthy runs that ``health``'s run ends:
    one breakage is one event, however many crawls meet it."""
    earlier = session.scalars(
        sa.select(Run).where(Run.site == health.site, Run.id < health.run_id, Run.status != "running")
        .order_by(Run.id.desc()).limit(50)
    )
    start = health.run_id
    for run in earlier:
        before = run_health(session, run)
        if before.healthy or before.blocked != health.blocked:
            break
        start = run.id
    return start


def site_health(session: Session, sites: Iterable[str] | None = None) -> dict[str, RunHealth]:
    """Each site's health as of its newest finished run (sites never crawled are absent)."""
    newest = sa.select(sa.func.max(Run.id)).where(Run.status != "running").group_by(Run.site)
    query = sa.select(Run).where(Run.id.in_(newest))
    if sites is not None:
        query = query.where(Run.site.in_(list(sites)))
    return {run.site: run_health(session, run) for run in session.scalars(query)}


def run_health(session: Session, run: Run) -> RunHealth:
    """One run's health, against the site's runs before it."""
    return assess(run, _earlier(session, run))


def _earlier(session: Session, run: Run) -> Earlier:
    stats = [s or {} for s in session.scalars(
        sa.select(Run.stats).where(Run.site == run.site, Run.id < run.id, Run.status == "ok")
        .order_by(Run.id.desc()).limit(10)
    )]
    return Earlier(len(stats), max((int(s.get("reports_found", 0)) for s in stats), default=0),
                   max((int(s.get("robots_disallowed", 0)) for s in stats), default=0))
