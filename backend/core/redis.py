"""Redis clients and the event channel. Clients are built on demand, one per process."""

from __future__ import annotations

import functools
import json
import logging
import queue
import threading
import time
from typing import Any, cast

import redis
import redis.asyncio as aioredis

from backend.core.config import get_settings

__all__ = ["get_redis", "get_async_redis", "events_channel", "publish_event", "key",
           "persistence", "stop_publisher", "wake_channel", "wake_scheduler"]


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


def persistence(client: redis.Redis) -> str:
    """How the Redis keeps its data across a restart: "aof", "rdb", "none", or "unknown"
    (CONFIG is often disabled on managed Redis). With "none", a restart loses the queued
    messages (the scheduler sends them again from the runs table) and live counters."""
    try:
        # A synchronous client: its replies are values, never awaitables.
        config = cast(dict[str, Any], client.config_get("appendonly"))
        config.update(cast(dict[str, Any], client.config_get("save")))
    except redis.ResponseError:
        return "unknown"
    if str(config.get("appendonly", "no")) == "yes":
        return "aof"
    return "rdb" if str(config.get("save", "")).strip() else "none"


def events_channel() -> str:
    return key("events")


def wake_channel() -> str:
    """The scheduler listens here to tick at once instead of within a second."""
    return key("scheduler", "wake")


def wake_scheduler(reason: str) -> None:
    """Ask the scheduler to tick now (a job was created, run or retried). Best effort:
    the scheduler also ticks on its own within a second."""
    try:
        get_redis().publish(wake_channel(), reason)
    except Exception:  # noqa: BLE001 - a lost wake-up only delays the tick
        pass


class _Publisher:
    """Sends events from a background thread, so a run never waits on a publish."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="event-publisher")
        self.thread.start()

    def _run(self) -> None:
        while True:
            # Drain every 20 ms rather than block on get(): a put() that wakes a waiting
            # thread costs the publishing run a GIL hand-over each time.
            stopping = self.stopping.wait(0.02)
            if stopping and self.queue.empty():
                return
            batch: list[str] = []
            while len(batch) < 1000:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            if not batch:
                continue
            try:
                pipe = get_redis().pipeline(transaction=False)
                for payload in batch:
                    pipe.publish(events_channel(), payload)
                pipe.execute()
            except Exception:  # noqa: BLE001
                # Best effort: live views catch up from the database. Any error (Redis
                # down, a socket closed under the pipeline, settings swapped by a test)
                # is swallowed: this thread dying would silence every later event.
                logging.getLogger("spio.events").debug("publish failed", exc_info=True)


_PUBLISHER: _Publisher | None = None
_PUBLISHER_LOCK = threading.Lock()


def stop_publisher(*, timeout_sec: float = 5.0) -> None:
    """Send what is queued and end the publisher thread (process shutdown); an event
    published later starts a new one."""
    global _PUBLISHER
    with _PUBLISHER_LOCK:
        publisher, _PUBLISHER = _PUBLISHER, None
    if publisher is not None:
        publisher.stopping.set()
        publisher.thread.join(timeout_sec)


def publish_event(event_type: str, **fields: Any) -> None:
    """Tell live listeners (UI, tests) something changed. Best effort, never blocks."""
    global _PUBLISHER
    if _PUBLISHER is None or not _PUBLISHER.thread.is_alive():
        with _PUBLISHER_LOCK:
            if _PUBLISHER is None or not _PUBLISHER.thread.is_alive():
                _PUBLISHER = _Publisher()
    payload = {"type": event_type, "ts": time.time(), **fields}
    _PUBLISHER.queue.put(json.dumps(payload, default=str))
