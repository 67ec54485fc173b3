"""scrapy-redis's Scheduler over a leased queue, one queue per site.

In a seeder (``harvester crawl --distributed``) the scheduler only takes requests in: the
start requests go to Redis and the seeding crawl closes. In a worker it hands out leased
requests and holds their leases (``leases``).
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.dupefilters import BaseDupeFilter
from scrapy.http import Request
from scrapy_redis.scheduler import Scheduler

from harvester.distributed.connection import connect
from harvester.distributed.leases import LeaseTracker
from harvester.distributed.queue import LeasedQueue


class NoDupeFilter(BaseDupeFilter):
    """Every request of ours is ``dont_filter``: what a run has asked for is the queue's set
    per run (``queue.LeasedQueue.push``), which expires with it, instead of scrapy-redis's
    ever-growing filter."""

    @classmethod
    def from_settings(cls, settings: Any) -> "NoDupeFilter":
        return cls()

    @classmethod
    def from_spider(cls, spider: Any) -> "NoDupeFilter":
        return cls()

    def clear(self) -> None:
        pass


class LeasingScheduler(Scheduler):
    crawler: Crawler
    seeding: bool
    tracker: LeaseTracker | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "LeasingScheduler":
        instance = super().from_crawler(crawler)
        # The fleet's own client, which waits through a Redis restart instead of failing.
        instance.server = connect(crawler.settings["HARVESTER_REDIS_URL"])
        instance.crawler = crawler
        instance.seeding = crawler.settings.get("HARVESTER_DISTRIBUTED") == "seed"
        return instance

    def open(self, spider: Any) -> None:
        super().open(spider)
        assert isinstance(self.queue, LeasedQueue)
        self.queue.lease_ms = int(self.crawler.settings.getfloat("HARVESTER_LEASE_SECONDS") * 1000)
        if not self.seeding:
            self.tracker = LeaseTracker(self.crawler, self.queue)

    def close(self, reason: str) -> None:
        if self.tracker is not None:
            self.tracker.release_all()
        super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        if not self.queue.push(request):
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.seeding:
            return None
        request = self.queue.pop()
        if request is not None:
            assert self.tracker is not None
            self.tracker.hold(request)
            if self.stats:
                self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return not self.seeding and self.queue.waiting() > 0
