"""The kv tool on real Redis: namespacing, TTLs, ledgers, counters, sets, series."""

from __future__ import annotations

import asyncio

import pytest

from backend.tools.kv import KvTool

pytestmark = pytest.mark.anyio


async def test_jobs_do_not_see_each_other(redis, settings) -> None:
    a = KvTool(redis=redis, prefix=settings.redis_prefix, job_id="job-a")
    b = KvTool(redis=redis, prefix=settings.redis_prefix, job_id="job-b")
    await a.set("last_price", {"sku": "X1", "price": 125000})
    assert await a.get("last_price") == {"sku": "X1", "price": 125000}
    assert await b.get("last_price") is None
    assert await a.names() == ["last_price"]
    assert await a.clear() == 1
    assert await a.get("last_price", default=0) == 0


async def test_ttl_expires_value(redis, settings) -> None:
    kv = KvTool(redis=redis, prefix=settings.redis_prefix, job_id="j")
    await kv.set("short", "x", ttl=0.1)
    await kv.incr("hits", 2, ttl=0.1)
    assert await kv.get("short") == "x"
    await asyncio.sleep(0.2)
    assert await kv.get("short") is None
    assert await kv.counter("hits") == 0


async def test_claim_is_won_once(redis, settings) -> None:
    kv = KvTool(redis=redis, prefix=settings.redis_prefix, job_id="j")
    wins = await asyncio.gather(*(kv.claim("sent:cust-1:wa", {"n": i}) for i in range(20)))
    assert wins.count(True) == 1


async def test_counters_sets_and_series(redis, settings) -> None:
    kv = KvTool(redis=redis, prefix=settings.redis_prefix, job_id="j")
    assert await kv.incr("n") == 1
    assert await kv.incr("n", 2.5) == 3.5
    assert await kv.add("skus", "A", "B", "A") == 2
    assert await kv.contains("skus", "B")
    assert await kv.members("skus") == {"A", "B"}
    for day, price in enumerate([100, 95, 95, 90]):
        await kv.append_series("price:A", price, at=1000.0 + day, keep=3)
    assert await kv.series("price:A") == [(1001.0, 95), (1002.0, 95), (1003.0, 90)]
    assert await kv.series("price:A", since=1002.5) == [(1003.0, 90)]


async def test_many_series_at_once_keep_their_newest(redis, settings) -> None:
    kv = KvTool(redis=redis, prefix=settings.redis_prefix, job_id="j")
    for at in (1000.0, 1001.0):
        points = ((f"history:S{i}:shopee", {"a": i, "at": at}) for i in range(7))
        assert await kv.append_series_many(points, at=at, keep=1, batch=3) == 7
    assert await kv.series("history:S0:shopee") == [(1001.0, {"a": 0, "at": 1001.0})]
    assert await kv.series("history:S6:shopee") == [(1001.0, {"a": 6, "at": 1001.0})]
    assert await kv.append_series_many([], at=1002.0) == 0
