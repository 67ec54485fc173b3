"""Running crawls from Python: ``run_crawl`` is what ``harvester crawl``, the scheduler and
the demo call. It runs Scrapy's AsyncCrawlerProcess in this process (Twisted allows one per
process, so call it once per process), one crawler per site, each with its own settings
(site politeness, JOBDIR under the data directory) and its own run in the archive.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from harvester.concurrency import SITES_AT_ONCE
from harvester.config import database_url
from harvester.notify import ENV_VAR as NOTIFY_ENV_VAR
from harvester.pipelines.workers import collect_seldom
from harvester.siteconfig import SELECTOR_KEYS, SiteConfig, SiteConfigError, check_site_name, load_site

STAT_PREFIX = "harvester/"
RUN_ID_STAT = STAT_PREFIX + "run_id"  # the crawl's run in the archive, set by the record pipeline


@dataclass
class SiteStats:
    pages_fetched: int = 0
    reports_found: int = 0
    new_reports: int = 0
    new_versions: int = 0
    unchanged: int = 0
    not_modified: int = 0
    not_due: int = 0  # listed report pages left for a later crawl (the site's recheck)
    failed: int = 0
    blocked: int = 0
    errors: int = 0
    spider_errors: int = 0  # pages our own code failed on (counted in errors too): what they held is not recorded
    list_pages: int = 0  # list pages read
    list_pages_failed: int = 0  # list pages that failed or were blocked
    offsite: int = 0  # requests for other hosts, never sent
    elapsed: float = 0.0
    finish_reason: str | None = None
    run_id: int | None = None  # the crawl's run in the archive
    warnings: list[str] = field(default_factory=list)

    @property
    def problem(self) -> str | None:
        """Why the crawl did not do its job, in one line, or None."""
        if self.finish_reason is None:
            return "did not run (the crawl was stopped before its turn, or it could not start); run it again"
        if self.finish_reason != "finished":
            return f"did not finish ({self.finish_reason}); run it again to resume"
        if self.list_pages == 0 and self.list_pages_failed:
            return f"every list page failed or was blocked ({self.list_pages_failed}); nothing was crawled"
        if self.spider_errors:
            return (f"the crawler failed on {self.spider_errors} page(s) it fetched (the log names them); "
                    "what they held was not recorded")
        return None


STAT_NAMES = tuple(f.name for f in fields(SiteStats) if f.type == "int")


@dataclass
class CrawlSummary:
    sites: dict[str, SiteStats] = field(default_factory=dict)
    elapsed: float = 0.0
    busy: list[str] = field(default_factory=list)  # why a site asked for was not crawled: another process crawls it

    def to_dict(self) -> dict[str, Any]:
        summary = {"elapsed": round(self.elapsed, 3), "sites": {name: asdict(s) for name, s in self.sites.items()}}
        return {**summary, "busy": self.busy} if self.busy else summary

    @property
    def run_ids(self) -> list[int]:
        return [s.run_id for s in self.sites.values() if s.run_id is not None]

    @property
    def ok(self) -> bool:
        return all(s.problem is None for s in self.sites.values())


class CrawlLocked(RuntimeError):
    """Another process is crawling the site."""


class StatsCollector(MemoryStatsCollector):
    """Scrapy's stats collector (``STATS_CLASS``) with attributes looked up as on any object.

    Scrapy's looks up every attribute, its own ``_stats`` inside each method too, through a
    ``__getattribute__`` that first tries a cached wrapper (raising and catching an
    AttributeError each time) to warn callers still passing ``spider=``; Scrapy and our
    spider count some fifteen stats per request. No caller here passes ``spider=``.
    """

    __getattribute__ = object.__getattribute__


def count(crawler: Crawler, name: str, value: int = 1) -> None:
    crawler.stats.inc_value(STAT_PREFIX + name, value)


def downloading(crawler: Crawler) -> Callable[[], bool]:
    """Whether more items may be on their way to a pipeline: a request is in the crawler's
    downloader. A pipeline gathering items into batches holds the first for others only
    then; the crawl's last items, and a slow crawl's, go at once."""
    return lambda: bool(crawler.engine.downloader.active)


def run_stats(stats: dict[str, Any]) -> dict[str, int]:
    """The crawl statistics (``STAT_NAMES``) out of a Scrapy stats dictionary."""
    return {name: int(stats.get(STAT_PREFIX + name, 0)) for name in STAT_NAMES}


REFUSALS = ("harvester.middlewares.robots.ForbiddenByRobots", "harvester.middlewares.scope.OutOfScope")


def health_stats(stats: dict[str, Any]) -> dict[str, int]:
    """What site health (storage.health) reads besides the run statistics, from Scrapy's own
    counters: requests robots.txt refused, and answers that were server errors or none at all."""
    # 429 (Too Many Requests) is a server that will not answer, as a 503 is: a run it turns
    # away is no ground for concluding its reports gone.
    server_errors = sum(int(v) for k, v in stats.items()
                        if k.startswith("downloader/response_status_count/5") or k == "downloader/response_status_count/429")
    # Requests we refused to send (robots.txt, another host) show as downloader exceptions too.
    refused = sum(int(stats.get(f"downloader/exception_type_count/{name}", 0)) for name in REFUSALS)
    tried = int(stats.get(f"{STAT_PREFIX}selector_tried/list_links", 0))
    missed = int(stats.get(f"{STAT_PREFIX}selector_missed/list_links", 0))
    return {
        "robots_disallowed": int(stats.get("robotstxt/forbidden", 0)),
        "server_errors": server_errors + int(stats.get("downloader/exception_count", 0)) - refused,
        # list pages on which a configured list_links selector found nothing, when it found
        # nothing on any (the same rule as the crawl's warning)
        "selector_empty": missed if tried and missed == tried else 0,
    }


def scrapy_stats(crawler: Crawler) -> dict[str, Any]:
    """A crawler's Scrapy stats; empty before its crawl has started (or when it never could)."""
    try:
        return crawler.stats.get_stats()
    except RuntimeError:  # Scrapy sets Crawler.stats only when the crawl starts
        return {}


