"""The guard at the door: a connector whose every call takes a rate slot and follows
the call policy (``backend.connectors.policy``).

:class:`PlatformCalls` holds one run's limits: a cluster-wide slot per call (Redis, shared
by every worker) in a bucket per platform and account, a cap on calls in flight per
bucket, the retry budget, and the counts. :func:`guarded` wraps a connector so that each
of its coroutine methods goes through it; other attributes pass through unchanged, so
the guarded connector is used exactly like the connector (and typed as it).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar, cast

from backend.connectors.policy import CallStats, RetryBudget, call_with_policy
from backend.core.ratelimit import RateLimit, RateLimiter

__all__ = ["PlatformCalls", "guarded", "DEFAULT_CALL_RATES"]

T = TypeVar("T")

# Calls per second per platform: 80% of the sandbox's (and the platforms' documented)
# limits, leaving room for the shop's other tools sharing the same accounts. A platform
# not named here takes no slot (its 429s are still obeyed). A job's ``rate_limits``
# input overrides these.
DEFAULT_CALL_RATES: dict[str, float] = {
    "shopee": 40, "tokopedia": 40, "tiktok": 40, "tiktok_shop": 40, "lazada": 32,
    "blibli": 24, "website": 160, "market": 160, "inventory": 160, "social": 40,
    "crm": 150,
}  # fmt: skip


class PlatformCalls:
    """One run's platform calls: slots, in-flight caps, retries and their counts."""

    def __init__(
        self,
        *,
        limiter: RateLimiter | None,
        rates: Mapping[str, float] | None = None,
        budget: RetryBudget | None = None,
        in_flight: int = 50,
    ) -> None:
        self._limiter = limiter
        self._rates = {**DEFAULT_CALL_RATES, **dict(rates or {})}
        self.budget = budget or RetryBudget()
        self._in_flight = max(1, in_flight)
        # One cap per bucket: callers queued for a slow platform's slots must not hold
        # the places of calls to the others.
        self._gates: dict[str, asyncio.Semaphore] = {}
        self.stats = CallStats()

    def limit(self, bucket: str, rate_as: str) -> RateLimit | None:
        """The limit of ``bucket`` (e.g. ``market:shopee:default``), rated as ``rate_as``."""
        rate = self._rates.get(rate_as)
        if not rate or self._limiter is None:
            return None
        # A 1-second window of `rate` calls; fractional rates become longer windows.
        # Paced: grants `per / count` apart, never a window's count at once. The
        # platforms count in token buckets (the sandbox: burst = the limit); a whole
        # window granted in one go, sent late by a busy event loop and followed on time
        # by the next window's, lands two windows' worth in one bucket (10,000 SKUs
        # repriced 64 listings in flight per marketplace met 135 429s, the seed 24).
        count = max(1, int(rate))
        return RateLimit(key=f"calls:{bucket}", count=count, per=count / rate, paced=True)

    async def call(self, fn: Callable[[], Awaitable[T]], *, bucket: str, rate_as: str,
                   budget: RetryBudget | None = None) -> T:
        """``await fn()`` under the call policy, each HTTP request it sends once a slot
        is free: a call takes as many slots as requests it makes (an item id the
        connector knows already costs none)."""
        limit, limiter = self.limit(bucket, rate_as), self._limiter
        gate = self._gates.get(bucket)
        if gate is None:
            gate = self._gates[bucket] = asyncio.Semaphore(self._in_flight)

        async def slot() -> None:
            if limit is not None and limiter is not None:
                await limiter.acquire(limit)

        async with gate:
            return await call_with_policy(fn, budget=budget or self.budget, platform=rate_as,
                                          slot=slot, stats=self.stats, per_request=True)


class _Guarded:
    """Forwards attribute access to the connector; coroutine methods go through
    :meth:`PlatformCalls.call`."""

    __slots__ = ("_target", "_calls", "_bucket", "_rate_as", "_budget")

    def __init__(self, target: Any, calls: PlatformCalls, *, bucket: str, rate_as: str,
                 budget: RetryBudget | None) -> None:  # fmt: skip
        self._target, self._calls, self._bucket = target, calls, bucket
        self._rate_as, self._budget = rate_as, budget

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await self._calls.call(lambda: attr(*args, **kwargs), bucket=self._bucket,
                                          rate_as=self._rate_as, budget=self._budget)

        return call

    def __repr__(self) -> str:
        return f"guarded({self._target!r}, bucket={self._bucket!r})"


def guarded(connector: T, calls: PlatformCalls, *, bucket: str, rate_as: str,
            budget: RetryBudget | None = None) -> T:  # fmt: skip
    """``connector`` behind the call policy, typed as the connector itself."""
    return cast(T, _Guarded(connector, calls, bucket=bucket, rate_as=rate_as, budget=budget))
