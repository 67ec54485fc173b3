"""The Redis connection of workers and seeders: $HARVESTER_REDIS_URL."""

from __future__ import annotations

import os

import redis

ENV_VAR = "HARVESTER_REDIS_URL"


class RedisUnavailable(RuntimeError):
    """Redis cannot be reached; one line says where."""


def redis_url(explicit: str | None = None) -> str | None:
    return explicit or os.environ.get(ENV_VAR) or None


def connect(url: str) -> redis.Redis:
    """A client for ``url``; RedisUnavailable when nothing answers there."""
    client = redis.Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RedisUnavailable(f"cannot reach Redis at {_without_password(url)}: {exc}") from None
    return client


def _without_password(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rsplit('@', 1)[-1]}"
