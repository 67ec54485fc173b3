"""One crawl run across the fleet: the seeder opens it, every worker adds its counts to it in
Redis, and the worker that finds the site's queue empty with nothing leased closes it in the
archive with the counts added up, per worker too."""

from __future__ import annotations

import itertools
import os
import socket
import uuid
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.statscollectors import MemoryStatsCollector

from harvester.distributed import keys
from harvester.spiders.reports import LIST_FAILED_STAT, not_due_listed
from harvester.distributed.queue import work_left
from harvester.pipelines.archive import forget_crawl_state

STAT_PREFIX = "harvester/"
RUN_TTL_SECONDS = 30 * 24 * 3600
# A seeder that died before its start requests were queued leaves a run its workers close
# after this long, with whatever work they found.
SEEDING_TTL_SECONDS = 600
# This process among the fleet's, even when an operator gives two workers one name or a
# restarted worker takes its old name.
INSTANCE = uuid.uuid4().hex

# KEYS: run stats hash, worker stats hash, applied hash. ARGV: stat name, worker field,
# count, instance, sequence number, ttl s. A count sent again after a lost reply (a Redis
# restart) carries the sequence number already applied and adds nothing: one process sends
# its counts one after another, each until it is through, so the last number applied is
# all that needs remembering.
_ADD_COUNT = """
local last = tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or '0')
if tonumber(ARGV[5]) <= last then return 0 end
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[3]))
redis.call('HINCRBY', KEYS[2], ARGV[2], tonumber(ARGV[3]))
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], tonumber(ARGV[6])) end
return 1
"""


def worker_name() -> str:
    return os.environ.get("HARVESTER_WORKER_NAME") or f"{socket.gethostname()}:{os.getpid()}"


def current_run(server: Any, site: str) -> int | None:
    value = server.get(keys.run(site))
    return int(value) if value is not None else None


def open_run(server: Any, site: str, run_id: int) -> None:
    """The seeder's part: from now on the site's work belongs to ``run_id``, which no worker
    closes before ``seeded`` says its start requests are in the queue (an idle worker would
    otherwise find the new run without work and close it while the seeder starts up)."""
    server.set(keys.run_seeding(run_id), 1, ex=SEEDING_TTL_SECONDS)
    server.set(keys.run(site), run_id, ex=RUN_TTL_SECONDS)


def seeded(server: Any, run_id: int) -> None:
    server.delete(keys.run_seeding(run_id))


def fleet_stats(server: Any, run_id: int) -> dict[str, Any]:
    """The run's counts added up over its workers, and each worker's own."""
    totals = {k.decode(): int(v) for k, v in server.hgetall(keys.run_stats(run_id)).items()}
    workers: dict[str, dict[str, int]] = {}
    for field, value in server.hgetall(keys.worker_stats(run_id)).items():
        worker, _, name = field.decode().rpartition("|")
        workers.setdefault(worker, {})[name] = int(value)
    return {**totals, "workers": workers}


class FleetStatsCollector(MemoryStatsCollector):
    """Scrapy's stats, with the harvester's own counts also added to the current run in Redis."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        from harvester.distributed.connection import connect

        self.server = connect(crawler.settings["HARVESTER_REDIS_URL"])
        self.site = crawler.settings["HARVESTER_SITE"]
        self.worker = worker_name()
        self._add_count = self.server.register_script(_ADD_COUNT)
        self._sequence = itertools.count(1)

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Spider | None = None) -> None:
        super().inc_value(key, count, start)
        if key.startswith(STAT_PREFIX):
            run_id = current_run(self.server, self.site)
            if run_id is not None:
                name = key.removeprefix(STAT_PREFIX)
                self._add_count(keys=[keys.run_stats(run_id), keys.worker_stats(run_id), keys.stats_applied(run_id)],
                                args=[name, f"{self.worker}|{name}", count, INSTANCE, next(self._sequence),
                                      RUN_TTL_SECONDS])


class FleetRun:
    """Keeps a worker's crawler open while its site may still get work, and closes the run
    in the archive when the site's work is done."""

    def __init__(self, crawler: Crawler, exit_when_idle: bool) -> None:
        from harvester.distributed.connection import connect

        self.crawler = crawler
        self.server = connect(crawler.settings["HARVESTER_REDIS_URL"])
        self.site = crawler.settings["HARVESTER_SITE"]
        self.exit_when_idle = exit_when_idle
        self.finished: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "FleetRun":
        extension = cls(crawler, crawler.settings.getbool("HARVESTER_EXIT_WHEN_IDLE"))
        if crawler.settings.get("HARVESTER_DISTRIBUTED") == "worker":
            crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
            crawler.signals.connect(extension.not_due, signal=not_due_listed)
        return extension

    def not_due(self, urls: list[str]) -> None:
        """Keep for the run the report pages a list page listed and this worker left for later:
        whichever worker closes the run must not take them for withdrawn."""
        run_id = current_run(self.server, self.site)
        if run_id is None:
            return
        key = keys.run_not_due(run_id)
        pipe = self.server.pipeline()
        pipe.sadd(key, *urls)
        pipe.expire(key, RUN_TTL_SECONDS)
        pipe.execute()

    def spider_idle(self, spider: Spider) -> None:
        if work_left(self.server, keys.queue(self.site)) > 0:
            raise DontCloseSpider  # requests leased by others may come back when their leases expire
        forget_crawl_state(self.crawler)
        run_id = current_run(self.server, self.site)
        if run_id is not None and not self.server.exists(keys.run_seeding(run_id)):
            self.finish(run_id)
        if not self.exit_when_idle:
            raise DontCloseSpider

    def finish(self, run_id: int) -> None:
        """Close the run once for the fleet: the first worker to find the site idle does it."""
        if run_id in self.finished:
            return
        owner = f"{worker_name()}#{INSTANCE}"
        # The claim may have gone through before a Redis restart lost its reply: ours then.
        claimed = self.server.set(keys.run_finished(run_id), owner, nx=True, ex=RUN_TTL_SECONDS)
        if not claimed and self.server.get(keys.run_finished(run_id)) != owner.encode():
            return
        from harvester.pipelines.archive import archive_for

        stats = fleet_stats(self.server, run_id)
        archive = archive_for(self.crawler)
        archive.finish_run(run_id, "ok", stats)
        if not stats.get(LIST_FAILED_STAT):
            listed = {url.decode() for url in self.server.smembers(keys.run_not_due(run_id))}
            archive.mark_withdrawals(run_id, listed)
        self.finished.add(run_id)
