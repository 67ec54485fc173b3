"""Fleet commands sent twice, as the Redis client does when a restart lost the first reply:
the second changes nothing (real Redis, database 15 like the queue tests)."""

from __future__ import annotations

import uuid

import redis
from scrapy import Request
from test_leased_queue import queue, server  # noqa: F401 - the queue tests' Redis database

from harvester.distributed import keys
from harvester.distributed.runs import _ADD_COUNT, fleet_stats


def test_a_pop_sent_again_hands_back_the_same_lease(server: redis.Redis) -> None:
    q = queue(server)
    q.push(Request("http://gov.test/a.html"))
    q.push(Request("http://gov.test/b.html"))
    token = uuid.uuid4().hex
    first = q._pop(keys=[q.key, q.leased_key, q.payload_key], args=[q.lease_ms, token])
    again = q._pop(keys=[q.key, q.leased_key, q.payload_key], args=[q.lease_ms, token])
    assert first == again
    assert q.waiting() == 1 and server.zcard(q.leased_key) == 1  # b.html still waits for a worker


def test_a_count_sent_again_is_added_once(server: redis.Redis) -> None:
    add = server.register_script(_ADD_COUNT)
    run_keys = [keys.run_stats(7), keys.worker_stats(7), keys.stats_applied(7)]
    for sequence in (1, 1, 2):  # the first count's reply was lost, so it went twice
        add(keys=run_keys, args=["new_reports", "w1|new_reports", 1, "process-a", sequence, 60])
    add(keys=run_keys, args=["new_reports", "w2|new_reports", 1, "process-b", 1, 60])
    stats = fleet_stats(server, 7)
    assert stats["new_reports"] == 3
    assert stats["workers"] == {"w1": {"new_reports": 2}, "w2": {"new_reports": 1}}
