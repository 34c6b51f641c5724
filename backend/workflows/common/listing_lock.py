"""One writer of a listing's price at a time, across workers and workflows.

The repricer (update the price, record its decision) and the catalog sync (look up the
decision, write the listing) each hold the listing's lock for that short span, so a
catalog write can never land between a repricer's write and the record that protects
it. A Redis key with a token and a lifetime: a worker that dies lets it go by itself.
Redis losing the key only costs exclusion for that moment; what is decided stays in
the database.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from backend.core.errors import RetryableError
from backend.domain.shops import DEFAULT_ACCOUNT, store_key
from backend.services.price_owners import listing_platform

__all__ = ["listing_lock"]

# Delete the key only if it still holds our token (it may have expired and been taken).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@asynccontextmanager
async def listing_lock(redis: Any, *, prefix: str, platform: str, sku: str,
                       account: str = DEFAULT_ACCOUNT, hold_sec: float = 120.0,
                       wait_sec: float = 180.0) -> AsyncIterator[None]:  # fmt: skip
    """Hold the price lock of ``sku`` on ``platform`` in the shop ``account`` (waiting
    up to ``wait_sec``)."""
    store = store_key(listing_platform(platform), account)
    name = f"{prefix}:listing-lock:{store}:{sku}"
    token = secrets.token_hex(8)
    deadline = time.monotonic() + wait_sec
    pause = 0.02
    while not await redis.set(name, token, nx=True, px=int(hold_sec * 1000)):
        if time.monotonic() > deadline:
            raise RetryableError(f"{platform} {sku}: its price is being written elsewhere")
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.5)
    try:
        yield
    finally:
        await redis.eval(_RELEASE, 1, name, token)
