"""Our own shop's listings on every platform: the seeded catalog plus what clients wrote.

Marketplaces start with PROD001..PROD1000 listed (PROD1001+ are new products a catalog
sync must create); the website lists everything; Meta shops, Google Shopping, Priceza
and Idealo start with the first 600. Every write is counted per platform and SKU.

A marketplace's second shop (``credentials.SHOPS``, e.g. Shopee ``toko-b``) is a store of
its own, named ``platform@shop`` (:func:`store`) wherever a function here takes a
platform: its own listings and writes, counters and item ids. It starts with the first
half of the default shop's listings, 5 % dearer and with half the stock.
"""

from __future__ import annotations

import zlib
from typing import Any

from backend.sandbox.credentials import DEFAULT_SHOP, SHOPS
from backend.sandbox.data.catalog import (
    PRODUCT_COUNT,
    Product,
    catalog_size,
    product_index,
    products,
)
from backend.sandbox.state import WRITE_KEY, SandboxState

__all__ = [
    "SEEDED_COUNT",
    "store",
    "split_store",
    "listing",
    "listed_skus",
    "item_id_of",
    "sku_of_item",
    "set_price",
    "set_stock",
    "adjust_stock",
    "upsert",
]

SEEDED_COUNT = {
    "shopee": 1000,
    "tokopedia": 1000,
    "tiktok_shop": 1000,
    "lazada": 1000,
    "blibli": 1000,
    "website": PRODUCT_COUNT,
    "instagram_shop": 600,
    "facebook_shop": 600,
    "google_shopping": 600,
    "priceza": 600,
    "idealo": 600,
}
_HISTORY_CAP = 200_000
_ID_BASE = {
    "shopee": 20_000_000_000,
    "tokopedia": 1_729_000_000_000_000_000,
    "tiktok_shop": 1_729_100_000_000_000_000,
    "lazada": 3_000_000_000,
}


def store(platform: str, shop: str = DEFAULT_SHOP) -> str:
    """The store of one shop on ``platform``: the platform's name for the default shop."""
    return platform if shop == DEFAULT_SHOP else f"{platform}@{shop}"


def split_store(name: str) -> tuple[str, str]:
    """``(platform, shop)`` of a store name."""
    platform, _, shop = name.partition("@")
    return platform, shop or DEFAULT_SHOP


def _seeded_count(name: str) -> int:
    """Seeded listings of a store: its share of a grown shop like of the seed's (a
    second shop lists the first half of them)."""
    platform, shop = split_store(name)
    count = SEEDED_COUNT.get(platform, 0) * catalog_size() // PRODUCT_COUNT
    return count if shop == DEFAULT_SHOP else count // 2


def _id_base(name: str) -> int:
    """Where a store's item ids start: each shop of a platform has ids of its own."""
    platform, shop = split_store(name)
    base = _ID_BASE.get(platform, 5_000_000)
    if shop == DEFAULT_SHOP:
        return base
    return base + 10**8 * (1 + list(SHOPS.get(platform, {})).index(shop))


def _seeded(state: SandboxState, platform: str, sku: str) -> Product | None:
    p = product_index(state.seed).get(sku)
    if p is None or int(sku[4:]) > _seeded_count(platform):
        return None
    return p


def item_id_of(platform: str, sku: str) -> int:
    """The platform's numeric item id for one of our SKUs (stable)."""
    if sku.startswith("PROD") and sku[4:].isdigit():
        return _id_base(platform) + int(sku[4:])
    # SKUs outside the catalog get ids far above it
    return _id_base(platform) + 10**6 + zlib.crc32(sku.encode()) % 10**6


def sku_of_item(state: SandboxState, platform: str, item_id: int) -> str | None:
    base = _id_base(platform)
    if 0 < item_id - base < 10**6:
        sku = f"PROD{item_id - base:03d}"
        return sku if listing(state, platform, sku) is not None else None
    for sku in state.listings[platform]:
        if item_id_of(platform, sku) == item_id:
            return sku
    return None


