"""A small catalog sync through every catalog connector at once, run twice (a retry):
each SKU is written exactly once per platform, the repeat only counts duplicates."""

from __future__ import annotations

import asyncio

import pytest

from backend.connectors.types import Listing
from tests.connectors.platform_support import admin, client, sandbox, sandbox_handle
from tests.connectors.test_catalog_connectors import PLATFORMS, _connector

__all__ = ["client", "sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio

SKUS = [f"SYNC-{i:03d}" for i in range(20)]


async def test_sync_twice_writes_each_listing_once(sandbox, client) -> None:
    connectors = {p: _connector(p, sandbox, client) for p in PLATFORMS}
    listings = [
        Listing(
            platform="",
            sku=sku,
            title=f"Nusantara Kaos Polos {sku}",
            price=59_900 + i * 100,
            stock=10 + i,
            description="Kaos katun combed 30s, adem.",
            images=(f"{sandbox.base_url}/img/PROD{i + 1:03d}/1.jpg",),
        )
        for i, sku in enumerate(SKUS)
    ]
    gate = asyncio.Semaphore(16)

    async def push(platform: str, listing: Listing) -> None:
        async with gate:
            await connectors[platform].upsert_listing(
                listing, idempotency_key=f"catalog-sync:run-1:{platform}:{listing.sku}"
            )

    for _ in range(2):  # the second pass is a retry of the same run
        await asyncio.gather(*(push(p, x) for p in PLATFORMS for x in listings))
    counters = admin(sandbox, "counters")
    for platform in PLATFORMS:
        assert counters["listing_writes"][platform] == dict.fromkeys(SKUS, 1), platform
        assert counters["duplicates"][platform] == len(SKUS), platform
        got = await connectors[platform].get_listing("SYNC-007")
        assert got is not None and got.price == 60_600, platform
