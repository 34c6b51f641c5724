"""The door: a slot per HTTP request actually sent (pacing: tests/tools/test_ratelimit.py)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.connectors.common import send
from backend.connectors.door import PlatformCalls, guarded
from backend.core.ratelimit import RateLimit

pytestmark = pytest.mark.anyio


class _CountingLimiter:
    def __init__(self) -> None:
        self.slots = 0

    async def acquire(self, limit: RateLimit) -> float:
        self.slots += 1
        return 0.0


class _Shop:
    """Finds an item's id once (one request), then reads it (one more), like Shopee."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client
        self._ids: dict[str, int] = {}

    async def get_listing(self, sku: str) -> int:
        if sku not in self._ids:
            await send(self._client, "GET", f"http://shop/search/{sku}", platform="shop")
            self._ids[sku] = len(self._ids) + 1
        await send(self._client, "GET", f"http://shop/item/{self._ids[sku]}", platform="shop")
        return self._ids[sku]

    async def cached(self, sku: str) -> int:
        return self._ids[sku]


async def test_a_call_takes_a_slot_for_each_request_it_sends() -> None:
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, json={})

    limiter = _CountingLimiter()
    calls = PlatformCalls(limiter=limiter, rates={"shop": 10})  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        shop = guarded(_Shop(client), calls, bucket="shop:default", rate_as="shop")
        await shop.get_listing("A")  # search + read
        await shop.get_listing("A")  # the id is known: the read only
        await shop.cached("A")  # no request at all
    assert sent == ["/search/A", "/item/1", "/item/1"]
    assert limiter.slots == 3
    assert calls.stats.as_dict()["calls"] == {"shop": 3}


async def test_a_request_outside_the_door_takes_no_slot() -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(
            lambda r: httpx.Response(200, json={}))) as client:  # fmt: skip
        shop = _Shop(client)
        assert await shop.get_listing("B") == 1  # a bare connector just sends


async def test_concurrent_calls_keep_their_own_slots() -> None:
    """Requests of calls running side by side each take their own call's slot."""
    limiter = _CountingLimiter()
    calls = PlatformCalls(limiter=limiter, rates={"shop": 10})  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=httpx.MockTransport(
            lambda r: httpx.Response(200, json={}))) as client:  # fmt: skip
        shop = guarded(_Shop(client), calls, bucket="shop:default", rate_as="shop")
        await asyncio.gather(*(shop.get_listing(f"S{i}") for i in range(20)))
    assert limiter.slots == 40
