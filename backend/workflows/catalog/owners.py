"""Catalog sync's side of one owner per price (``services.price_owners``).

Before it writes a listing (or repairs its price), the sync takes the listing's price
lock and asks whether a repricing decision owns the price. If one does, the listing
keeps the repricer's price and is reported as managed by repricing (job, price); if
the decision has just ended (its rule switched off, the catalog's base price changed)
or there is none, the catalog's price is written. Inside the lock, a repricer cannot
change the price between the question and the write.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from backend.connectors.types import Listing
from backend.core.messages import message
from backend.domain.shops import split_store
from backend.services import price_owners
from backend.workflows.common.listing_lock import listing_lock
from backend.workflows.context import WorkflowContext
from backend.workflows.pricing.rules import parse_strategy

__all__ = ["PriceOwnership", "managed_listing"]


def _changes_prices(inputs: dict[str, Any]) -> bool:
    """Whether a price-intelligence job's rule still changes prices by itself."""
    strategy = str(inputs.get("pricing_strategy") or "undercut_by_5_percent")
    return inputs.get("auto_update") is not False and parse_strategy(strategy) is not None


def managed_listing(listing: Listing, price: int) -> Listing:
    """The listing with the repricer's price (every variant too)."""
    variants = tuple(dataclasses.replace(v, price=price) for v in listing.variants)
    return dataclasses.replace(listing, price=price, variants=variants)


class PriceOwnership:
    """One catalog run's questions about who owns a listing's price."""

    def __init__(self, ctx: WorkflowContext) -> None:
        self._ctx = ctx
        self._rules: dict[str, str | None] = {}  # job_id -> why its rule is off, per run

    def _rule_off(self, job_id: str) -> str | None:
        if job_id not in self._rules:
            self._rules[job_id] = price_owners.rule_off(job_id, changes_prices=_changes_prices)
        return self._rules[job_id]

    @asynccontextmanager
    async def writing(self, platform: str, sku: str, *, base_price: int | None
                      ) -> AsyncIterator[dict[str, Any] | None]:  # fmt: skip
        """Hold the listing's price lock; yield the standing repricing decision (the
        price to keep) or None (write the catalog's price). ``platform`` is the store
        (``shopee@toko-b``): each shop's listing has its own lock and owner."""
        ctx = self._ctx
        name, account = split_store(platform)
        async with listing_lock(ctx.tools.redis, prefix=ctx.settings.redis_prefix,
                                platform=name, account=account, sku=sku):  # fmt: skip
            owner, released = await asyncio.to_thread(
                price_owners.owner_for, platform=name, sku=sku, base_price=base_price,
                rule_off=self._rule_off, account=account)  # fmt: skip
            if released:
                ctx.log(message("log.catalog_price_released", platform=platform, sku=sku,
                                released=released))
            yield owner
