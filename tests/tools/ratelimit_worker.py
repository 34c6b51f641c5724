"""Body of one worker process in the shared-limit test (importable under 'spawn')."""

from __future__ import annotations

import asyncio
import time

import redis.asyncio as aioredis

from backend.core.config import Settings
from backend.tools.http import HttpTool
from backend.tools.ratelimit import RateLimit


def run_worker(
    settings: Settings, url: str, start_at: float, stop_at: float, count: int, per: float
) -> None:
    """Hammer ``url`` with 20 tasks from ``start_at`` to ``stop_at`` under the shared limit."""

    async def main() -> None:
        redis = aioredis.Redis.from_url(settings.redis_url)
        http = HttpTool(settings=settings, redis=redis, retries=0)
        limit = RateLimit(key="test:shared", count=count, per=per)

        async def loop() -> None:
            while True:
                await http.get(url, limit=limit)

        await asyncio.sleep(max(0.0, start_at - time.time()))
        tasks = [asyncio.create_task(loop()) for _ in range(20)]
        await asyncio.sleep(max(0.0, stop_at - time.time()))
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await http.aclose()
        await redis.aclose()

    asyncio.run(main())
