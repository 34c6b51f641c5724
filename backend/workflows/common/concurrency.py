"""Retrying one platform call the way the connector error contract asks.

Connectors raise ``RateLimited`` (wait ``retry_after``), ``TransientError`` (5xx,
timeouts, resets: back off and try again) or a non-retryable error (``AuthFailed``,
``Rejected``: stop). Workflows that make thousands of calls (catalog sync, the BI
fetch) wrap each call here, so one flaky response costs a retry, not the run;
``bounded`` runs such calls over a stream of items with a fixed number in flight.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from backend.connectors.base import RateLimited, TransientError

__all__ = ["Breaker", "call_with_retries", "bounded"]

T = TypeVar("T")
U = TypeVar("U")
_END = object()


async def call_with_retries(
    fn: Callable[[], Awaitable[T]],
    *,
    attempts: int = 5,
    base_delay: float = 0.2,
    max_delay: float = 5.0,
    on_retry: Callable[[BaseException], None] | None = None,
) -> T:
    """Await ``fn()``; retry transient failures up to ``attempts`` tries in all."""
    for attempt in range(1, attempts + 1):
        try:
            return await fn()
        except RateLimited as exc:
            if attempt >= attempts:
                raise
            if on_retry:
                on_retry(exc)
            await asyncio.sleep(min(max(exc.retry_after, base_delay), 60.0))
        except TransientError as exc:
            if attempt >= attempts:
                raise
            if on_retry:
                on_retry(exc)
            # Full jitter spreads the retries of many concurrent calls.
            await asyncio.sleep(random.uniform(0, min(max_delay, base_delay * 2**attempt)))
    raise AssertionError("unreachable")


async def bounded(
    items: Iterable[U], fn: Callable[[U], Awaitable[None]], *, concurrency: int
) -> None:
    """Run ``fn`` over ``items`` with at most ``concurrency`` in flight, pulling items
    lazily (a generator over a file is never read ahead): memory stays flat however
    many items there are. The first error cancels the rest and is raised."""
    iterator = iter(items)
    running: set[asyncio.Task[None]] = set()
    try:
        while True:
            while len(running) < concurrency:
                item = next(iterator, _END)
                if item is _END:
                    break
                running.add(asyncio.ensure_future(fn(item)))  # type: ignore[arg-type]
            if not running:
                return
            done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
    finally:
        for task in running:
            task.cancel()


class Breaker:
    """Counts one platform's writes that failed after all their tries, in a row.

    After ``threshold`` of them with no success between, the platform is taken as down
    (``open``): callers stop calling it and count what they skip. ``reset`` closes it
    again, with a new threshold, to give the platform another chance."""

    def __init__(self, *, threshold: int) -> None:
        self.threshold = threshold
        self.failures = 0
        self.open = False
        self.skipped = 0
        self.last_error = ""

    def success(self) -> None:
        self.failures = 0

    def failure(self, exc: BaseException) -> bool:
        """Count a failure; True when this one opened the breaker."""
        self.failures += 1
        self.last_error = f"{type(exc).__name__}: {exc}"
        if not self.open and self.failures >= self.threshold:
            self.open = True
            return True
        return False

    def reset(self, *, threshold: int) -> None:
        self.threshold, self.failures, self.open, self.skipped = threshold, 0, False, 0

    def reason(self) -> str:
        return (f"platform unavailable: {self.failures} writes in a row failed after all "
                f"their tries (last: {self.last_error}); the rest were not sent")
