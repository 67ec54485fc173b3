"""``harvester crawl`` and ``harvester sites``: thin wrappers over harvester.crawl and
harvester.siteconfig."""

from __future__ import annotations

import sys
from typing import Any

import click

from harvester.cli.common import (db_option, echo, exit_if_broken, fail, json_option, missing_sqlite_file, print_json,
                                  require_site_choice)
from harvester.cli.worker_cmd import redis_option
from harvester.concurrency import SITES_AT_ONCE
from harvester.config import data_dir

SUMMARY_COLUMNS = ("pages_fetched", "reports_found", "new_reports", "new_versions", "unchanged",
                   "not_modified", "not_due", "failed", "blocked", "errors", "elapsed")


@click.command()
@click.argument("sites", nargs=-1, metavar="[SITE]...")
@click.option("--all", "all_sites", is_flag=True, help="Crawl every configured site.")
@click.option("--resume/--fresh", default=True, show_default=True,
              help="Continue an interrupted crawl's job, or start the site's job afresh.")
@click.option("--distributed", is_flag=True,
              help="Seed the sites into Redis ($HARVESTER_REDIS_URL) for `harvester worker`s and return.")
@click.option("--sites-at-once", type=click.IntRange(min=1), default=SITES_AT_ONCE, show_default=True,
              help="Sites crawled at a time; the others start as those end.")
@click.option("--recheck-all", is_flag=True,
              help="Ask for every listed report page, even where the site's recheck leaves known pages for later.")
@redis_option
@db_option
@json_option
def crawl(sites: tuple[str, ...], all_sites: bool, resume: bool, distributed: bool, sites_at_once: int,
          recheck_all: bool, redis_url: str | None, db: str | None, as_json: bool) -> None:
    """Crawl sites into the archive: report pages, their attachments, parsed and versioned.
    The sites are crawled in one process, sharing its parse workers and archive writer."""
    from harvester.crawl import CrawlLocked, run_crawl
    from harvester.spiders.reports import RECHECK_ALL_SETTING
    from harvester.siteconfig import SiteConfigError, load_sites_apart
    from storage.db import DatabaseUnavailable

    require_site_choice(sites, all_sites)
    broken: list[Exception] = []
    if all_sites:  # a broken config is reported at the end; the other sites are crawled
        configs, problems = load_sites_apart()
        names, broken = sorted(config.name for config in configs), list(problems.values())
    else:
        names = list(sites)
    if distributed:
        _seed(names, redis_url, db, as_json)
        exit_if_broken(broken)
        return
    try:  # run_crawl checks every site, the lock and the database before it starts crawling
        summary = run_crawl(names, db_url=db, data_dir=data_dir(), progress=False if as_json else None, resume=resume,
                            sites_at_once=sites_at_once, settings={RECHECK_ALL_SETTING: True} if recheck_all else None)
    except (SiteConfigError, CrawlLocked, DatabaseUnavailable) as exc:
        fail(str(exc))
    if as_json:
        print_json(summary.to_dict())
    else:
        _print_summary(summary)
        _print_trouble(db, summary.run_ids)
    for name, stats in summary.sites.items():
        for warning in stats.warnings:
            echo(f"warning: {name}: {warning}", err=True)
    problems = [f"{name} {stats.problem}" for name, stats in summary.sites.items() if stats.problem] + summary.busy
    if problems:
        fail(f"crawl failed: {'; '.join(problems)}")
    exit_if_broken(broken)


