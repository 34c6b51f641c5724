"""The Dramatiq broker, built on demand, and a pipelined bulk enqueue for the scheduler."""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Iterable

import dramatiq
import orjson
from dramatiq.brokers.redis import RedisBroker

from backend.core.config import get_settings
from backend.services.queues import dramatiq_namespace
from backend.worker.shutdown import WorkerLifecycle

__all__ = ["get_broker", "setup_broker", "enqueue_runs", "ACTOR_NAMES"]

# One thin actor per priority queue (see backend.worker.actors).
ACTOR_NAMES: dict[str, str] = {
    "critical": "run_critical",
    "high": "run_high",
    "normal": "run_normal",
    "low": "run_low",
}


@functools.lru_cache(maxsize=1)
def get_broker() -> RedisBroker:
    """The process's broker. Our own run lifecycle does retries, time limits and
    redelivery bookkeeping, so Dramatiq's default middleware is left out on purpose."""
    settings = get_settings()
    return RedisBroker(
        url=settings.redis_url,
        namespace=dramatiq_namespace(),
        middleware=[WorkerLifecycle()],
        heartbeat_timeout=15_000,
        # Each broker command does maintenance (requeue the unacked messages of workers
        # silent for heartbeat_timeout) with this chance per million: 1% instead of 0.1%,
        # so a SIGKILLed worker's prefetched messages come back within seconds.
        maintenance_chance=10_000,
    )


def setup_broker() -> RedisBroker:
    broker = get_broker()
    dramatiq.set_broker(broker)
    return broker


def enqueue_runs(items: Iterable[tuple[int, str]]) -> int:
    """Send ``(run_id, priority)`` messages, in bulk; returns how many.

    Equivalent to ``actor.send(run_id)`` per item. Dramatiq's Redis enqueue is an HSET of
    the message into ``{ns}:{queue}.msgs`` plus an RPUSH of its id onto ``{ns}:{queue}``
    (dispatch.lua, "enqueue"); doing that for a whole batch in one MULTI/EXEC instead of a
    script call per message is what lets a tick dispatch thousands of runs per second.
    The system tests prove real Dramatiq workers consume these messages.
    """
    from backend.services.queues import queue_name

    broker = get_broker()
    batches: dict[str, tuple[dict[str, bytes], list[str]]] = {}
    now_ms = int(time.time() * 1000)
    count = 0
    for run_id, priority in items:
        queue = queue_name(priority)
        redis_id = str(uuid.uuid4())
        body = orjson.dumps({
            "queue_name": queue,
            "actor_name": ACTOR_NAMES.get(priority, "run_normal"),
            "args": [run_id],
            "kwargs": {},
            "options": {"redis_message_id": redis_id},
            "message_id": redis_id,  # unique per send, which is all Dramatiq needs
            "message_timestamp": now_ms,
        })
        mapping, ids = batches.setdefault(queue, ({}, []))
        mapping[redis_id] = body
        ids.append(redis_id)
        count += 1
    if not count:
        return 0
    pipe = broker.client.pipeline(transaction=True)
    for queue, (mapping, ids) in batches.items():
        broker.queues.add(queue)
        pipe.hset(f"{broker.namespace}:{queue}.msgs", mapping=mapping)
        pipe.rpush(f"{broker.namespace}:{queue}", *ids)
    pipe.execute()
    return count
