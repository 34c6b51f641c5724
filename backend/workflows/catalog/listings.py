"""Catalog sync's listings: what each platform should show, and checking that it does.

``build_listing`` turns a (product, platform) into a :class:`Listing` with platform copy,
price, stock and image URLs, and a fingerprint (a hash of what would be written) that
``catalog_writer`` puts in the write's idempotency key. ``verify_all`` reads every
platform's listings back, rewrites what differs once, and names what still does; a
platform that cannot be read back is named as such, with every listing it should hold.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from backend.connectors.base import ConnectorError
from backend.connectors.types import Listing, Variant
from backend.core.errors import NonRetryableError
from backend.core.failures import failure_words
from backend.core.messages import Worded, message
from backend.domain.shops import split_store
from backend.services import price_owners
from backend.workflows.catalog.images import read_jsonl
from backend.workflows.catalog.owners import PriceOwnership
from backend.workflows.catalog.rules import (
    SyncInputs,
    category_id_for,
    platform_price,
    stock_to_push,
    variant_stocks,
)
from backend.workflows.common.stores import store_catalog
from backend.workflows.context import WorkflowContext

__all__ = ["build_listing", "verify_all"]


def build_listing(product: dict[str, Any], store: str, *, images: list[str],
                  inputs: SyncInputs, settings: Any = None) -> tuple[Listing, str]:
    """The listing of ``product`` in ``store`` (a platform, or one shop of it:
    ``shopee@toko-b``; its ``platform`` names the store) and its fingerprint."""
    from backend.ai.product_copy import product_copy

    platform, _ = split_store(store)
    title, description = str(product["name"]), str(product.get("description") or "")
    tags: tuple[str, ...] = ()
    if inputs.sync_descriptions:
        use_ai = inputs.ai_enhance and bool(settings is not None and settings.llm_enabled)
        copy = product_copy(product, platform=platform, language=inputs.language,
                            use_ai=use_ai, settings=settings)  # fmt: skip
        title, description, tags = copy.title, copy.description, tuple(copy.tags)
    price = platform_price(product, platform, fees=inputs.fees,
                           min_margin_pct=inputs.min_margin_pct) \
        if inputs.sync_prices else int(product["price"])  # fmt: skip
    stocks = variant_stocks(product, safety_stock=inputs.safety_stock)
    variants = tuple(
        Variant(sku=str(v["sku"]), option=str(v.get("name") or v["sku"]), price=price,
                stock=n if inputs.sync_inventory else None)
        for v, n in zip(product.get("variants") or [], stocks, strict=True))  # fmt: skip
    listing = Listing(
        platform=store,
        sku=str(product["sku"]),
        title=title,
        price=price,
        stock=stock_to_push(product, safety_stock=inputs.safety_stock)
        if inputs.sync_inventory else None,
        description=description,
        images=tuple(images),
        status="active",
        category_id=category_id_for(product, platform, categories=inputs.categories),
        tags=tags,
        variants=variants,
    )  # fmt: skip
    content = orjson.dumps([listing.title, listing.price, listing.stock, listing.description,
                            listing.images, listing.category_id, listing.tags,
                            [(v.sku, v.option, v.price, v.stock) for v in variants]])  # fmt: skip
    return listing, hashlib.sha256(content).hexdigest()[:16]


async def verify_all(ctx: WorkflowContext, *, expected: Path, inputs: SyncInputs
                     ) -> dict[str, Any]:  # fmt: skip
    """Read every platform back; rewrite a listing that differs once; report the rest."""
    want: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in read_jsonl(expected):
        want[row["platform"]][row["sku"]] = row
    platforms = list(want)  # store keys: each shop of a platform on its own
    # Prices a repricing decision owns are the repricer's: not compared, not rewritten.
    owned: dict[tuple[str, str], dict[str, Any]] = {}
    for store in platforms:
        platform, account = split_store(store)
        rows = await asyncio.to_thread(price_owners.active_owners, [platform], account=account)
        owned |= {(store, sku): row for (_, sku), row in rows.items()}
    ownership = PriceOwnership(ctx)
    reports = await asyncio.gather(*(verify_platform(
        ctx, platform=p, want=want[p], inputs=inputs, owned=owned, ownership=ownership)
        for p in platforms))  # fmt: skip
    return dict(zip(platforms, reports, strict=True))


async def read_back(ctx: WorkflowContext, *, platform: str, skus: Iterable[str]
                    ) -> dict[str, list[Listing]]:  # fmt: skip
    """Our listings of ``skus`` in the store ``platform``, every copy of each (duplicates
    show)."""
    wanted = set(skus)
    conn = store_catalog(ctx, platform)
    seen: dict[str, list[Listing]] = defaultdict(list)
    cursor: str | None = None
    while True:
        page = await conn.list_listings(cursor=cursor, page_size=50)
        for listing in page.items:
            if listing.sku in wanted:
                seen[listing.sku].append(listing)
        cursor = page.next_cursor
        if not cursor:
            return seen


async def verify_platform(ctx: WorkflowContext, *, platform: str,
                          want: dict[str, dict[str, Any]], inputs: SyncInputs,
                          owned: dict[tuple[str, str], dict[str, Any]],
                          ownership: PriceOwnership) -> dict[str, Any]:  # fmt: skip
    """One platform's listings against what was written; a difference is rewritten once."""
    try:
        seen = await read_back(ctx, platform=platform, skus=want)
    except (ConnectorError, NonRetryableError) as exc:
        # Down, or refusing us: nothing on it can be confirmed (its listings are named,
        # so the watermark stays before them and the next sync looks again).
        raw = f"{type(exc).__name__}: {exc}"
        error = Worded("verify.read_back_failed", text=f"could not read the listings back: {raw}",
                       error=failure_words(raw))
        ctx.log(message("log.platform_error", platform=platform, error=raw), level="warning")
        return {"checked": len(want), "ok": 0, "error": str(error),
                "problems": [{"sku": sku, "reason": str(error), "worded": error.keyed()}
                             for sku in want]}  # fmt: skip
    conn = store_catalog(ctx, platform)
    problems, managed = [], []
    for sku, w in want.items():
        found = seen.get(sku, [])
        owner = owned.get((platform, sku))
        if owner is not None:
            managed.append({"sku": sku, "job_id": owner["job_id"], "price": owner["price"]})
        reason = _difference(found, w, inputs, price=owner is None)
        if reason is None:
            continue
        if len(found) <= 1:  # missing or wrong: write it once more, then look again
            reason = await _repair(conn, platform, sku, w, reason, inputs, ctx,
                                   ownership=ownership, owned=owner is not None)
        if reason:
            problems.append({"sku": sku, "reason": str(reason), "worded": reason.keyed()})
    if managed:
        ctx.log(message("log.catalog_managed", platform=platform, n=len(managed)))
    return {"checked": len(want), "ok": len(want) - len(problems), "problems": problems,
            "managed": managed}  # fmt: skip


