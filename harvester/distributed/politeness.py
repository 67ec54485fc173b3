"""Politeness for the fleet: per-host spacing and concurrency held in Redis, so that N
workers together treat a portal as gently as one crawler does.

Before a request leaves a worker it takes one of the host's fleet-wide slots (a lease in a
sorted set, so a dead worker's slot frees itself) and the host's next send time (at least
the delay after the previous send anywhere in the fleet, and after any challenge back-off).
The worker's own Scrapy delay is set to 0 in distributed mode, so what this middleware
allows is when the request is sent.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler

from harvester.distributed import keys

SLOT_META = "harvester_fleet_slot"
# A request leaves some milliseconds after it takes its send time, and on a loaded machine
# (a 2-core box at load 30, measured) well over a tenth of a second more for one worker than
# for the next; the spacing the portal sees must still be the delay, so a fifth of it is
# added (at least 50 ms).
MARGIN = 0.2
MIN_MARGIN_MS = 50

# KEYS: inflight zset, next-send key. ARGV: token, concurrency, delay ms, slot lease ms.
# Returns 0 when the slot is taken (send now), else milliseconds to wait before asking again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 200 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', tonumber(ARGV[3]) + 60000)
return 0
"""
# KEYS: next-send key. ARGV: back-off ms. Pushes the host's next send time out (never in).
_BACK_OFF = """
local t = redis.call('TIME')
local until_ = t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > nxt then redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[1]) + 60000) end
return until_
"""


class FleetPolitenessMiddleware:
    def __init__(self, server: Any, delay: float, concurrency: int, slot_lease: float = 300.0,
                 crawler: Crawler | None = None) -> None:
        self.server = server
        self.crawler = crawler
        self.delay_ms = int(delay * 1000)
        self.concurrency = max(1, concurrency)
        self.slot_lease_ms = int(slot_lease * 1000)
        self._acquire = server.register_script(_ACQUIRE)
        self._back_off = server.register_script(_BACK_OFF)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "FleetPolitenessMiddleware":
        from harvester.distributed.connection import connect
        from harvester.middlewares.challenge import host_backed_off

        settings = crawler.settings
        middleware = cls(connect(settings["HARVESTER_REDIS_URL"]), settings.getfloat("HARVESTER_FLEET_DELAY"),
                         settings.getint("HARVESTER_FLEET_CONCURRENCY"), crawler=crawler)
        # Released when the request leaves the downloader however it ends (a challenge raised
        # in another middleware's process_response included).
        crawler.signals.connect(middleware._left, signal=signals.request_left_downloader)
        crawler.signals.connect(middleware.back_off, signal=host_backed_off)
        return middleware

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).netloc
        token = uuid.uuid4().hex
        delay_ms = max(self.delay_ms, self._local_delay_ms(request))
        if delay_ms:
            delay_ms += max(MIN_MARGIN_MS, int(delay_ms * MARGIN))
        while True:
            wait_ms = int(self._acquire(keys=[keys.host_inflight(host), keys.host_next(host)],
                                        args=[token, self.concurrency, delay_ms, self.slot_lease_ms]))
            if wait_ms <= 0:
                break
            await asyncio.sleep(wait_ms / 1000)
        request.meta[SLOT_META] = (host, token)

    def _local_delay_ms(self, request: Request) -> int:
        """The host's delay in this process: robots.txt's Crawl-delay and challenge back-off
        raise it there (harvester.middlewares), and the fleet keeps to it as a whole."""
        engine = getattr(self.crawler, "engine", None)
        if engine is None:
            return 0
        slot = engine.downloader.slots.get(engine.downloader.get_slot_key(request))
        return int(slot.delay * 1000) if slot is not None else 0

    def _left(self, request: Request, **kwargs: Any) -> None:
        slot = request.meta.pop(SLOT_META, None)
        if slot is not None:
            self.server.zrem(keys.host_inflight(slot[0]), slot[1])

    def back_off(self, host: str, seconds: float, **kwargs: Any) -> None:
        """Keep the whole fleet away from ``host`` for ``seconds`` (after a challenge page)."""
        self._back_off(keys=[keys.host_next(host)], args=[int(seconds * 1000)])
