"""A site's request queue in Redis whose entries are leased, not popped, and the run's record
of what it has queued (the duplicate filter, one set per run that expires with it).

``pop`` moves a request into the leased set with an expiry; ``ack`` removes it once its work
is done (its response handled, its capture recorded). A worker that dies (SIGKILL, OOM, a
lost machine) stops renewing its leases; once they expire, the next ``pop`` anywhere puts
those requests back at the head of the queue. Everything runs in Lua scripts on the Redis
server's clock, so the fleet needs no synchronised clocks.
"""

from __future__ import annotations

import uuid
from typing import Any

from scrapy import Spider
from scrapy.http import Request
from scrapy_redis.queue import Base

from harvester.distributed import keys

LEASE_META = "harvester_lease"
# How long a run's set of queued once keys outlives its last addition: longer than any run.
SEEN_TTL_SECONDS = 7 * 24 * 3600

# KEYS: pending list, leased zset, payload hash. ARGV: lease ms, token.
# Sent again with the same token after a lost reply (a Redis restart), it hands back the
# request that token already leased instead of leasing a second one.
_POP = """
local held = redis.call('HGET', KEYS[3], ARGV[2])
if held then return held end
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, token in ipairs(expired) do
  local data = redis.call('HGET', KEYS[3], token)
  if data then redis.call('RPUSH', KEYS[1], data) end
  redis.call('HDEL', KEYS[3], token)
  redis.call('ZREM', KEYS[2], token)
end
local data = redis.call('RPOP', KEYS[1])
if not data then return false end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), ARGV[2])
redis.call('HSET', KEYS[3], ARGV[2], data)
return data
"""
# KEYS: pending list, current-run key. ARGV: request, once key ('' = always), seen ttl s.
# A request with a once key is queued only the first time its run meets that key: marking it
# seen and queueing it are one step, so a worker dying in between cannot lose it.
_PUSH = f"""
if ARGV[2] ~= '' then
  local run = redis.call('GET', KEYS[2])
  if run then
    local seen = '{keys.PREFIX}:seen:' .. run
    local added = redis.call('SADD', seen, ARGV[2])
    redis.call('EXPIRE', seen, tonumber(ARGV[3]))
    if added == 0 then return 0 end
  end
end
redis.call('LPUSH', KEYS[1], ARGV[1])
return 1
"""
# KEYS: leased zset. ARGV: lease ms, tokens... Renews only leases that still exist.
_RENEW = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i])
end
return renewed
"""


def work_left(server: Any, key: str) -> int:
    """Requests waiting in the queue at ``key`` plus those leased out."""
    return int(server.llen(key)) + int(server.zcard(f"{key}:leased"))


class LeasedQueue(Base):
    """scrapy-redis queue interface (push, pop, __len__, clear) plus ack and renew."""

    lease_ms = 120_000

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.leased_key = f"{self.key}:leased"
        self.payload_key = f"{self.key}:payload"
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self.run_key = keys.run(getattr(getattr(spider, "site", None), "name", spider.name))
        self._renew = server.register_script(_RENEW)

    def __len__(self) -> int:
        """Requests waiting plus requests leased: work the site still has."""
        return work_left(self.server, self.key)

    def waiting(self) -> int:
        return int(self.server.llen(self.key))

    def push(self, request: Request) -> bool:
        """Queue ``request``; False when its run has queued its once key already."""
        return bool(self._push_call(request, self.server))

    def push_and_ack(self, requests: list[Request], token: str | None) -> None:
        """Queue what a leased request led to and, with ``token``, end its lease: all or nothing."""
        pipe = self.server.pipeline(transaction=True)
        for request in requests:
            self._push_call(request, pipe)
        if token is not None:
            pipe.zrem(self.leased_key, token)
            pipe.hdel(self.payload_key, token)
        pipe.execute()

    def _push_call(self, request: Request, client: Any) -> Any:
        once = getattr(self.spider, "once_key", lambda r: None)(request) or ""
        return self._push(keys=[self.key, self.run_key], args=[self._encode_request(request), once, SEEN_TTL_SECONDS],
                          client=client)

    def pop(self, timeout: int = 0) -> Request | None:
        token = uuid.uuid4().hex
        data = self._pop(keys=[self.key, self.leased_key, self.payload_key], args=[self.lease_ms, token])
        if not data:
            return None
        request = self._decode_request(data)
        request.meta[LEASE_META] = token
        return request

    def ack(self, token: str) -> None:
        pipe = self.server.pipeline()
        pipe.zrem(self.leased_key, token)
        pipe.hdel(self.payload_key, token)
        pipe.execute()

    def renew(self, tokens: list[str]) -> int:
        if not tokens:
            return 0
        return int(self._renew(keys=[self.leased_key], args=[self.lease_ms, *tokens]))

    def clear(self) -> None:
        self.server.delete(self.key, self.leased_key, self.payload_key)
