"""Catalog sync's business rules: the job's inputs, per-platform prices that keep the
margin after fees, stock with a safety buffer, and category mapping.

Prices: a platform's commission is passed on (``price / (1 - fee)``), then raised if
needed so that what the shop keeps covers the cost plus ``min_margin_pct``; the result
is rounded up to a shop-style ending (…900). Stock: the platform gets what is left
after ``safety_stock`` (never below zero), so orders arriving on two platforms at once
cannot sell more than is on the shelf.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from backend.core.errors import NonRetryableError

__all__ = ["SyncInputs", "parse_sync_inputs", "with_stores", "platform_price", "stock_to_push",
           "variant_stocks", "category_id_for", "DEFAULT_FEES", "DEFAULT_CATEGORY_MAP"]  # fmt: skip

# Seller commission + payment fee, as fractions (sellers' centre figures, rounded).
DEFAULT_FEES: dict[str, float] = {
    "shopee": 0.08, "tokopedia": 0.065, "lazada": 0.07, "tiktok_shop": 0.06, "blibli": 0.07,
    "instagram_shop": 0.05, "facebook_shop": 0.05, "website": 0.0, "google_shopping": 0.0,
    "priceza": 0.0, "idealo": 0.0,
}  # fmt: skip
# Our category -> the marketplace's leaf category id (its own tree; a job's
# ``category_map`` overrides or extends this). Platforms without a category field (feeds,
# social shops, the website) get none.
DEFAULT_CATEGORY_MAP: dict[str, dict[str, str]] = {
    "shopee": {"Fashion Wanita": "100017", "Fashion Pria": "100011", "Elektronik": "100013",
               "Kecantikan": "100630", "Rumah Tangga": "100636", "Makanan & Minuman": "100629",
               "Olahraga": "100639", "Ibu & Bayi": "100632", "*": "100644"},
    "tiktok_shop": {"Fashion Wanita": "601152", "Fashion Pria": "824328",
                    "Elektronik": "601739", "Kecantikan": "601450", "Rumah Tangga": "600001",
                    "Makanan & Minuman": "700437", "Olahraga": "603014",
                    "Ibu & Bayi": "601534", "*": "600024"},
    "tokopedia": {"Fashion Wanita": "1758", "Fashion Pria": "1759", "Elektronik": "65",
                  "Kecantikan": "61", "Rumah Tangga": "984", "Makanan & Minuman": "35",
                  "Olahraga": "62", "Ibu & Bayi": "1", "*": "0"},
    "lazada": {"Fashion Wanita": "1805", "Fashion Pria": "1806", "Elektronik": "3",
               "Kecantikan": "6", "Rumah Tangga": "11829", "Makanan & Minuman": "10100",
               "Olahraga": "3008", "Ibu & Bayi": "5095", "*": "10000"},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SyncInputs:
    platforms: list[str]
    limit: int
    sync_images: bool
    sync_inventory: bool
    sync_prices: bool
    sync_descriptions: bool
    ai_enhance: bool
    image_width: int
    image_height: int
    image_quality: int
    image_format: str
    fees: dict[str, float] = field(default_factory=dict)
    min_margin_pct: float = 10.0
    safety_stock: int = 2
    language: str = "id"
    alert: list[dict[str, str]] = field(default_factory=list)
    first_since: float = 0.0  # where the first sync starts (no watermark stored yet)
    categories: dict[str, dict[str, str]] = field(default_factory=dict)


def with_stores(inputs: SyncInputs, accounts: Any) -> SyncInputs:
    """``inputs`` whose ``platforms`` are the store keys of every shop the job writes to
    (``shopee``, ``shopee@toko-b``): a seller's two Shopee shops are two stores, each
    written, verified and reported on its own."""
    from backend.connectors.shops import job_stores

    return dataclasses.replace(inputs, platforms=job_stores(inputs.platforms, accounts))


def parse_sync_inputs(inputs: dict[str, Any]) -> SyncInputs:
    """The seed's shape (products/platforms/sync_options/image_processing) plus optional
    ``products.changed_since`` (epoch or ISO; where the very first sync starts),
    ``pricing {fees, min_margin_pct}``, ``inventory {safety_stock}``, ``alert`` and
    ``category_map {platform: {our category | "*": platform category id}}``."""
    from backend.connectors.registry import CATALOG_PLATFORMS

    platforms = [str(p) for p in inputs.get("platforms") or []]
    unknown = [p for p in platforms if p not in CATALOG_PLATFORMS]
    if not platforms or unknown:
        raise NonRetryableError(f"platforms: unknown {unknown}" if unknown else
                                "platforms: give at least one")  # fmt: skip
    products = inputs.get("products") or {}
    if not isinstance(products, dict):
        products = {}
    limit = int(products.get("limit", 1000))
    since = products.get("changed_since", 0)
    if isinstance(since, str):
        from datetime import datetime

        since = datetime.fromisoformat(since).timestamp()
    opts = {"sync_images": True, "sync_inventory": True, "sync_prices": True,
            "sync_descriptions": True, "ai_enhance": True, **(inputs.get("sync_options") or {})}
    img = {"max_width": 1200, "max_height": 1200, "quality": 85, "format": "webp",
           **(inputs.get("image_processing") or {})}  # fmt: skip
    pricing = inputs.get("pricing") or {}
    return SyncInputs(
        platforms=list(dict.fromkeys(platforms)),
        limit=max(1, limit),
        sync_images=bool(opts["sync_images"]),
        sync_inventory=bool(opts["sync_inventory"]),
        sync_prices=bool(opts["sync_prices"]),
        sync_descriptions=bool(opts["sync_descriptions"]),
        ai_enhance=bool(opts["ai_enhance"]),
        image_width=int(img["max_width"]),
        image_height=int(img["max_height"]),
        image_quality=int(img["quality"]) if img.get("compress", True) else 95,
        image_format=str(img["format"]).lower(),
        fees={**DEFAULT_FEES, **{k: float(v) for k, v in (pricing.get("fees") or {}).items()}},
        min_margin_pct=float(pricing.get("min_margin_pct", 10.0)),
        safety_stock=int((inputs.get("inventory") or {}).get("safety_stock", 2)),
        language=str(inputs.get("language") or "id"),
        alert=[a for a in inputs.get("alert") or [] if isinstance(a, dict)],
        first_since=float(since or 0),
        categories=_category_map(inputs.get("category_map")),
    )


def _category_map(given: Any) -> dict[str, dict[str, str]]:
    out = {p: dict(m) for p, m in DEFAULT_CATEGORY_MAP.items()}
    if given is not None and not isinstance(given, dict):
        raise NonRetryableError("category_map: give {platform: {category: id}}")
    for platform, mapping in (given or {}).items():
        if not isinstance(mapping, dict):
            raise NonRetryableError(f"category_map.{platform}: give {{category: id}}")
        out.setdefault(str(platform), {}).update({str(k): str(v) for k, v in mapping.items()})
    return out


def _retail_up(value: float) -> int:
    """Up to the next price ending in 900 (149,900 rather than 149,213)."""
    thousands = math.ceil((value + 100) / 1000)
    return int(thousands * 1000 - 100)


def platform_price(product: dict[str, Any], platform: str, *, fees: dict[str, float],
                   min_margin_pct: float) -> int:
    """The listing price on ``platform`` (whole IDR)."""
    base = float(product["price"])
    fee = fees.get(platform, 0.0)
    cost = float(product.get("cost") or 0)
    price = base / (1 - fee) if fee else base
    keep = 1 - fee - min_margin_pct / 100
    if cost and keep > 0:
        price = max(price, cost / keep)  # what the shop keeps covers cost + margin
    return int(base) if not fee and price <= base else _retail_up(price)


def stock_to_push(product: dict[str, Any], *, safety_stock: int) -> int:
    """Stock offered on each platform: the shelf (variants summed) minus the buffer."""
    variants = product.get("variants") or []
    shelf = sum(int(v.get("stock") or 0) for v in variants) if variants else \
        int(product.get("stock") or 0)  # fmt: skip
    return max(0, shelf - safety_stock)


def variant_stocks(product: dict[str, Any], *, safety_stock: int) -> list[int]:
    """Stock per variant: the safety buffer is taken from the fullest variants first, so
    the variants add up to :func:`stock_to_push` and none goes below zero."""
    stocks = [max(0, int(v.get("stock") or 0)) for v in product.get("variants") or []]
    left = safety_stock
    for i in sorted(range(len(stocks)), key=lambda k: -stocks[k]):
        take = min(left, stocks[i])
        stocks[i] -= take
        left -= take
    return stocks


def category_id_for(product: dict[str, Any], platform: str, *,
                    categories: dict[str, dict[str, str]]) -> str | None:
    """The platform's category id for our category (its ``*`` entry for one not mapped);
    None where the platform has no category field."""
    mapping = categories.get(platform)
    if not mapping:
        return None
    return mapping.get(str(product.get("category") or "")) or mapping.get("*")