def _seed(names: list[str], redis_url: str | None, db: str | None, as_json: bool) -> None:
    from harvester.config import database_url
    from harvester.distributed.connection import RedisUnavailable
    from harvester.distributed.connection import redis_url as fleet_redis
    from harvester.distributed.fleet import seed
    from harvester.siteconfig import SiteConfigError
    from storage.db import DatabaseUnavailable

    url = fleet_redis(redis_url)
    if url is None:
        fail("--distributed needs Redis: set HARVESTER_REDIS_URL or give --redis")
    try:
        runs = seed(names, db_url=database_url(db, data_dir()), data_dir=data_dir(), redis_url=url)
    except (SiteConfigError, DatabaseUnavailable, RedisUnavailable) as exc:
        fail(str(exc))
    if as_json:
        print_json({"runs": runs})
        return
    for site, run_id in runs.items():
        echo(f"seeded {site}: run {run_id}; start `harvester worker {site}` on any machine")


def _print_summary(summary) -> None:  # type: ignore[no-untyped-def]
    rows = [
        [name, *(f"{stats.elapsed:.1f}s" if c == "elapsed" else str(getattr(stats, c)) for c in SUMMARY_COLUMNS)]
        for name, stats in summary.sites.items()
    ]
    headers = ["site", *(c.replace("_", " ") for c in SUMMARY_COLUMNS)]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"crawl summary ({summary.elapsed:.1f}s)")
        for i, header in enumerate(headers):
            table.add_column(header, justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*row)
        Console().print(table)
        return
    for row in rows:  # one greppable line per site
        echo(" ".join(f"{name}={value}" for name, value in zip(("site", *SUMMARY_COLUMNS), row)))


def _print_trouble(db: str | None, run_ids: list[int]) -> None:
    """One line per site whose crawl looks broken or blocked (storage.health)."""
    from harvester.config import database_url
    from storage.archive import Archive
    from storage.health import assess_runs

    with Archive.open(database_url(db, data_dir()), data_dir(), migrate=False) as archive, archive.session() as session:
        for health in assess_runs(session, run_ids):
            if not health.healthy:
                echo(f"site {health.site} is unhealthy: {'; '.join(health.reasons)}", err=True)


@click.command()
@db_option
@json_option
def sites(db: str | None, as_json: bool) -> None:
    """List the configured sites (harvester/sites/*.yaml and $HARVESTER_SITES_DIR), with the
    health of each site's newest crawl when the archive has one. A broken config is named on
    stderr (and the exit status is 1) after the others are listed."""
    from harvester.siteconfig import load_sites_apart

    configs, problems = load_sites_apart()
    health = _site_health(db, [c.name for c in configs])
    if as_json:
        print_json([{**config.to_dict(), "health": _health_dict(health.get(config.name))} for config in configs])
    else:
        _print_sites(configs, health)
    exit_if_broken(list(problems.values()))


def _print_sites(configs, health) -> None:  # type: ignore[no-untyped-def]
    width = max([len(c.name) for c in configs] + [4])
    for config in configs:
        flag = "" if config.verified else "  (unverified)"
        echo(f"{config.name:<{width}}  {config.family:<8}  {config.title}{flag}")
        for url in config.start_urls:
            echo(f"{'':<{width}}  {'':<8}  {url}")
        state = health.get(config.name)
        if state is not None:
            verdict = "healthy" if state.healthy else f"UNHEALTHY: {'; '.join(state.reasons)}"
            echo(f"{'':<{width}}  {'':<8}  last crawl (run {state.run_id}): {verdict}")


def _site_health(db: str | None, names: list[str]) -> dict[str, Any]:
    """Health by site from the archive; nothing when there is no archive yet or it is unreachable."""
    from harvester.config import database_url
    from storage.archive import Archive
    from storage.db import DatabaseUnavailable
    from storage.health import site_health

    url = database_url(db, data_dir())
    if missing_sqlite_file(url) is not None:
        return {}
    try:
        with Archive.open(url, data_dir()) as archive, archive.session() as session:
            return site_health(session, names)
    except DatabaseUnavailable:
        return {}


def _health_dict(state: Any) -> dict[str, Any] | None:
    if state is None:
        return None
    return {"healthy": state.healthy, "reasons": state.reasons, "run_id": state.run_id,
            "checked_at": state.checked_at.isoformat()}
