"""Run coroutines side by side and end them together: ``await together(coros)``.

``asyncio.gather`` returns at the first child that fails or is cancelled and leaves the
others running. When a run is stopped (a worker hands it back), that let the run's
context close its HTTP clients under senders still waiting for a platform's answer:
their messages, already taken by the platform, failed, were never recorded, and the
resumed run sent them again. Here a cancellation or a failure first stops every child
and waits until each has ended (a sender records what is already on the wire), then
propagates: the failure itself, not a group of them, so the callers' error handling
sees what it always saw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import Any, TypeVar

__all__ = ["together"]

T = TypeVar("T")


async def _end(tasks: Iterable[asyncio.Future[Any]]) -> None:
    """Cancel ``tasks`` and wait for all of them, however often this is cancelled."""
    pending = [t for t in tasks if not t.done()]
    for task in pending:
        task.cancel()
    while pending:
        try:
            await asyncio.wait(pending)
        except asyncio.CancelledError:
            pass  # the children are ending already; they still need their time
        pending = [t for t in pending if not t.done()]


async def together(coros: Iterable[Awaitable[T]]) -> list[T]:
    """Await every coroutine and return their results in order; on the first failure or
    a cancellation, stop and wait for the rest, then raise it."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    if not tasks:
        return []
    try:
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    except asyncio.CancelledError:
        await _end(tasks)
        raise
    await _end(pending)
    for task in tasks:
        if task in done and task.cancelled():
            raise asyncio.CancelledError
        if task in done and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
    return [task.result() for task in tasks]
