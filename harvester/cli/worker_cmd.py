"""``harvester worker``: a crawl worker of a fleet sharing sites through Redis."""

from __future__ import annotations

import click

from harvester.cli.common import db_option, fail, json_option, print_json, require_site_choice
from harvester.config import data_dir

redis_option = click.option("--redis", "redis_url", metavar="URL",
                            help="Redis of the fleet (default: $HARVESTER_REDIS_URL).")


@click.command()
@click.argument("sites", nargs=-1, metavar="[SITE]...")
@click.option("--all", "all_sites", is_flag=True, help="Serve every configured site.")
@click.option("--exit-when-idle", is_flag=True, help="Stop once the sites' runs are done (default: wait for more).")
@redis_option
@db_option
@json_option
def worker(sites: tuple[str, ...], all_sites: bool, exit_when_idle: bool, redis_url: str | None, db: str | None,
           as_json: bool) -> None:
    """Take the sites' requests from Redis and record into the shared archive.

    `harvester crawl SITE --distributed` seeds a run; any number of workers, on any number of
    machines, then share it. Use PostgreSQL ($HARVESTER_DB_URL) for an archive several
    machines write to.
    """
    from harvester.config import database_url
    from harvester.distributed.connection import RedisUnavailable
    from harvester.distributed.connection import redis_url as fleet_redis
    from harvester.distributed.fleet import run_workers
    from harvester.siteconfig import SiteConfigError, site_paths
    from storage.db import DatabaseUnavailable

    require_site_choice(sites, all_sites)
    names = sorted(site_paths()) if all_sites else list(sites)
    url = fleet_redis(redis_url)
    if url is None:
        fail("no Redis: set HARVESTER_REDIS_URL or give --redis")
    try:
        summary = run_workers(names, db_url=database_url(db, data_dir()), data_dir=data_dir(), redis_url=url,
                              exit_when_idle=exit_when_idle)
    except (SiteConfigError, DatabaseUnavailable, RedisUnavailable) as exc:
        fail(str(exc))
    if as_json:
        print_json(summary.to_dict())

