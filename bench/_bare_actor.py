"""The baseline for bench/worker.py: a bare Dramatiq no-op actor on its own namespace.
It counts what it did in Redis so the bench can tell when all messages are done."""

from __future__ import annotations

import os

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker

NAMESPACE = os.environ.get("BARE_NAMESPACE", "bare-bench")
URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

broker = RedisBroker(url=URL, namespace=NAMESPACE)
dramatiq.set_broker(broker)
_counter = redis.Redis.from_url(URL)


@dramatiq.actor(queue_name="bare", max_retries=0)
def noop(index: int) -> None:
    _counter.incr(f"{NAMESPACE}:done")
