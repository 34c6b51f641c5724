"""Fan-out that keeps memory flat, and a breaker for a platform that is down.

Workflows that make thousands of platform calls (catalog sync) run them over a stream
of items with :func:`bounded`, a fixed number in flight; each call already follows the
call policy of ``ctx.platforms`` (retries, Retry-After). :class:`Breaker` counts the
calls that still failed, so a platform that fails every one is left alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

__all__ = ["Breaker", "bounded"]

T = TypeVar("T")
U = TypeVar("U")
_END = object()


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
