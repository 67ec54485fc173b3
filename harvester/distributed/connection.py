"""The Redis connection of workers and seeders: $HARVESTER_REDIS_URL.

A fleet outlives a Redis restart: once connected, every command that finds Redis gone
waits (exponential back-off, logged) and is sent again when it is back, so a worker pauses
instead of stopping. The fleet's commands are written to be safe to send twice
(``queue``, ``runs``), because a command whose reply was lost may have run already.
"""

from __future__ import annotations

import logging
import os

import redis
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.retry import Retry

ENV_VAR = "HARVESTER_REDIS_URL"
WAIT_ENV_VAR = "HARVESTER_REDIS_WAIT_SECONDS"
# Longest single wait between two attempts; the total wait is unbounded unless configured.
MAX_BACKOFF_SECONDS = 10.0
# A server that accepted the connection but stopped answering counts as gone after this.
SOCKET_TIMEOUT_SECONDS = 30.0

logger = logging.getLogger(__name__)


class RedisUnavailable(RuntimeError):
    """Redis cannot be reached; one line says where."""


class _WaitingBackoff(ExponentialWithJitterBackoff):
    """Exponential back-off that says, each time, that the fleet is waiting for Redis."""

    def compute(self, failures: int) -> float:
        wait = super().compute(failures)
        logger.warning("Redis unreachable (attempt %d): waiting %.1f s before trying again", failures, wait)
        return wait


def waiting_retry(wait_seconds: float | None = None) -> Retry:
    """Retry a command through a Redis outage: forever, or about ``wait_seconds`` in all."""
    if wait_seconds is None:
        configured = os.environ.get(WAIT_ENV_VAR)
        wait_seconds = float(configured) if configured else None
    attempts = -1 if wait_seconds is None else max(1, int(wait_seconds / MAX_BACKOFF_SECONDS) + 4)
    return Retry(_WaitingBackoff(cap=MAX_BACKOFF_SECONDS, base=0.25), attempts)


def redis_url(explicit: str | None = None) -> str | None:
    return explicit or os.environ.get(ENV_VAR) or None


def connect(url: str) -> redis.Redis:
    """A client for ``url`` that waits through outages; RedisUnavailable when nothing answers
    there at the start (a wrong address should fail at once, not wait)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=SOCKET_TIMEOUT_SECONDS,
                                  health_check_interval=30, retry=Retry(NoBackoff(), 0))
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RedisUnavailable(f"cannot reach Redis at {_without_password(url)}: {exc}") from None
    client.set_retry(waiting_retry())
    return client


def _without_password(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rsplit('@', 1)[-1]}"
