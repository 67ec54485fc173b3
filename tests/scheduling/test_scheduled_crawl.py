"""A due slot starts a real ``harvester crawl`` process whose run is recorded in the archive."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from harvester.fixtureserver.server import serve_in_thread
from harvester.scheduling.runner import Scheduler, SubprocessLauncher
from harvester.scheduling.state import SchedulerState
from harvester.scheduling.triggers import SiteSchedule
from storage.archive import Archive

pytestmark = pytest.mark.slow
TZ = ZoneInfo("Asia/Shanghai")


class StepClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def sleep(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


def test_scheduled_slot_runs_a_crawl_process_recorded_in_the_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    db_url = f"sqlite:///{data / 'archive.sqlite3'}"
    with serve_in_thread() as server:
        monkeypatch.setenv("HARVESTER_FIXTURE_URL", server.url)
        monkeypatch.setenv("HARVESTER_POLITE", "0")
        clock = StepClock(datetime(2026, 6, 1, 1, 59, tzinfo=TZ))
        scheduler = Scheduler(
            [SiteSchedule.build("fixture-shandong", "0 2 * * *", TZ)],
            SchedulerState(data / "scheduler-state.json"),
            SubprocessLauncher(db_url, data),
            clock,
            on_event=lambda event: None,
        )
        assert scheduler.tick() == []
        clock.sleep(60)
        assert [e.kind for e in scheduler.tick()] == ["started"]
        deadline = time.monotonic() + 180
        finished = []
        while not finished and time.monotonic() < deadline:
            time.sleep(0.5)
            finished = [e for e in scheduler.tick() if e.kind == "finished"]
        log = next((data / "logs").glob("fixture-shandong-*.log")).read_text(encoding="utf-8", errors="replace")
        assert finished and finished[0].exit_code == 0, log[-3000:]

    with Archive.open(db_url, data) as archive:
        runs = archive.runs(site="fixture-shandong")
    assert len(runs) == 1
    assert runs[0].kind == "scheduled"
    assert runs[0].status == "ok"
    assert runs[0].finished_at is not None
    assert runs[0].stats.get("new_reports", 0) > 0, runs[0].stats