def count_selector(crawler: Crawler, key: str, matched: bool) -> None:
    """A site's CSS selector ``key`` was tried on a page, and whether it matched anything."""
    count(crawler, f"selector_tried/{key}")
    if not matched:
        count(crawler, f"selector_missed/{key}")


def crawl_warnings(stats: dict[str, Any]) -> list[str]:
    """What the operator should look at although the crawl went through: list pages that
    listed no report, a site selector that matched nothing on every page it was tried on (the
    portal's layout has changed)."""
    warnings = []
    for key in SELECTOR_KEYS:
        tried = int(stats.get(f"{STAT_PREFIX}selector_tried/{key}", 0))
        if tried and int(stats.get(f"{STAT_PREFIX}selector_missed/{key}", 0)) == tried:
            warnings.append(f"selectors.{key} matched nothing on any of the {tried} page(s) it was tried on")
    list_pages = int(stats.get(STAT_PREFIX + "list_pages", 0))
    # A dead list_links selector already says why no report was found.
    if list_pages and not int(stats.get(STAT_PREFIX + "reports_found", 0)) and not warnings:
        warnings.append(f"no report was found on the {list_pages} list page(s) read: the column may be empty, or "
                        "laid out in a way the walker does not read (`harvester sites check` shows what it saw)")
    return warnings


def site_stats(stats: dict[str, Any]) -> SiteStats:
    start, finish = stats.get("start_time"), stats.get("finish_time")
    elapsed = (finish - start).total_seconds() if start and finish else 0.0
    run_id = stats.get(RUN_ID_STAT)
    return SiteStats(**run_stats(stats), elapsed=elapsed, finish_reason=stats.get("finish_reason"),
                     run_id=int(run_id) if run_id is not None else None, warnings=crawl_warnings(stats))