def listing(state: SandboxState, platform: str, sku: str) -> dict[str, Any] | None:
    """Our listing of ``sku`` on ``platform`` (seeded fields overlaid by writes)."""
    written = state.listings[platform].get(sku)
    seeded = _seeded(state, platform, sku)
    if seeded is None and written is None:
        return None
    out: dict[str, Any] = {}
    if seeded is not None:
        own = split_store(platform)[1] == DEFAULT_SHOP
        out = {
            "sku": sku,
            "title": seeded.name,
            "description": seeded.description,
            "price": seeded.price if own else seeded.price * 105 // 10_000 * 100,
            "stock": seeded.stock if own else seeded.stock // 2,
            "images": seeded.image_paths(),
            "category": seeded.category,
            "brand": seeded.brand,
            "weight_g": seeded.weight_g,
            "status": "active",
            "updated_at": seeded.updated_at,
        }
    out.update(written or {})
    out["item_id"] = out.get("item_id") or item_id_of(platform, sku)
    out["sku"] = sku
    return out


def listed_skus(state: SandboxState, platform: str) -> list[str]:
    """All SKUs listed on ``platform``, seeded first, in a stable order."""
    seeded = [p.sku for p in products(state.seed)[: _seeded_count(platform)]]
    extra = sorted(set(state.listings[platform]) - set(seeded))
    return seeded + extra


def set_price(state: SandboxState, platform: str, sku: str, price: float) -> dict[str, Any]:
    """Change the price; counted in ``price_changes`` and the price history."""
    current = listing(state, platform, sku)
    if current is None:
        raise KeyError(sku)
    _record_price(state, platform, sku, current["price"], price)
    return _write(state, platform, sku, {"price": price})


def set_stock(state: SandboxState, platform: str, sku: str, stock: int) -> dict[str, Any]:
    """A client's stock write; counted in ``stock_changes`` and the stock history (when,
    to what: a bench reads how long an order took to reach every platform)."""
    if listing(state, platform, sku) is None:
        raise KeyError(sku)
    state.counters.stock_changes[platform][sku] += 1
    if len(state.stock_history) < _HISTORY_CAP:
        state.stock_history.append({"platform": platform, "sku": sku, "stock": stock,
                                    "at": state.now(), "key": WRITE_KEY.get()})
    return _write(state, platform, sku, {"stock": stock})


def replace_models(
    state: SandboxState, platform: str, sku: str, models: list[dict[str, Any]]
) -> dict[str, Any]:
    """Store a listing's models after a price or stock change of some of them (counted by
    the caller as the price or stock change it is)."""
    return _write(state, platform, sku, {"models": models})


def set_variants(
    state: SandboxState, platform: str, sku: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Replace a listing's variants (its own call, counted in ``variant_writes``, not as
    a listing write)."""
    if listing(state, platform, sku) is None:
        raise KeyError(sku)
    state.counters.variant_writes[platform][sku] += 1
    return _write(state, platform, sku, fields)


def upsert(
    state: SandboxState, platform: str, sku: str, fields: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Create or update a listing keyed by SKU; returns (listing, created)."""
    created = listing(state, platform, sku) is None
    state.counters.listing_writes[platform][sku] += 1
    if fields.get("price") is not None and not created:
        old = listing(state, platform, sku)
        if old is not None and old["price"] != fields["price"]:
            _record_price(state, platform, sku, old["price"], fields["price"])
    clean = {k: v for k, v in fields.items() if v is not None}
    clean.setdefault("status", "active")
    return _write(state, platform, sku, clean), created


def adjust_stock(state: SandboxState, platform: str, sku: str, delta: int) -> int:
    """Units sold (negative) or given back on the platform itself: not a client's stock
    write, so not counted in ``stock_changes``. The new stock."""
    current = listing(state, platform, sku)
    if current is None:
        raise KeyError(sku)
    stock = max(0, int(current.get("stock") or 0) + delta)
    _write(state, platform, sku, {"stock": stock})
    return stock


def _record_price(state: SandboxState, platform: str, sku: str, old: Any, new: Any) -> None:
    state.counters.price_changes[platform][sku] += 1
    if len(state.price_history) < _HISTORY_CAP:
        name, shop = split_store(platform)
        state.price_history.append(
            {"platform": name, "shop": shop, "sku": sku, "old": old, "new": new,
             "at": state.now(), "key": WRITE_KEY.get()}
        )


def _write(state: SandboxState, platform: str, sku: str, fields: dict[str, Any]) -> dict[str, Any]:
    written = state.listings[platform].setdefault(sku, {})
    written.update(fields)
    written["updated_at"] = int(state.now())
    out = listing(state, platform, sku)
    assert out is not None
    return out
