"""The scheduler loop: start each site's crawl when its schedule says, one at a time per site.

Sites that come due together are crawled together, in one ``harvester crawl`` process of up
to ``sites_per_crawl`` sites (its crawlers share their parse workers and archive writer,
``harvester.pipelines.shared``), and at most ``max_crawls`` such processes run at once; the
other due sites wait their turn. A national list of portals mostly shares one schedule: a
process per site, all started at once, made four processes a site (a thousand sites, four
thousand processes, each writer waiting on the one SQLite file).

Time and process start-up are injected (``Clock``, ``Launcher``) so the same loop runs for
real in ``harvester schedule`` and under a fake clock in the tests.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Callable, Protocol

from harvester.concurrency import MAX_CRAWLS, SITES_AT_ONCE
from harvester.scheduling.state import SchedulerState
from harvester.scheduling.triggers import SiteSchedule

log = logging.getLogger(__name__)

# How often running crawls are checked for completion while nothing else is due.
POLL_SECONDS = 30.0


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


class RunHandle(Protocol):
    def poll(self) -> int | None: ...


class Launcher(Protocol):
    def start(self, sites: list[str], scheduled_for: datetime) -> RunHandle: ...


@dataclass
class SystemClock:
    """Wall-clock time whose sleep a signal handler can cut short with ``wake()``
    (``time.sleep`` resumes after a handler returns, which would delay Ctrl-C by days)."""

    tz: tzinfo
    _wake: threading.Event = field(default_factory=threading.Event)

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def wake(self) -> None:
        self._wake.set()


@dataclass
class SubprocessLauncher:
    """Runs ``harvester crawl SITE...`` in its own process, its output in a log file per run
    (``SITE-SLOT.log``; ``SITE+N-SLOT.log`` for a crawl of SITE and N more sites).

    A crawl in its own process keeps Twisted's one-reactor-per-process rule and a crashing
    crawl away from the scheduler.
    """

    db_url: str
    data_dir: Path

    def start(self, sites: list[str], scheduled_for: datetime) -> subprocess.Popen[bytes]:
        log_dir = self.data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        stamp = scheduled_for.strftime("%Y%m%dT%H%M")
        named = sites[0] + (f"+{len(sites) - 1}" if len(sites) > 1 else "")
        handle = open(log_dir / f"{named}-{stamp}.log", "ab")
        # The database URL goes through the environment, not the command line, where any user
        # of the machine could read its password with ``ps``.
        env = dict(os.environ, HARVESTER_DATA_DIR=str(self.data_dir), HARVESTER_RUN_KIND="scheduled",
                   HARVESTER_DB_URL=self.db_url)
        try:
            return subprocess.Popen(
                [sys.executable, "-m", "harvester.cli.main", "crawl", *sites],
                stdout=handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
        finally:
            handle.close()


@dataclass
class Event:
    """Something the scheduler did, for its log and for the tests."""

    kind: str  # started | finished | skipped_running | waiting
    site: str
    at: datetime
    scheduled_for: datetime | None = None
    exit_code: int | None = None


@dataclass
class Upcoming:
    site: str
    expressions: tuple[str, ...]
    last_fire: datetime | None
    next_fire: datetime | None
    running: bool
    waiting: bool = False  # due, and waiting for a crawl process to be free


class Scheduler:
    def __init__(
        self,
        schedules: list[SiteSchedule],
        state: SchedulerState,
        launcher: Launcher,
        clock: Clock,
        on_event: Callable[[Event], None] | None = None,
        max_crawls: int = MAX_CRAWLS,
        sites_per_crawl: int = SITES_AT_ONCE,
    ) -> None:
        self.schedules = schedules
        self.state = state
        self.launcher = launcher
        self.clock = clock
        self.on_event = on_event or (lambda event: log.info("%s %s", event.kind, event.site))
        self.max_crawls = max_crawls
        self.sites_per_crawl = sites_per_crawl
        self.running: dict[str, RunHandle] = {}  # a crawl of several sites is the handle of each
        # Due sites no crawl process was free for, in the order they came due, with their
        # slot. Their last slot is noted when they start, so a scheduler stopped meanwhile
        # finds them due again.
        self.waiting: dict[str, datetime] = {}
        now = clock.now()
        for schedule in schedules:
            # A site seen for the first time waits for its next slot instead of firing now.
            if state.last_fire(schedule.site) is None:
                state.set_last_fire(schedule.site, now)

    def tick(self) -> list[Event]:
        """Reap finished crawls and start the ones that are due; returns what happened."""
        now = self.clock.now()
        events: list[Event] = []
        for site, handle in list(self.running.items()):
            code = handle.poll()
            if code is not None:
                del self.running[site]
                events.append(Event("finished", site, now, exit_code=code))
        came_due = []
        for schedule in self.schedules:
            site = schedule.site
            due = schedule.latest_due(self.state.last_fire(site), now)
            if due is None:
                continue
            if site in self.running:
                self.state.set_last_fire(site, due)
                events.append(Event("skipped_running", site, now, scheduled_for=due))
                continue
            if site not in self.waiting:
                came_due.append(site)
            # Missed slots collapse into one run: remember only the latest.
            self.waiting[site] = due
        events.extend(self._start_waiting(now))
        events.extend(Event("waiting", site, now, scheduled_for=self.waiting[site]) for site in came_due if site in self.waiting)
        for event in events:
            self.on_event(event)
        return events

    def _start_waiting(self, now: datetime) -> list[Event]:
        """Start the waiting sites, the longest waiting first, ``sites_per_crawl`` to a process,
        as long as fewer than ``max_crawls`` processes run."""
        started = []
        while self.waiting and len(self.crawls()) < self.max_crawls:
            group = list(self.waiting)[: self.sites_per_crawl]
            slots = {site: self.waiting.pop(site) for site in group}
            handle = self.launcher.start(group, min(slots.values()))
            for site, slot in slots.items():
                self.state.set_last_fire(site, slot)
                self.running[site] = handle
                started.append(Event("started", site, now, scheduled_for=slot))
        return started

    def crawls(self) -> list[tuple[RunHandle, list[str]]]:
        """The crawl processes running, each with the sites it crawls."""
        by_process: dict[int, tuple[RunHandle, list[str]]] = {}
        for site, handle in self.running.items():
            by_process.setdefault(id(handle), (handle, []))[1].append(site)
        return list(by_process.values())

    def seconds_until_next(self) -> float:
        now = self.clock.now()
        # A waiting site's slot has come already: it starts when a crawl ends, which is polled.
        upcoming = [u.next_fire for u in self.upcoming() if u.next_fire is not None and not u.waiting]
        wait = min((moment - now).total_seconds() for moment in upcoming) if upcoming else POLL_SECONDS
        if self.running:
            wait = min(wait, POLL_SECONDS)
        return max(wait, 1.0)

    def upcoming(self) -> list[Upcoming]:
        now = self.clock.now()
        rows = []
        for schedule in self.schedules:
            last = self.state.last_fire(schedule.site)
            # A slot missed while the scheduler was down is the next run, not a later one.
            overdue = schedule.latest_due(last, now)
            rows.append(
                Upcoming(
                    site=schedule.site,
                    expressions=schedule.expressions,
                    last_fire=last,
                    next_fire=overdue or schedule.next_after(now),
                    running=schedule.site in self.running,
                    waiting=schedule.site in self.waiting,
                )
            )
        return rows

    def run_forever(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        while not should_stop():
            self.tick()
            self.clock.sleep(self.seconds_until_next())
