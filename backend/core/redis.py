"""Redis clients and the event channel. Clients are built on demand, one per process."""

from __future__ import annotations

import functools
import json
import time
from typing import Any

import redis
import redis.asyncio as aioredis

from backend.core.config import get_settings

__all__ = ["get_redis", "get_async_redis", "events_channel", "publish_event", "key"]


@functools.lru_cache(maxsize=4)
def get_redis(url: str | None = None) -> redis.Redis:
    """A pooled synchronous client (thread-safe)."""
    url = url or get_settings().redis_url
    return redis.Redis.from_url(
        url, decode_responses=True, socket_timeout=10, socket_connect_timeout=5,
        health_check_interval=15, retry_on_timeout=True,
    )


def get_async_redis(url: str | None = None) -> aioredis.Redis:
    """A new asyncio client; the caller closes it (loops must not share one)."""
    return aioredis.Redis.from_url(url or get_settings().redis_url, decode_responses=True)


def key(*parts: str) -> str:
    """A key in this install's namespace: ``key("lock", "x")`` -> ``spio:lock:x``."""
    return ":".join((get_settings().redis_prefix, *parts))


def events_channel() -> str:
    return key("events")


def publish_event(event_type: str, **fields: Any) -> None:
    """Tell live listeners (UI, tests) something changed. Best effort: never fails a run."""
    payload = {"type": event_type, "ts": time.time(), **fields}
    try:
        get_redis().publish(events_channel(), json.dumps(payload, default=str))
    except redis.RedisError:
        pass