def _difference(found: list[Listing], want: dict[str, Any], inputs: SyncInputs, *,
                price: bool = True) -> Worded | None:  # fmt: skip
    """What is wrong with the listing (``price``: whether its price is the catalog's), in
    English ("stock 10 instead of 13") and as a message key for the reader's language."""
    if not found:
        return Worded("verify.not_listed")
    if len(found) > 1:
        return Worded("verify.listed_times", n=len(found))
    got = found[0]
    if price and inputs.sync_prices and got.price != want["price"]:
        return Worded("verify.price", got=got.price, want=want["price"])
    if inputs.sync_inventory and want["stock"] is not None and got.stock != want["stock"]:
        # Availability-only platforms (Google Shopping) report in stock as None.
        if not (got.stock is None and want["stock"] > 0):
            return Worded("verify.stock", got=got.stock, want=want["stock"])
    return None


async def _repair(conn: Any, platform: str, sku: str, want: dict[str, Any], reason: Worded,
                  inputs: SyncInputs, ctx: WorkflowContext, *,
                  ownership: PriceOwnership | None = None,
                  owned: bool = False) -> Worded | None:  # fmt: skip
    """Write back what differs (the price only when it is the price, and only when no
    repricing decision owns it), then look again."""
    try:
        if reason.key == "verify.not_listed":
            return reason  # the listing write failed earlier; it is in the failures list
        if inputs.sync_prices and not owned and reason.key == "verify.price":
            assert ownership is not None, "a price repair asks who owns the price"
            owned = await _repair_price(conn, platform, sku, want, ownership, ctx)
        if inputs.sync_inventory and want["stock"] is not None:
            key = f"{want['key']}:fix-stock:{ctx.run_id}"
            if want.get("variants") and hasattr(conn, "update_variant_stock"):
                # Stock kept per variant (Shopee models): each size gets its own number.
                stocks = dict(want["variants"])
                await conn.update_variant_stock(sku, stocks, idempotency_key=key)
            else:
                await conn.update_stock(sku, want["stock"], idempotency_key=key)
        again = await conn.get_listing(sku)
        left = _difference([again] if again else [], want, inputs, price=not owned)
        ctx.log(message("log.verify_fixed", platform=platform, sku=sku, reason=reason.keyed())
                if left is None else message("log.verify_still", platform=platform, sku=sku,
                                             reason=reason.keyed(), left=left.keyed()))
        return None if left is None else Worded("verify.after_rewrite", reason=reason.keyed(),
                                                left=left.keyed())  # fmt: skip
    except (ConnectorError, NonRetryableError) as exc:
        raw = f"{type(exc).__name__}: {exc}"
        return Worded("verify.rewrite_failed", text=f"{reason}; rewrite failed: {raw}",
                      reason=reason.keyed(), error=failure_words(raw))


async def _repair_price(conn: Any, platform: str, sku: str, want: dict[str, Any],
                        ownership: PriceOwnership, ctx: WorkflowContext) -> bool:
    """Write the catalog's price back, unless a repricing decision owns it now; returns
    whether one does. Through the ledger: the write is on the run's record."""
    async with ownership.writing(platform, sku, base_price=want.get("base")) as owner:
        if owner is not None:
            return True

        async def fix(key: str) -> dict[str, Any]:
            await conn.update_price(sku, want["price"], idempotency_key=key)
            return {"price": want["price"]}

        await ctx.once(f"{want['key']}:fix-price:{ctx.run_id}", fix)
    return False