def job_dir(data_dir: Path, site: str) -> Path:
    """``data/jobs/SITE``: the only directory a crawl ever removes, so the name is checked
    again here rather than trusted from wherever it came."""
    return data_dir / "jobs" / check_site_name(site)


def forget_job(data_dir: Path, site: str) -> None:
    """Remove a site's job state (a symlink in its place is left alone: rmtree refuses it)."""
    path = job_dir(data_dir, site)
    if path.resolve().parent == (data_dir / "jobs").resolve():
        shutil.rmtree(path, ignore_errors=True)


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """harvester.settings plus the caller's overrides; ``HARVESTER_POLITE = False`` (or the
    environment variable ``HARVESTER_POLITE=0``, for ``harvester crawl`` in benchmarks and
    tests on loopback) drops the delays (see harvester.settings)."""
    overrides = dict(overrides or {})
    if os.environ.get("HARVESTER_POLITE", "").strip().lower() in ("0", "false", "no", "off"):
        overrides.setdefault("HARVESTER_POLITE", False)
    settings = Settings()
    settings.setmodule("harvester.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    if not settings.getbool("HARVESTER_POLITE"):
        settings.setdict(settings.getdict("IMPOLITE_OVERRIDES"), priority="cmdline")
        settings.setdict(overrides, priority="cmdline")
    return settings


def site_settings(site: SiteConfig, *, db_url: str, data_dir: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """One site's settings: the project's, then the site's politeness (which the caller's
    overrides and politeness-off still beat), its JOBDIR and the archive it records into."""
    settings = project_settings(overrides)
    settings.setdict(site.scrapy_settings(), priority="spider")
    if site.render != "off":
        settings.setdict(settings.getdict("HARVESTER_RENDER_SETTINGS"), priority="spider")
    settings.setdict(
        {
            "JOBDIR": str(job_dir(data_dir, site.name)),
            "HARVESTER_DB_URL": db_url,
            "HARVESTER_DATA_DIR": str(data_dir),
            "HARVESTER_RUN_KIND": os.environ.get("HARVESTER_RUN_KIND", "crawl"),
        },
        priority="spider",
    )
    return settings


def run_crawl(
    sites: list[str],
    *,
    db_url: str | None,
    data_dir: Path,
    settings: dict[str, Any] | None = None,
    progress: bool | None = None,
    resume: bool = True,
    sites_at_once: int = SITES_AT_ONCE,
) -> CrawlSummary:
    """Crawl ``sites`` into the archive and return each site's statistics.

    ``resume=False`` forgets the job state a killed or interrupted crawl left behind; at most
    ``sites_at_once`` sites are crawled at a time, the others as those end. Raises
    SiteConfigError for an unknown or broken site, CrawlLocked when other processes are
    crawling every one of them (when only some, those are left out and named in
    ``CrawlSummary.busy``) and storage.db.DatabaseUnavailable when the archive cannot be opened.
    """
    from scrapy.crawler import AsyncCrawlerProcess

    from harvester.scheduling.locks import SiteLock
    from harvester.spiders.reports import ReportsSpider
    from storage.archive import Archive

    configs = [load_site(name) for name in sites]
    if not configs:
        raise SiteConfigError("no site to crawl")
    data_dir.mkdir(parents=True, exist_ok=True)
    url = database_url(db_url, data_dir)
    # Fail before any crawl starts when the database is unreachable (DatabaseUnavailable, one
    # line), and bring its schema up to date once rather than from each crawler at once.
    Archive.open(url, data_dir).close()
    live = _want_progress(progress)
    locks, free, busy = [], [], []
    try:
        for config in configs:
            lock = SiteLock(data_dir / "locks", config.name)
            if lock.acquire():
                locks.append(lock)
                free.append(config)
            else:
                busy.append(f"site {config.name} is being crawled by another process ({lock.path})")
        if not free:
            raise CrawlLocked("; ".join(busy))
        # A crawl of several sites (a scheduled group, --all) crawls those no other process holds.
        configs = free
        overrides = {**(settings or {}), **({"LOG_LEVEL": "WARNING"} if live else {})}
        # The process's settings are merged into every crawler's: no site-specific value there.
        process = AsyncCrawlerProcess(project_settings(overrides))
        crawlers = []
        for config in configs:
            if not resume:
                forget_job(data_dir, config.name)
            crawler = Crawler(ReportsSpider, site_settings(config, db_url=url, data_dir=data_dir, overrides=overrides))
            crawlers.append((config, crawler))
        crawl_in_turn(process, crawlers, sites_at_once)
        # What start-up made (modules, classes, settings: over 100,000 objects) lives as long as
        # the process: frozen, it is left out of each full collection the crawl makes (each
        # walked all of it) and of the one at exit, some tenths of a second of a re-crawl.
        gc.freeze()
        # Scrapy and Twisted make thousands of objects a response, freed by their reference
        # counts when it is handled: at the collector's default (a pass every 700 objects more
        # made than freed) the passes took 8 % of the crawl thread's CPU in a first crawl of
        # 2,000 reports, as they had of a parse worker's job.
        collect_seldom()
        started = time.monotonic()
        if live:
            with LiveProgress([(config.name, crawler) for config, crawler in crawlers]):
                process.start()
        else:
            process.start()
        summary = CrawlSummary(elapsed=time.monotonic() - started, busy=busy)
        for config, crawler in crawlers:
            stats = site_stats(scrapy_stats(crawler))
            summary.sites[config.name] = stats
            if stats.finish_reason == "finished":
                # A finished crawl leaves no job behind: the next one starts from the lists.
                forget_job(data_dir, config.name)
        if os.environ.get(NOTIFY_ENV_VAR):  # what sending needs is imported only then
            from harvester.notify.deliver import notify_after_crawl

            notify_after_crawl(url, data_dir, summary.run_ids)
        return summary
    finally:
        for lock in locks:
            lock.release()


def crawl_in_turn(process: Any, crawlers: list[tuple[SiteConfig, Crawler]], at_once: int) -> None:
    """Crawl at most ``at_once`` sites at a time in ``process``: the first ones now, each
    further one when a crawl ends, and none once a crawl was shut down (Ctrl-C, SIGTERM; the
    sites not begun are reported as not run). Every crawler holds its own engine, queues and
    archive connection in the process (some 4 MB): a national list of sites crawled at once
    would hold gigabytes, where crawled in turn it holds what ``at_once`` sites hold."""
    waiting = list(reversed(crawlers))

    def start_next(ended: Crawler | None = None) -> None:
        if ended is not None and scrapy_stats(ended).get("finish_reason") == "shutdown":
            waiting.clear()
        if waiting:
            config, crawler = waiting.pop()
            process.crawl(crawler, site=config).add_done_callback(lambda _: start_next(crawler))

    for _ in range(min(at_once, len(crawlers))):
        start_next()


def _want_progress(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else progress


class LiveProgress:
    """A live table on stderr (rich) of each site's pages, reports, new versions and errors,
    redrawn from the crawlers' stats by rich's refresh thread while the reactor runs."""

    COLUMNS = ("pages_fetched", "reports_found", "new_reports", "new_versions", "errors")

    def __init__(self, crawlers: list[tuple[str, Crawler]]):
        from rich.console import Console
        from rich.live import Live

        self.crawlers = crawlers
        self.live = Live(get_renderable=self.render, console=Console(stderr=True), refresh_per_second=4)

    def render(self):  # type: ignore[no-untyped-def]
        from rich.table import Table

        table = Table(title="crawling")
        table.add_column("site")
        for column in self.COLUMNS:
            table.add_column(column.replace("_", " "), justify="right")
        for name, crawler in self.crawlers:
            stats = run_stats(scrapy_stats(crawler))
            table.add_row(name, *(str(stats.get(column, 0)) for column in self.COLUMNS))
        return table

    def __enter__(self) -> "LiveProgress":
        self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.stop()
