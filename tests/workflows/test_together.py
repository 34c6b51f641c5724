"""``together``: a cancelled or failing group of coroutines ends only when every member
has ended (a sender gets to record the message it has on the wire), and the caller sees
the original failure."""

from __future__ import annotations

import asyncio

import pytest

from backend.workflows.common.together import together


def test_a_cancellation_waits_for_every_member_to_finish_its_cleanup() -> None:
    finished: list[str] = []

    async def quick() -> None:
        await asyncio.sleep(10)  # cancelled at once

    async def on_the_wire(name: str) -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            await asyncio.sleep(0.3)  # the platform's answer arrives, then it is recorded
            finished.append(name)
            raise

    async def scenario() -> None:
        group = asyncio.ensure_future(together([quick(), on_the_wire("a"), on_the_wire("b")]))
        await asyncio.sleep(0.05)
        group.cancel()
        with pytest.raises(asyncio.CancelledError):
            await group
        assert sorted(finished) == ["a", "b"]  # asyncio.gather would have left them running

    asyncio.run(scenario())


def test_the_first_failure_stops_the_rest_and_is_raised_as_itself() -> None:
    stopped: list[str] = []

    async def fails() -> None:
        await asyncio.sleep(0.05)
        raise LookupError("database gone")

    async def sender(name: str) -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            stopped.append(name)
            raise

    async def scenario() -> None:
        with pytest.raises(LookupError, match="database gone"):
            await together([fails(), sender("a"), sender("b")])
        assert sorted(stopped) == ["a", "b"]
        await together([])  # nothing to do is fine

    asyncio.run(scenario())


def test_results_come_back_in_order() -> None:
    async def late(n: int) -> int:
        await asyncio.sleep(0.01 * (5 - n))
        return n * n

    assert asyncio.run(together(late(n) for n in range(5))) == [0, 1, 4, 9, 16]
