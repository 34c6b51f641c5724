"""The kv tool: a job's own corner of Redis (JSON values, counters, sets, time series).

Every key lives under ``{prefix}:kv:{job_id}:`` so jobs never read each other's state
and a job's data can be listed or dropped as one. Values are JSON. Redis here may lose
everything (no RDB, no AOF): keep in kv only caches and figures that rebuild themselves,
such as observed competitor prices (:meth:`append_series`). What a later run or step
must still find goes in ``state`` (the database); sends go through the messaging tool,
whose ledger is in the database (docs/operations.md).
"""

from __future__ import annotations

import builtins
import time
from collections.abc import Iterable
from typing import Any

import orjson

from backend.tools.redisutil import as_text

__all__ = ["KvTool"]


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


class KvTool:
    """Namespaced, JSON-valued Redis access for one job (``redis.asyncio`` client)."""

    def __init__(self, *, redis: Any, prefix: str, job_id: str) -> None:
        if not job_id:
            raise ValueError("kv needs a job_id to namespace its keys")
        self._redis = redis
        self.namespace = f"{prefix}:kv:{job_id}:"

    def key(self, name: str) -> str:
        """The full Redis key of ``name``."""
        return self.namespace + name

    # --- values --------------------------------------------------------------
    async def get(self, name: str, default: Any = None) -> Any:
        raw = await self._redis.get(self.key(name))
        return default if raw is None else orjson.loads(raw)

    async def set(self, name: str, value: Any, *, ttl: float | None = None) -> None:
        """Store ``value``; ``ttl`` in seconds (None keeps it until deleted)."""
        px = None if ttl is None else max(1, int(ttl * 1000))
        await self._redis.set(self.key(name), _dumps(value), px=px)

    async def claim(self, name: str, value: Any = True, *, ttl: float | None = None) -> bool:
        """Set only if absent; True for the one caller that set it (a ledger entry)."""
        px = None if ttl is None else max(1, int(ttl * 1000))
        return bool(await self._redis.set(self.key(name), _dumps(value), nx=True, px=px))

    async def get_many(self, names: list[str]) -> list[Any]:
        raws = await self._redis.mget([self.key(n) for n in names]) if names else []
        return [None if r is None else orjson.loads(r) for r in raws]

    async def delete(self, *names: str) -> int:
        return int(await self._redis.delete(*(self.key(n) for n in names))) if names else 0

    async def expire(self, name: str, ttl: float) -> bool:
        return bool(await self._redis.pexpire(self.key(name), max(1, int(ttl * 1000))))

    # --- counters ------------------------------------------------------------
    async def incr(self, name: str, amount: float = 1, *, ttl: float | None = None) -> float:
        """Add to a counter and return its new value (floats allowed)."""
        pipe = self._redis.pipeline(transaction=True)
        pipe.incrbyfloat(self.key(name), amount)
        if ttl is not None:
            pipe.pexpire(self.key(name), max(1, int(ttl * 1000)))
        value = (await pipe.execute())[0]
        return float(value)

    async def counter(self, name: str) -> float:
        raw = await self._redis.get(self.key(name))
        return 0.0 if raw is None else float(raw)

    # --- sets ------------------------------------------------------------------
    async def add(self, name: str, *members: Any) -> int:
        """Add JSON members to a set; returns how many were new."""
        return int(await self._redis.sadd(self.key(name), *(_dumps(m) for m in members)))

    async def contains(self, name: str, member: Any) -> bool:
        return bool(await self._redis.sismember(self.key(name), _dumps(member)))

    async def members(self, name: str) -> builtins.set[Any]:
        raw = await self._redis.smembers(self.key(name))
        return {_freeze(orjson.loads(m)) for m in raw}

    # --- time series -----------------------------------------------------------
    async def append_series(
        self, name: str, value: Any, *, at: float | None = None, keep: int = 1000
    ) -> None:
        """Record ``value`` at time ``at`` (epoch seconds), keeping the newest ``keep``."""
        at = time.time() if at is None else at
        key = self.key(name)
        pipe = self._redis.pipeline(transaction=True)
        # The timestamp in the member keeps equal values at different times distinct.
        pipe.zadd(key, {_dumps([at, value]): at})
        pipe.zremrangebyrank(key, 0, -keep - 1)
        await pipe.execute()

    async def append_series_many(
        self, points: Iterable[tuple[str, Any]], *, at: float | None = None, keep: int = 1000,
        batch: int = 500,
    ) -> int:  # fmt: skip
        """:meth:`append_series` for many ``(name, value)`` at once, ``batch`` series per
        round trip (10,000 SKUs x 5 marketplaces are 50,000 series a run). Returns how many."""
        at = time.time() if at is None else at
        count = 0
        pipe = self._redis.pipeline(transaction=False)
        for name, value in points:
            key = self.key(name)
            pipe.zadd(key, {_dumps([at, value]): at})
            pipe.zremrangebyrank(key, 0, -keep - 1)
            count += 1
            if count % batch == 0:
                await pipe.execute()
        await pipe.execute()
        return count

    async def series(
        self, name: str, *, since: float | None = None, until: float | None = None
    ) -> list[tuple[float, Any]]:
        """Points ``(at, value)`` oldest first, optionally within [since, until]."""
        low = "-inf" if since is None else since
        high = "+inf" if until is None else until
        raw = await self._redis.zrangebyscore(self.key(name), low, high)
        return [(float(at), value) for at, value in map(orjson.loads, raw)]

    # --- housekeeping ----------------------------------------------------------
    async def names(self, pattern: str = "*") -> list[str]:
        """Names (without the namespace) matching a glob pattern."""
        cut = len(self.namespace)
        found = [k async for k in self._redis.scan_iter(match=self.key(pattern), count=500)]
        return sorted(as_text(k)[cut:] for k in found)

    async def clear(self) -> int:
        """Drop every key of this job; returns how many."""
        keys = [k async for k in self._redis.scan_iter(match=self.key("*"), count=500)]
        return int(await self._redis.delete(*keys)) if keys else 0


def _freeze(value: Any) -> Any:
    """Lists and dicts are unhashable; sets of JSON members return them as tuples."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return value
