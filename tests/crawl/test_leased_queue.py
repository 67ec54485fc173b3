"""The leased queue on a real Redis: leases end with ack, run out and come back, renew; once keys."""

from __future__ import annotations

import time
from typing import Iterator

import pytest
import redis
from scrapy import Request, Spider

from harvester.distributed import keys
from harvester.distributed.queue import LeasedQueue

REDIS_URL = "redis://127.0.0.1:6379/15"


class OnceSpider(Spider):
    name = "once"

    def parse(self, response):  # type: ignore[no-untyped-def, override]
        return None

    def once_key(self, request: Request) -> str | None:
        return request.url if request.callback == self.parse else None


@pytest.fixture
def server() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def queue(server: redis.Redis, lease_ms: int = 60_000) -> LeasedQueue:
    spider = OnceSpider()
    leased = LeasedQueue(server, spider, keys.queue("once"))
    leased.lease_ms = lease_ms
    return leased


def test_a_popped_request_is_leased_until_acked(server: redis.Redis) -> None:
    q = queue(server)
    q.push(Request("http://gov.test/a.html"))
    request = q.pop()
    assert request is not None and request.url == "http://gov.test/a.html"
    assert len(q) == 1 and q.waiting() == 0 and q.pop() is None  # leased: work left, nothing to hand out
    q.ack(request.meta["harvester_lease"])
    assert len(q) == 0


def test_an_expired_lease_puts_the_request_back_first(server: redis.Redis) -> None:
    q = queue(server, lease_ms=200)
    q.push(Request("http://gov.test/a.html"))
    q.push(Request("http://gov.test/b.html"))
    first = q.pop()
    time.sleep(0.3)  # its worker died: no renewal
    again = q.pop()
    assert first is not None and again is not None and again.url == first.url
    assert again.meta["harvester_lease"] != first.meta["harvester_lease"]


def test_a_renewed_lease_stays(server: redis.Redis) -> None:
    q = queue(server, lease_ms=300)
    q.push(Request("http://gov.test/a.html"))
    held = q.pop()
    assert held is not None
    for _ in range(3):
        time.sleep(0.15)
        assert q.renew([held.meta["harvester_lease"]]) == 1
    assert q.pop() is None
    assert q.renew(["no-such-lease"]) == 0


def test_a_run_queues_a_once_key_once_and_acks_with_its_children(server: redis.Redis) -> None:
    q = queue(server)
    spider = q.spider
    server.set(keys.run("once"), 7)
    assert q.push(Request("http://gov.test/list.html", callback=spider.parse))
    assert not q.push(Request("http://gov.test/list.html", callback=spider.parse))
    assert q.push(Request("http://gov.test/file.pdf")) and q.push(Request("http://gov.test/file.pdf"))
    parent = q.pop()
    assert parent is not None
    q.push_and_ack([Request("http://gov.test/list.html", callback=spider.parse), Request("http://gov.test/r.html",
                                                                                        callback=spider.parse)],
                   parent.meta["harvester_lease"])
    assert q.waiting() == 3 and len(q) == 3  # file.pdf, and r.html: list.html was queued once already
    assert 0 < server.ttl(keys.seen(7))
