"""The scheduler under a fake clock: due runs start, overlapping runs do not, missed runs coalesce."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from harvester.scheduling.runner import Scheduler
from harvester.scheduling.state import SchedulerState
from harvester.scheduling.triggers import DEFAULT_SCHEDULE, ScheduleError, SiteSchedule

TZ = ZoneInfo("Asia/Shanghai")


@dataclass
class FakeClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment

    def sleep(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@dataclass
class FakeRun:
    exit_code: int | None = None

    def poll(self) -> int | None:
        return self.exit_code


@dataclass
class FakeLauncher:
    started: list[tuple[str, datetime]] = field(default_factory=list)  # each site started, with its crawl's slot
    crawls: list[list[str]] = field(default_factory=list)  # the sites of each crawl process
    runs: list[FakeRun] = field(default_factory=list)

    def start(self, sites: list[str], scheduled_for: datetime) -> FakeRun:
        self.started.extend((site, scheduled_for) for site in sites)
        self.crawls.append(sites)
        run = FakeRun()
        self.runs.append(run)
        return run


def make(tmp_path: Path, start: datetime, schedules: dict[str, str | None], **limits: int
         ) -> tuple[Scheduler, FakeClock, FakeLauncher]:
    clock = FakeClock(start)
    launcher = FakeLauncher()
    state = SchedulerState(tmp_path / "scheduler.json")
    built = [SiteSchedule.build(site, expr, TZ) for site, expr in schedules.items()]
    return Scheduler(built, state, launcher, clock, on_event=lambda e: None, **limits), clock, launcher


def test_nothing_runs_at_start_and_a_due_run_starts(tmp_path: Path) -> None:
    scheduler, clock, launcher = make(tmp_path, datetime(2026, 5, 4, 1, 0, tzinfo=TZ), {"a": "0 2 * * *"})
    assert scheduler.tick() == []
    clock.advance(minutes=59)
    assert launcher.started == []
    scheduler.tick()
    assert launcher.started == []
    clock.advance(minutes=1)
    events = scheduler.tick()
    assert [(e.kind, e.site) for e in events] == [("started", "a")]
    assert launcher.started == [("a", datetime(2026, 5, 4, 2, 0, tzinfo=TZ))]


def test_a_site_never_runs_twice_at_once(tmp_path: Path) -> None:
    scheduler, clock, launcher = make(tmp_path, datetime(2026, 5, 4, 0, 0, tzinfo=TZ), {"a": "*/10 * * * *"})
    clock.advance(minutes=10)
    scheduler.tick()
    assert len(launcher.started) == 1
    clock.advance(minutes=10)  # next slot while the first crawl is still running
    events = scheduler.tick()
    assert [e.kind for e in events] == ["skipped_running"]
    assert len(launcher.started) == 1
    launcher.runs[0].exit_code = 0
    clock.advance(minutes=10)
    events = scheduler.tick()
    assert [e.kind for e in events] == ["finished", "started"]
    assert events[0].exit_code == 0
    assert len(launcher.started) == 2


def test_missed_runs_coalesce_into_one_after_restart(tmp_path: Path) -> None:
    start = datetime(2026, 1, 5, 0, 0, tzinfo=TZ)
    scheduler, clock, launcher = make(tmp_path, start, {"a": None})
    clock.advance(days=2)
    scheduler.tick()
    launcher.runs[-1].exit_code = 0
    scheduler.tick()
    assert len(launcher.started) == 1
    # The scheduler is down for ten days in January (daily slots under the default
    # schedule), then a new process starts from the saved state.
    clock.advance(days=10)
    state = SchedulerState(tmp_path / "scheduler.json")
    restarted = Scheduler([SiteSchedule.build("a", None, TZ)], state, launcher, clock, on_event=lambda e: None)
    assert restarted.upcoming()[0].next_fire == datetime(2026, 1, 16, 2, 0, tzinfo=TZ)
    events = restarted.tick()
    assert [e.kind for e in events] == ["started"]
    assert events[0].scheduled_for == datetime(2026, 1, 16, 2, 0, tzinfo=TZ)
    assert len(launcher.started) == 2
    assert restarted.tick() == []


def test_sites_due_together_are_crawled_together_a_few_processes_at_a_time(tmp_path: Path) -> None:
    sites = {f"county-{n}": "0 2 * * *" for n in range(7)}
    scheduler, clock, launcher = make(tmp_path, datetime(2026, 5, 4, 1, 0, tzinfo=TZ), sites,
                                      max_crawls=2, sites_per_crawl=3)
    clock.advance(hours=1)
    events = scheduler.tick()
    assert launcher.crawls == [["county-0", "county-1", "county-2"], ["county-3", "county-4", "county-5"]]
    assert [(e.kind, e.site) for e in events if e.kind == "waiting"] == [("waiting", "county-6")]
    assert [u.waiting for u in scheduler.upcoming()] == [False] * 6 + [True]
    assert scheduler.seconds_until_next() <= 30  # a waiting site starts when a crawl ends, which is polled
    clock.advance(minutes=5)
    assert scheduler.tick() == []  # both crawls still run: county-6 waits, and says so once
    launcher.runs[1].exit_code = 0
    events = scheduler.tick()
    assert [(e.kind, e.site) for e in events] == [("finished", "county-3"), ("finished", "county-4"),
                                                    ("finished", "county-5"), ("started", "county-6")]
    assert launcher.crawls[-1] == ["county-6"] and events[-1].scheduled_for == datetime(2026, 5, 4, 2, 0, tzinfo=TZ)


def test_a_waiting_sites_slot_is_kept_when_the_scheduler_stops(tmp_path: Path) -> None:
    scheduler, clock, launcher = make(tmp_path, datetime(2026, 5, 4, 1, 0, tzinfo=TZ), {"a": "0 2 * * *", "b": "0 2 * * *"},
                                      max_crawls=1, sites_per_crawl=1)
    clock.advance(hours=1)
    scheduler.tick()
    assert launcher.crawls == [["a"]]  # b waits for a's crawl
    # The scheduler is stopped and started again; b's slot comes back due.
    again = Scheduler([SiteSchedule.build(s, "0 2 * * *", TZ) for s in "ab"], SchedulerState(tmp_path / "scheduler.json"),
                      launcher, clock, on_event=lambda e: None, max_crawls=1, sites_per_crawl=1)
    events = again.tick()
    assert [(e.kind, e.site) for e in events] == [("started", "b")]
    assert events[0].scheduled_for == datetime(2026, 5, 4, 2, 0, tzinfo=TZ)


def test_default_schedule_is_daily_in_publishing_season_and_weekly_otherwise() -> None:
    schedule = SiteSchedule.build("a", None, TZ)
    assert schedule.expressions == DEFAULT_SCHEDULE
    assert schedule.next_after(datetime(2026, 2, 10, 3, 0, tzinfo=TZ)) == datetime(2026, 2, 11, 2, 0, tzinfo=TZ)
    # 2026-06-10 is a Wednesday: the next run is Monday 15 June.
    assert schedule.next_after(datetime(2026, 6, 10, 3, 0, tzinfo=TZ)) == datetime(2026, 6, 15, 2, 0, tzinfo=TZ)


def test_state_survives_a_new_process(tmp_path: Path) -> None:
    state = SchedulerState(tmp_path / "s.json")
    moment = datetime(2026, 3, 1, 2, 0, tzinfo=TZ)
    state.set_last_fire("a", moment)
    assert SchedulerState(tmp_path / "s.json").last_fire("a") == moment


def test_bad_cron_expression_is_a_clear_error() -> None:
    with pytest.raises(ScheduleError, match="site x: bad cron expression '61 \\* \\* \\* \\*'"):
        SiteSchedule.build("x", "61 * * * *", TZ)


@pytest.mark.parametrize(
    ("weekday", "expected_day"),
    [("1", 15), ("0", 14), ("7", 14), ("1-5", 11), ("*/2", 11), ("6,0", 13), ("mon", 15)],
)
def test_weekday_numbers_follow_standard_cron(weekday: str, expected_day: int) -> None:
    # From Wednesday 10 June 2026 03:00; 11 = Thu, 13 = Sat, 14 = Sun, 15 = Mon.
    schedule = SiteSchedule.build("a", f"0 2 * * {weekday}", TZ)
    assert schedule.next_after(datetime(2026, 6, 10, 3, 0, tzinfo=TZ)).day == expected_day


def test_a_crawl_of_several_sites_logs_to_one_file_named_for_them(tmp_path: Path) -> None:
    from harvester.scheduling.runner import SubprocessLauncher

    handle = SubprocessLauncher(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path).start(
        ["no-such-site", "nor-this-one", "nor-that-one"], datetime(2026, 1, 5, 2, tzinfo=TZ))
    assert handle.args[-3:] == ["no-such-site", "nor-this-one", "nor-that-one"]  # one process crawls them all
    assert handle.wait(timeout=120) == 1
    [log] = (tmp_path / "logs").iterdir()
    assert log.name == "no-such-site+2-20260105T0200.log"
    assert "unknown site 'no-such-site'" in log.read_text()
