"""Queue names and depths. Each priority has its own Dramatiq queue, because actor
priority only reorders messages a worker already prefetched, never a Redis queue."""

from __future__ import annotations

import redis

from backend.core.config import get_settings
from backend.domain.vocab import PRIORITIES

__all__ = ["queue_name", "QUEUE_NAMES", "queue_depths", "dramatiq_namespace"]

QUEUE_NAMES: dict[str, str] = {p: f"spio.{p}" for p in PRIORITIES}


def queue_name(priority: str) -> str:
    return QUEUE_NAMES.get(priority, QUEUE_NAMES["normal"])


def dramatiq_namespace() -> str:
    return f"{get_settings().redis_prefix}-dramatiq"


def queue_depths(client: redis.Redis) -> dict[str, int]:
    """Messages waiting per priority (the Redis list; messages workers hold are not counted)."""
    ns = dramatiq_namespace()
    pipe = client.pipeline(transaction=False)
    for name in QUEUE_NAMES.values():
        pipe.llen(f"{ns}:{name}")
    return {p: int(n) for p, n in zip(PRIORITIES, pipe.execute(), strict=True)}
