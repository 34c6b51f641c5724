"""Connector calls from a workflow: a cluster-wide slot per call, 429s obeyed, retries.

Connectors map a platform's answer to ``RateLimited`` / ``TransientError`` but do not wait
or retry (they never know who calls them); workflows that fan out hundreds of calls go
through :class:`LimitedCaller`, which takes a slot of the platform's limit (Redis, shared
by every worker) before each call, sleeps what a 429 asked, and retries transient
failures with jittered backoff. Errors that are not transient propagate at once.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from backend.connectors.base import RateLimited, TransientError
from backend.tools.ratelimit import RateLimit, RateLimiter

__all__ = ["LimitedCaller", "DEFAULT_CALL_RATES"]

T = TypeVar("T")

# Calls per second per platform: 80% of the sandbox's (and the platforms' documented)
# limits, leaving room for the shop's other tools sharing the same accounts.
DEFAULT_CALL_RATES: dict[str, float] = {
    "shopee": 40, "tokopedia": 40, "tiktok": 40, "tiktok_shop": 40, "lazada": 32,
    "blibli": 24, "website": 160, "market": 160, "inventory": 160, "social": 40,
}  # fmt: skip


class LimitedCaller:
    """Runs connector calls within per-platform limits and a cap on calls in flight
    per platform."""

    def __init__(
        self,
        *,
        redis: Any,
        prefix: str,
        scope: str,
        rates: Mapping[str, float] | None = None,
        in_flight: int = 50,
        retries: int = 4,
        backoff_sec: float = 0.2,
    ) -> None:
        self._limiter = RateLimiter(redis=redis, prefix=prefix)
        self._scope = scope
        self._rates = {**DEFAULT_CALL_RATES, **dict(rates or {})}
        self._in_flight = max(1, in_flight)
        # One cap per bucket: callers queued for a slow platform's slots must not hold
        # the places of calls to the others.
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._retries = retries
        self._backoff = backoff_sec
        self.calls: Counter[str] = Counter()
        self.rate_limited: Counter[str] = Counter()
        self.retried: Counter[str] = Counter()

    def limit(self, bucket: str, platform: str) -> RateLimit | None:
        """The limit of ``bucket`` (e.g. ``market:shopee``), rated as ``platform``."""
        rate = self._rates.get(platform)
        if not rate:
            return None
        # A 1-second window of `rate` calls; fractional rates become longer windows.
        count = max(1, int(rate))
        return RateLimit(key=f"{self._scope}:{bucket}", count=count, per=count / rate)

    async def call(
        self, bucket: str, platform: str, fn: Callable[[], Awaitable[T]], *, cost: int = 1
    ) -> T:
        """``await fn()`` once a slot is free; ``cost`` = HTTP requests the call makes."""
        limit = self.limit(bucket, platform)
        attempt = waits = 0
        sem = self._sems.get(bucket)
        if sem is None:
            sem = self._sems[bucket] = asyncio.Semaphore(self._in_flight)
        async with sem:
            while True:
                if limit is not None:
                    for _ in range(cost):
                        await self._limiter.acquire(limit)
                self.calls[platform] += cost
                try:
                    return await fn()
                except RateLimited as exc:
                    waits += 1
                    self.rate_limited[platform] += 1
                    if waits > 8:
                        raise
                    await asyncio.sleep(exc.retry_after)
                except TransientError:
                    if attempt >= self._retries:
                        raise
                    self.retried[platform] += 1
                    delay = self._backoff * 2**attempt
                    await asyncio.sleep(random.uniform(delay / 2, delay))
                    attempt += 1

    def stats(self) -> dict[str, Any]:
        return {"calls": dict(self.calls), "calls_total": sum(self.calls.values()),
                "rate_limited": dict(self.rate_limited), "retried": dict(self.retried)}
