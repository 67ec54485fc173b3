"""``harvester schedule``: crawl each site on its own cron schedule, or list the next runs."""

from __future__ import annotations

import logging
import signal
from typing import Any

import click

from harvester.cli.common import db_option, echo, exit_if_broken, fail, json_option, print_json, printable_url
from harvester.config import data_dir, database_url
from harvester.concurrency import MAX_CRAWLS, SITES_AT_ONCE
from harvester.scheduling.runner import Event, Scheduler, SubprocessLauncher, SystemClock
from harvester.scheduling.state import SchedulerState
from harvester.scheduling.triggers import ScheduleError, SiteSchedule, schedule_timezone


def _format(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z") if moment else "-"


@click.command()
@click.option("--site", "sites", multiple=True, metavar="SITE", help="Schedule only these sites (default: all).")
@click.option("--list", "list_only", is_flag=True, help="Show each site's schedule and next run, then exit.")
@click.option("--max-crawls", type=click.IntRange(min=1), default=MAX_CRAWLS, show_default=True,
              help="Crawl processes running at once; other due sites wait their turn.")
@click.option("--sites-per-crawl", type=click.IntRange(min=1), default=SITES_AT_ONCE, show_default=True,
              help="Due sites crawled together in one process (sharing its parse workers and writer).")
@db_option
@json_option
def schedule(sites: tuple[str, ...], list_only: bool, max_crawls: int, sites_per_crawl: int, db: str | None,
             as_json: bool) -> None:
    """Run crawls on each site's schedule (cron in the site config; default weekly,
    daily from January to March). Sites due together are crawled together, a few processes
    at a time; a site never runs twice at once; runs missed while the scheduler was down run
    once when it returns."""
    from harvester.siteconfig import load_sites_apart

    loaded, broken = load_sites_apart()
    configs = {config.name: config for config in loaded}
    unknown = sorted(set(sites) - set(configs) - set(broken))
    if unknown:
        fail(f"unknown site: {', '.join(unknown)} (see `harvester sites`)")
    # A broken config is reported, and the other sites are scheduled all the same.
    problems: list[Exception] = [error for name, error in broken.items() if not sites or name in sites]
    chosen = [configs[name] for name in (sites or sorted(configs)) if name in configs]
    tz = schedule_timezone()
    schedules = []
    for config in chosen:
        try:
            schedules.append(SiteSchedule.build(config.name, config.schedule, tz))
        except ScheduleError as exc:
            problems.append(exc)
    data = data_dir()
    url = database_url(db, data)
    state = SchedulerState(data / "scheduler-state.json")
    clock = SystemClock(tz)
    scheduler = Scheduler(schedules, state, SubprocessLauncher(url, data), clock, on_event=_log_event,
                          max_crawls=max_crawls, sites_per_crawl=sites_per_crawl)

    if list_only:
        rows = scheduler.upcoming()
        if as_json:
            print_json(
                [
                    {"site": r.site, "schedule": list(r.expressions), "last_fire": r.last_fire,
                     "next_fire": r.next_fire, "running": r.running, "waiting": r.waiting}
                    for r in rows
                ]
            )
        else:
            width = max([len(r.site) for r in rows] + [4])
            echo(f"{'SITE':<{width}}  {'NEXT RUN':<22}  {'LAST SLOT':<22}  SCHEDULE")
            for r in rows:
                echo(f"{r.site:<{width}}  {_format(r.next_fire):<22}  {_format(r.last_fire):<22}  {' | '.join(r.expressions)}")
        exit_if_broken(problems)
        return
    if not schedules:
        exit_if_broken(problems)
        fail("no site to schedule")

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        clock.wake()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for problem in problems:  # the scheduler runs for the sites that are fine
        echo(f"Error: {problem}; not scheduled", err=True)
    echo(f"scheduling {len(schedules)} site(s) in {tz}, at most {max_crawls} crawl(s) of at most "
         f"{sites_per_crawl} site(s) at once; archive {printable_url(url)}; Ctrl-C to stop")
    for row in scheduler.upcoming():
        echo(f"  {row.site}: next run {_format(row.next_fire)}")
    scheduler.run_forever(should_stop=lambda: stopping)
    for handle, names in scheduler.crawls():
        # Crawls keep their job state, so a terminated one resumes on its next run.
        handle.terminate()  # type: ignore[attr-defined]
        echo(f"stopped running crawl of {', '.join(names)}")


def _log_event(event: Event) -> None:
    logger = logging.getLogger("harvester.schedule")
    if event.kind == "started":
        logger.info("started crawl of %s (slot %s)", event.site, _format(event.scheduled_for))
    elif event.kind == "finished":
        logger.info("crawl of %s finished with exit status %s", event.site, event.exit_code)
    elif event.kind == "waiting":
        logger.info("slot %s of %s waits for a crawl to end", _format(event.scheduled_for), event.site)
    else:
        logger.info("slot %s of %s skipped: previous crawl still running", _format(event.scheduled_for), event.site)
