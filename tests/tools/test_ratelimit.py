"""The Redis limiter: callers wait their turn, and processes together stay under a limit."""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import time
from collections import deque

import pytest
from aiohttp import web

from backend.connectors.door import PlatformCalls
from backend.core.ratelimit import RateLimit, RateLimiter, parse_limits
from backend.sandbox.limits import LimitRule
from backend.sandbox.limits import RateLimiter as TokenBuckets
from tests.connectors.messaging_support import admin, sandbox, sandbox_handle
from tests.tools.loopback import serve_in_thread
from tests.tools.ratelimit_worker import run_messaging_worker, run_worker

__all__ = ["sandbox", "sandbox_handle"]

pytestmark = pytest.mark.anyio


async def test_callers_wait_for_their_slot(redis, settings) -> None:
    limiter = RateLimiter(redis=redis, prefix=settings.redis_prefix)
    limit = RateLimit(key="t:wait", count=5, per=0.5, safety=0)
    started = time.monotonic()
    waits = await asyncio.gather(*(limiter.acquire(limit) for _ in range(12)))
    elapsed = time.monotonic() - started
    # 5 go at once, 5 after one window, 2 after two windows: none fails.
    assert sorted(w > 0.3 for w in waits).count(True) == 7
    assert 1.0 <= elapsed < 1.5


async def test_keys_are_independent(redis, settings) -> None:
    limiter = RateLimiter(redis=redis, prefix=settings.redis_prefix)
    a = RateLimit(key="t:a", count=1, per=5)
    b = RateLimit(key="t:b", count=1, per=5)
    assert await limiter.reserve(a) == 0
    assert await limiter.reserve(b) == 0
    assert await limiter.reserve(a) > 4


async def test_the_doors_slots_are_spaced_over_the_window(redis, settings) -> None:
    """40 a second: each grant 1/40 s after the one before, so a bucket that admits only
    a handful at once (burst 4) still takes every request sent at its granted time."""
    limiter = RateLimiter(redis=redis, prefix=f"{settings.redis_prefix}:door-paced")
    calls = PlatformCalls(limiter=limiter, rates={"shop": 40})
    limit = calls.limit("shop:default", "shop")
    assert limit is not None
    async with redis.pipeline(transaction=False) as pipe:  # one round trip: one "now"
        for _ in range(12):
            await limiter.reserve_in(pipe, limit)
        waits = [limiter.seconds(r) for r in await pipe.execute()]
    gaps = [b - a for a, b in zip(waits, waits[1:], strict=False)]
    # Reserved at the same moment: the waits grow by the pacing gap.
    assert min(gaps) > 0.02
    assert waits[-1] >= 11 * 0.024
    buckets = TokenBuckets({"shop.api": LimitRule(40, 1.0, burst=4)})
    refused = [buckets.acquire("shop.api", "a", now=100.0 + w) for w in waits]
    assert refused == [0.0] * 12


def test_parse_limits() -> None:
    limits = parse_limits("whatsapp=80/1, email=500/60", prefix="acct1:")
    assert limits["email"] == RateLimit(key="acct1:email", count=500, per=60.0)
    with pytest.raises(ValueError, match="name=count/seconds"):
        parse_limits("sms=fast")


def test_two_processes_share_a_limit_without_429(settings) -> None:
    """100 per minute scaled to 100 per 2 s; the server enforces it with a sliding window."""
    count, per = 100, 2.0
    accepted: list[float] = []
    rejected: list[float] = []
    window: deque[float] = deque()

    async def handler(request: web.Request) -> web.Response:
        now = time.monotonic()
        while window and window[0] <= now - per:
            window.popleft()
        if len(window) >= count:
            rejected.append(now)
            return web.Response(status=429, headers={"Retry-After": "1"})
        window.append(now)
        accepted.append(now)
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_get("/send", handler)
    base, stop = serve_in_thread(app)
    duration = 3.9
    try:
        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(3)  # both workers and this process: start together
        procs = [
            ctx.Process(
                target=run_worker,
                args=(settings, f"{base}/send", barrier, duration, count, per),
            )
            for _ in range(2)
        ]
        for proc in procs:
            proc.start()
        barrier.wait(60)
        for proc in procs:
            proc.join(30)
        assert [p.exitcode for p in procs] == [0, 0]
    finally:
        stop()
    # The most a sliding-window limit admits in `duration` seconds.
    ceiling = math.ceil(duration / per) * count
    assert rejected == [], f"{len(rejected)} requests over the limit"
    assert len(accepted) >= 0.95 * ceiling, (len(accepted), ceiling)


def test_two_workers_share_a_sandbox_channel_limit(settings, sandbox) -> None:
    """The campaign case: two worker processes send WhatsApp messages through the
    messaging tool; the sandbox enforces 100 per 3 s and counts the 429s it gives.

    (A message costs more than a bare request: ledger, limiter and platform call. 3 s
    windows leave room for that on a loaded 2-core machine.)"""
    count, per = 100, 3.0
    admin(sandbox, "limits", {"whatsapp.messages": {"limit": count, "window_sec": per}})
    port = int(sandbox.base_url.rsplit(":", 1)[1])
    box = settings.model_copy(update={"sandbox_port": port, "smtp_port": sandbox.smtp_port})
    duration = 5.9
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(3)
    procs = [
        ctx.Process(
            target=run_messaging_worker,
            args=(box, worker, barrier, duration, count, per),
        )
        for worker in (1, 2)
    ]
    for proc in procs:
        proc.start()
    barrier.wait(60)
    for proc in procs:
        proc.join(30)
    assert [p.exitcode for p in procs] == [0, 0]
    counters = admin(sandbox, "counters")
    sent = counters["messages"]["whatsapp"]
    assert counters["rate_limited"].get("whatsapp", 0) == 0
    assert {r[3] for r in sent} == {"1", "2"}  # both workers sent
    assert sum(sent.values()) >= 0.95 * math.ceil(duration / per) * count, sum(sent.values())
