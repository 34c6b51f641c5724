"""The one call policy every platform call goes through: retries and Retry-After.

A connector maps each answer to one error of ``backend.connectors.base``; this module
decides what happens next, the same way for every caller (``ctx.platforms``, the http
and messaging tools):

    RateLimited     wait what the platform asked (``retry_after``, from Retry-After in
                    seconds or as an HTTP date), then try again; at most ``rate_waits``
                    times: waiting as told is not a failure, so it has its own budget
    TransientError  back off and try again, at most ``retries`` times; the wait is
                    "full jitter", ``uniform(0, min(cap, base * 2**n))`` for the n-th
                    retry, which spreads the retries of many workers over an outage
    anything else   raised at once (AuthFailed, Rejected: retrying cannot help)

Before each try the caller's ``slot`` (a cluster-wide rate slot) is awaited; with
``per_request`` it is awaited before each HTTP request the try sends instead
(:func:`request_slot`, called by ``connectors.common.send``): a call whose requests
depend on what the connector knows already (Shopee finds an item's id once and reads a
product's variants only when it has some) takes exactly the slots it uses.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from backend.connectors.base import RateLimited, TransientError

__all__ = ["RetryBudget", "CallStats", "backoff_delay", "call_with_policy",
           "parse_retry_after", "MAX_RETRY_AFTER_SEC", "request_slot"]  # fmt: skip

T = TypeVar("T")
MAX_RETRY_AFTER_SEC = 300.0


@dataclass(frozen=True, slots=True)
class RetryBudget:
    """How patient a call is: transient retries, 429 waits, and the backoff's scale."""

    retries: int = 4
    rate_waits: int = 8
    backoff_base_sec: float = 0.2
    backoff_max_sec: float = 10.0


class CallStats:
    """Calls (HTTP requests, counted as rate slots), 429s met and retries, per platform."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.rate_limited: Counter[str] = Counter()
        self.retried: Counter[str] = Counter()

    def as_dict(self) -> dict[str, Any]:
        return {"calls": dict(self.calls), "calls_total": sum(self.calls.values()),
                "rate_limited": dict(self.rate_limited), "retried": dict(self.retried),
                "retried_total": sum(self.retried.values())}  # fmt: skip


# The slot of one request of the call in progress (set by call_with_policy(per_request=True)
# for the call's own task; tasks the connector starts inside the call inherit it).
_REQUEST_SLOT: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar(
    "request_slot", default=None)


async def request_slot() -> None:
    """Wait for the current call's rate slot for one HTTP request (no call: go now)."""
    slot = _REQUEST_SLOT.get()
    if slot is not None:
        await slot()


def backoff_delay(retry: int, *, base: float, cap: float) -> float:
    """Seconds to wait before the ``retry``-th retry (0 = the first): full jitter."""
    return random.uniform(0, min(cap, base * 2**retry))


def parse_retry_after(value: str | None, *, default: float) -> float:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            seconds = default  # neither seconds nor a date: the server said nothing useful
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SEC)


async def call_with_policy(
    fn: Callable[[], Awaitable[T]],
    *,
    budget: RetryBudget,
    platform: str = "",
    slot: Callable[[], Awaitable[Any]] | None = None,
    stats: CallStats | None = None,
    cost: int = 1,
    per_request: bool = False,
) -> T:
    """``await fn()`` under the policy (see the module docstring); ``cost`` is how many
    requests one try makes, for the counts; ``per_request``: ``slot`` is taken (and the
    request counted) by each request ``fn`` sends instead."""

    async def one_request() -> None:
        if stats is not None:
            stats.calls[platform] += 1
        if slot is not None:
            await slot()

    retries = waits = 0
    while True:
        if not per_request:
            if slot is not None:
                await slot()
            if stats is not None:
                stats.calls[platform] += cost
        token = _REQUEST_SLOT.set(one_request if per_request else None)
        try:
            return await fn()
        except RateLimited as exc:
            waits += 1
            if waits > budget.rate_waits:
                raise
            if stats is not None:
                stats.rate_limited[platform] += 1
            await asyncio.sleep(exc.retry_after)
        except TransientError:
            if retries >= budget.retries:
                raise
            if stats is not None:
                stats.retried[platform] += 1
            await asyncio.sleep(backoff_delay(retries, base=budget.backoff_base_sec,
                                              cap=budget.backoff_max_sec))
            retries += 1
        finally:
            _REQUEST_SLOT.reset(token)
