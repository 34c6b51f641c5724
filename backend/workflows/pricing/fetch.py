"""The reading half of price intelligence: our products and competitors' offers.

Everything fans out concurrently through ``ctx.platforms``, each marketplace within its
own limit. Results are plain dicts (JSON) so the workflow can keep them in the job's
state between steps.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from backend.connectors.inventory import InventoryConnector
from backend.connectors.runtime import Platforms
from backend.core.errors import ErrorItem, InvalidInput

__all__ = ["load_products", "fetch_offers", "nearest_competitors", "SEARCH_BATCH"]

SEARCH_BATCH = 50  # SKUs per competitor search call


async def load_products(spec: Any, *, inventory: InventoryConnector) -> list[dict[str, Any]]:
    """``[{sku, name, base_price, cost}]`` from the job's ``products`` input: a list of
    ``{sku, name, my_price, cost?}`` (the seed's shape) or ``{source: "catalog", limit}``
    (the planner's). Missing costs and list prices come from the inventory system."""
    if isinstance(spec, dict):
        limit = int(spec.get("limit") or 100)
        items = await inventory.first(limit)
        return [{"sku": i.sku, "name": i.name, "base_price": i.list_price, "cost": i.cost}
                for i in items]  # fmt: skip
    if not isinstance(spec, list) or not spec:
        raise InvalidInput([ErrorItem("inputs.products", "a list of products or "
                                      '{"source": "catalog", "limit": N}')])  # fmt: skip
    given = [p if isinstance(p, dict) else {"sku": str(p)} for p in spec]
    known = await inventory.products(p["sku"] for p in given)
    out = []
    for p in given:
        stock = known.get(p["sku"])
        base = p.get("my_price") or p.get("base_price") or (stock.list_price if stock else None)
        if base is None:
            raise InvalidInput([ErrorItem("inputs.products", f"{p['sku']}: my_price unknown")])
        cost = p.get("cost", stock.cost if stock else None)
        out.append({"sku": p["sku"], "name": p.get("name") or (stock.name if stock else ""),
                    "base_price": int(base), "cost": None if cost is None else int(cost)})
    return out


async def fetch_offers(
    *,
    platforms: Platforms,
    skus: list[str],
    marketplaces: list[str],
    sellers: list[str],
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{platform: {sku: [{seller, price, stock}]}}`` of the named competitor accounts
    (all sellers when ``sellers`` is empty): one search per marketplace × account × 50
    SKUs, all at once."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {m: defaultdict(list) for m in marketplaces}

    async def one(platform: str, seller: str | None, batch: list[str]) -> None:
        market = platforms.market(platform)  # each marketplace's search has its own limit
        quotes = await market.competitor_prices(platform, batch, seller=seller)
        for q in quotes:
            out[platform][q.sku].append({"seller": q.seller, "price": q.price, "stock": q.stock})

    batches = [skus[i : i + SEARCH_BATCH] for i in range(0, len(skus), SEARCH_BATCH)]
    accounts: list[str | None] = [*sellers] or [None]  # None: every seller
    await asyncio.gather(*(one(m, s, b) for m in marketplaces for s in accounts
                           for b in batches))  # fmt: skip
    return {m: dict(v) for m, v in out.items()}


def nearest_competitors(offers: dict[str, dict[str, list[dict[str, Any]]]], *,
                        limit: int | None) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """At most ``limit`` sellers per product and marketplace ("pantau 5 kompetitor"): the
    cheapest in stock first, then the cheapest out of stock; all when ``limit`` is None."""
    if not limit:
        return offers
    return {platform: {sku: sorted(rows, key=lambda r: (r["stock"] <= 0, r["price"]))[:limit]
                       for sku, rows in by_sku.items()}
            for platform, by_sku in offers.items()}  # fmt: skip
