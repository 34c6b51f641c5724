"""The Redis limiter: callers wait their turn, and processes together stay under a limit."""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import time
from collections import deque

import pytest
from aiohttp import web

from backend.tools.ratelimit import RateLimit, RateLimiter, parse_limits
from tests.tools.loopback import serve_in_thread
from tests.tools.ratelimit_worker import run_worker

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
        start_at = time.time() + 3.0  # both processes import and connect first
        procs = [
            ctx.Process(
                target=run_worker,
                args=(settings, f"{base}/send", start_at, start_at + duration, count, per),
            )
            for _ in range(2)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(30)
        assert [p.exitcode for p in procs] == [0, 0]
    finally:
        stop()
    # The most a sliding-window limit admits in `duration` seconds.
    ceiling = math.ceil(duration / per) * count
    assert rejected == []
    assert len(accepted) >= 0.95 * ceiling, (len(accepted), ceiling)
