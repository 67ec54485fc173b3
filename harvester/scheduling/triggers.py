"""Cron schedules of sites, and which runs are due at a given moment.

APScheduler's ``CronTrigger`` does the cron arithmetic. The loop around it is ours because
the behaviour users rely on is specific: runs missed while the scheduler was down run once
on its return (not once per missed slot), and "due" must be decidable for any clock so the
tests can drive it with a fake one.
"""

from __future__ import annotations

import os
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

# Departments publish by 31 January and governments by 31 March, so the default watches
# those months daily and the rest of the year weekly (Mondays), at 02:00 portal time.
DEFAULT_SCHEDULE = ("0 2 * * 1", "0 2 * 1-3 *")
DEFAULT_TIMEZONE = "Asia/Shanghai"


_WEEKDAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


class ScheduleError(ValueError):
    """A site's schedule is not a valid cron expression."""


def _standard_weekdays(field: str) -> str:
    """Rewrite a crontab day-of-week field into names.

    Standard cron counts Sunday as 0 (and 7); APScheduler 3 counts Monday as 0, so "1"
    in a user's crontab would silently mean Tuesday. Numbers are expanded (ranges and steps
    included) and given as names, which both agree on.
    """
    if field == "*" or not any(ch.isdigit() for ch in field):
        return field
    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span == "*":
            low, high = 0, 6
        elif "-" in span:
            low_text, high_text = span.split("-", 1)
            low, high = int(low_text), int(high_text)
        else:
            low = high = int(span)
            if step_text:
                high = 6
        if not (0 <= low <= 7 and 0 <= high <= 7 and low <= high):
            raise ValueError(f"day of week {part!r} out of range 0-7")
        days.update(day % 7 for day in range(low, high + 1, step))
    return ",".join(_WEEKDAY_NAMES[day] for day in sorted(days))


def cron_trigger(expression: str, tz: tzinfo) -> CronTrigger:
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"wrong number of fields; got {len(fields)}, expected 5")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=_standard_weekdays(weekday), timezone=tz
    )


def schedule_timezone() -> tzinfo:
    return zoneinfo.ZoneInfo(os.environ.get("HARVESTER_TZ", DEFAULT_TIMEZONE))


@dataclass(frozen=True)
class SiteSchedule:
    site: str
    expressions: tuple[str, ...]
    trigger: BaseTrigger

    @classmethod
    def build(cls, site: str, expressions: str | list[str] | tuple[str, ...] | None, tz: tzinfo) -> "SiteSchedule":
        if not expressions:
            expressions = DEFAULT_SCHEDULE
        elif isinstance(expressions, str):
            expressions = (expressions,)
        triggers = []
        for expression in expressions:
            try:
                triggers.append(cron_trigger(expression, tz))
            except ValueError as exc:
                raise ScheduleError(f"site {site}: bad cron expression {expression!r}: {exc}") from exc
        trigger = triggers[0] if len(triggers) == 1 else OrTrigger(triggers)
        return cls(site=site, expressions=tuple(expressions), trigger=trigger)

    def next_after(self, moment: datetime) -> datetime | None:
        """The first fire time strictly after ``moment``."""
        return self.trigger.get_next_fire_time(moment, moment)

    def latest_due(self, last_fire: datetime | None, now: datetime) -> datetime | None:
        """The latest fire time in (last_fire, now], or None when nothing is due.

        A site never scheduled before is not due until its first fire time comes: starting
        the scheduler must not set off every crawl at once.
        """
        if last_fire is None:
            return None
        due = None
        candidate = self.next_after(last_fire)
        while candidate is not None and candidate <= now:
            due = candidate
            candidate = self.next_after(candidate)
        return due
