"""Fixtures of the tool tests: real Redis (db 9, a prefix per test) and settings."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis as syncredis
import redis.asyncio as aioredis

from backend.core.config import Settings

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path, migrated_templates: dict[str, str]) -> Settings:
    """Settings isolated per test: own Redis prefix, own data folder, and there a copy
    of the migrated database (the messaging tool's sent ledger lives in it)."""
    shutil.copyfile(migrated_templates["sqlite"], tmp_path / "spio.db")
    return Settings(
        redis_url=REDIS_URL,
        redis_prefix=f"test-tools-{uuid.uuid4().hex[:8]}",
        data_dir=tmp_path,
        # Test servers listen on random loopback ports (the app's own stay refused).
        http_allow_hosts="127.0.0.1,localhost,::1",
    )


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(settings.redis_url)
    yield client
    keys = [k async for k in client.scan_iter(match=f"{settings.redis_prefix}:*", count=500)]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
def sync_redis(settings: Settings) -> Iterator[syncredis.Redis]:
    """A synchronous client decoding replies, like the one the worker and API hold."""
    client = syncredis.Redis.from_url(settings.redis_url, decode_responses=True)
    yield client
    client.close()
