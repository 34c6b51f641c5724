"""Competitors' prices: a deterministic function of (seed, platform, seller, SKU, time).

Each competitor sits at its own level around our price, drifts on a slow wave (a few
percent over hours) and runs short flash sales; prices change at most every 5 minutes,
the cadence of the seed's price-intelligence job.
"""

from __future__ import annotations

import math
from typing import Any

from backend.sandbox.data.catalog import product_index, retail_price
from backend.sandbox.data.rng import unit
from backend.sandbox.data.words import COMPETITORS

__all__ = ["competitor_offers", "MARKETPLACES", "STEP_SEC"]

MARKETPLACES = ("shopee", "tokopedia", "lazada", "tiktok", "tiktok_shop", "blibli")
STEP_SEC = 300


def competitor_offers(
    seed: int, *, platform: str, sku: str, now: float, seller: str | None = None
) -> list[dict[str, Any]]:
    """The competitors' listings of ``sku`` on ``platform`` at time ``now``."""
    product = product_index(seed).get(sku)
    if product is None:
        return []
    step = int(now // STEP_SEC)
    out = []
    for account, shop_name in COMPETITORS.items():
        if seller and seller != account:
            continue
        if unit(seed, "carries", platform, account, sku) > 0.85:
            continue
        level = 0.82 + 0.30 * unit(seed, "level", platform, account, sku)
        phase = 2 * math.pi * unit(seed, "phase", platform, account, sku)
        wave = 1 + 0.04 * math.sin(2 * math.pi * step * STEP_SEC / 21_600 + phase)
        flash = 0.88 if unit(seed, "flash", platform, account, sku, step // 3) < 0.05 else 1.0
        price = retail_price(product.price * level * wave * flash)
        stock_draw = unit(seed, "stock", platform, account, sku, step // 12)
        out.append(
            {
                "seller": account,
                "shop_name": shop_name,
                "listing_id": f"{platform[:3]}-{account[-1]}-{sku}",
                "sku": sku,
                "title": product.name,
                "price": price,
                "original_price": max(price, retail_price(product.price * level * 1.1)),
                "currency": "IDR",
                "stock": 0 if stock_draw < 0.04 else int(stock_draw * 400),
                "sold": int(unit(seed, "sold", platform, account, sku) * 5000),
                "rating": round(4.2 + 0.8 * unit(seed, "rating", platform, account, sku), 1),
                "url": f"https://{platform}.sandbox/{account}/{sku.lower()}",
                "price_changed_at": step * STEP_SEC,
            }
        )
    return out
