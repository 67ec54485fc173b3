"""Seeding sites into Redis and running crawl workers: what ``harvester crawl --distributed``
and ``harvester worker`` call."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from scrapy.settings import Settings

from harvester.concurrency import SITES_AT_ONCE
from harvester.crawl import CrawlSummary, crawl_in_turn, project_settings, scrapy_stats, site_settings, site_stats
from harvester.distributed import keys
from harvester.distributed.connection import connect
from harvester.distributed.runs import open_run, seeded
from harvester.siteconfig import SiteConfig, SiteConfigError, load_site

Mode = Literal["seed", "worker"]
DEFAULT_LEASE_SECONDS = 120.0


def distributed_settings(site: SiteConfig, mode: Mode, *, db_url: str, data_dir: Path, redis_url: str,
                         overrides: dict[str, Any] | None = None) -> Settings:
    """A site's settings with the shared frontier, fleet politeness and fleet run accounting.

    The site's delay and per-host concurrency move from Scrapy (per process) to the fleet
    middleware (per host, for all workers together)."""
    settings = site_settings(site, db_url=db_url, data_dir=data_dir, overrides=overrides)
    fleet_delay = settings.getfloat("DOWNLOAD_DELAY")
    fleet_concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    settings.setdict({
        "HARVESTER_DISTRIBUTED": mode,
        "HARVESTER_SITE": site.name,
        "HARVESTER_REDIS_URL": redis_url,
        "REDIS_URL": redis_url,
        "JOBDIR": None,
        "SCHEDULER": "harvester.distributed.scheduler.LeasingScheduler",
        "SCHEDULER_QUEUE_CLASS": "harvester.distributed.queue.LeasedQueue",
        "SCHEDULER_QUEUE_KEY": keys.queue(site.name),
        "DUPEFILTER_CLASS": "harvester.distributed.scheduler.NoDupeFilter",
        "SCHEDULER_PERSIST": True,
        "STATS_CLASS": "harvester.distributed.runs.FleetStatsCollector",
        "HARVESTER_FLEET_DELAY": fleet_delay,
        "HARVESTER_FLEET_CONCURRENCY": fleet_concurrency,
        "DOWNLOAD_DELAY": 0.0,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES": {**settings.getdict("DOWNLOADER_MIDDLEWARES"),
                                   "harvester.distributed.politeness.FleetPolitenessMiddleware": 900},
        "EXTENSIONS": {**settings.getdict("EXTENSIONS"), "harvester.distributed.runs.FleetRun": 500},
    }, priority="cmdline")
    settings.setdefault("HARVESTER_LEASE_SECONDS",
                        float(os.environ.get("HARVESTER_LEASE_SECONDS") or DEFAULT_LEASE_SECONDS))
    return settings


def seed(sites: list[str], *, db_url: str, data_dir: Path, redis_url: str, kind: str = "crawl",
         overrides: dict[str, Any] | None = None) -> dict[str, int]:
    """Open a run per site and put its start requests in the site's shared queue; the run ids."""
    from storage.archive import Archive

    configs = _configs(sites)
    server = connect(redis_url)
    with Archive.open(db_url, data_dir) as archive:
        runs = {config.name: archive.start_run(config.name, kind) for config in configs}
    for name, run_id in runs.items():
        open_run(server, name, run_id)
    try:
        _crawl(configs, "seed", db_url=db_url, data_dir=data_dir, redis_url=redis_url, overrides=overrides)
    finally:
        for run_id in runs.values():
            seeded(server, run_id)
    return runs


def run_workers(sites: list[str], *, db_url: str, data_dir: Path, redis_url: str, exit_when_idle: bool = False,
                overrides: dict[str, Any] | None = None) -> CrawlSummary:
    """Serve the sites' shared queues until stopped (or, ``exit_when_idle``, until their runs are done)."""
    from storage.archive import Archive

    configs = _configs(sites)
    connect(redis_url)
    Archive.open(db_url, data_dir).close()
    overrides = {**(overrides or {}), "HARVESTER_EXIT_WHEN_IDLE": exit_when_idle}
    return _crawl(configs, "worker", db_url=db_url, data_dir=data_dir, redis_url=redis_url, overrides=overrides)


def _configs(sites: list[str]) -> list[SiteConfig]:
    configs = [load_site(name) for name in sites]
    if not configs:
        raise SiteConfigError("no site to crawl")
    return configs


def _crawl(configs: list[SiteConfig], mode: Mode, *, db_url: str, data_dir: Path, redis_url: str,
           overrides: dict[str, Any] | None) -> CrawlSummary:
    import time

    from scrapy.crawler import AsyncCrawlerProcess, Crawler

    from harvester.spiders.reports import ReportsSpider

    process = AsyncCrawlerProcess(project_settings(overrides))
    crawlers = []
    for config in configs:
        settings = distributed_settings(config, mode, db_url=db_url, data_dir=data_dir, redis_url=redis_url,
                                        overrides=overrides)
        crawlers.append((config, Crawler(ReportsSpider, settings)))
    # Seeding crawls end once their start requests are in Redis: they take turns. A worker
    # serves every site's queue at once, since work may come to any of them.
    crawl_in_turn(process, crawlers, SITES_AT_ONCE if mode == "seed" else len(crawlers))
    started = time.monotonic()
    process.start()
    summary = CrawlSummary(elapsed=time.monotonic() - started)
    for config, crawler in crawlers:
        summary.sites[config.name] = site_stats(scrapy_stats(crawler))
    return summary
