"""Catalog sync's platform writes and their verification.

Each (product, platform) becomes a :class:`Listing` with platform copy, price, stock and
image URLs. Its fingerprint (a hash of what would be written) is part of the idempotency
key ``catalog:{job}:{platform}:{sku}:{fingerprint}``: a key already in the ledger means
the platform already has exactly this listing, so an unchanged product costs no call,
a retried run repeats nothing, and a changed one is written once. A write still failing
on 5xx, timeouts or 429 after its tries is taken again, with longer waits, once every
other write is done. Verification reads every platform's listings back, rewrites what
differs once, and names what still does.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from backend.connectors.base import ConnectorError, RateLimited, TransientError
from backend.connectors.registry import catalog_connector
from backend.connectors.types import Listing, Variant
from backend.core.errors import NonRetryableError
from backend.workflows.catalog_images import read_jsonl
from backend.workflows.catalog_retry import bounded, call_with_retries
from backend.workflows.catalog_rules import (
    SyncInputs,
    category_id_for,
    platform_price,
    stock_to_push,
    variant_stocks,
)

__all__ = ["ListingWriter", "build_listing", "verify_all"]


def build_listing(product: dict[str, Any], platform: str, *, images: list[str],
                  inputs: SyncInputs, settings: Any = None) -> tuple[Listing, str]:
    """The listing of ``product`` on ``platform`` and its fingerprint."""
    from backend.ai.product_copy import product_copy

    title, description = str(product["name"]), str(product.get("description") or "")
    tags: tuple[str, ...] = ()
    if inputs.sync_descriptions:
        use_ai = inputs.ai_enhance and bool(settings is not None and settings.llm_enabled)
        copy = product_copy(product, platform=platform, language=inputs.language,
                            use_ai=use_ai, settings=settings)  # fmt: skip
        title, description, tags = copy.title, copy.description, tuple(copy.tags[:10])
        if platform in ("instagram_shop", "facebook_shop") and copy.tags:
            description += "\n" + " ".join("#" + t.replace(" ", "") for t in copy.tags[:10])
    price = platform_price(product, platform, fees=inputs.fees,
                           min_margin_pct=inputs.min_margin_pct) \
        if inputs.sync_prices else int(product["price"])  # fmt: skip
    stocks = variant_stocks(product, safety_stock=inputs.safety_stock)
    variants = tuple(
        Variant(sku=str(v["sku"]), option=str(v.get("name") or v["sku"]), price=price,
                stock=n if inputs.sync_inventory else None)
        for v, n in zip(product.get("variants") or [], stocks, strict=True))  # fmt: skip
    listing = Listing(
        platform=platform,
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


class ListingWriter:
    """Create or update listings product by product, as their images become ready.

    ``await writer.add(product, image_urls)`` starts the product's write on every
    platform and returns once it is under way (it waits while ``8 x platforms`` writes
    are in flight, so a fast producer cannot pile up work); ``await writer.close()``
    waits for them, gives writes that ran out of tries on 5xx/timeouts/429 one more
    round, and returns the counts. Unchanged listings (their key is in the ledger) cost
    no call. The first unexpected error cancels the rest and is raised by ``close``.
    """

    def __init__(self, ctx: Any, *, inputs: SyncInputs, expected_out: BinaryIO,
                 done: set[str], on_item: Callable[[], Awaitable[None]] | None = None) -> None:
        client = ctx.tools.http.client
        self._ctx, self._inputs, self._expected, self._done = ctx, inputs, expected_out, done
        self._on_item = on_item
        self._connectors = {p: catalog_connector(p, client=client) for p in inputs.platforms}
        self._gates = {p: asyncio.Semaphore(8) for p in inputs.platforms}
        self._slots = asyncio.Semaphore(8 * len(inputs.platforms))
        self._tasks: set[asyncio.Task[None]] = set()
        self._error: BaseException | None = None
        self._prefix = f"catalog:{ctx.job_id}:"
        self._llm = inputs.ai_enhance and inputs.sync_descriptions and bool(
            ctx.settings.llm_enabled)
        self.stats: dict[str, dict[str, Any]] = {
            p: {"written": 0, "unchanged": 0, "failed": []} for p in inputs.platforms}
        self.retries = 0
        self._later: list[tuple[Listing, str]] = []  # writes still failing transiently

    def _retried(self, _: BaseException) -> None:
        self.retries += 1

    async def add(self, product: dict[str, Any], images: list[str]) -> None:
        """Start writing ``product`` (with these image URLs) to every platform."""
        for platform in self._inputs.platforms:
            if self._error is not None:
                raise self._error
            await self._slots.acquire()
            task = asyncio.ensure_future(self._one(product, platform, images))
            self._tasks.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slots.release()
        if not task.cancelled() and task.exception() is not None and self._error is None:
            self._error = task.exception()
            for other in self._tasks:
                other.cancel()

    async def abort(self) -> None:
        """Cancel the writes under way (the step failed; a retry resumes by the ledger)."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks))

    async def close(self) -> dict[str, Any]:
        """Wait for every write, retry the transient failures once more, report."""
        try:
            while self._tasks:
                await asyncio.wait(set(self._tasks))
        finally:
            for task in self._tasks:
                task.cancel()
        if self._error is not None:
            raise self._error
        # A write that ran out of tries on 5xx/timeouts/429 gets one more round once the
        # rest is done, with longer waits: at 10% failing calls a listing of three calls
        # (Shopee) fails five tries in a row about once in 700, a few in every large sync.
        await bounded(self._later, lambda lk: self._write(*lk, last_pass=True),
                      concurrency=8 * len(self._inputs.platforms))
        return {"platforms": self.stats, "retries": self.retries}

    async def _one(self, product: dict[str, Any], platform: str, images: list[str]) -> None:
        build = functools.partial(build_listing, product, platform, inputs=self._inputs,
                                  images=images, settings=self._ctx.settings)
        # The LLM client is synchronous: keep it off the event loop.
        listing, fp = await asyncio.to_thread(build) if self._llm else build()
        key = f"{self._prefix}{platform}:{listing.sku}:{fp}"
        self._expected.write(orjson.dumps({"platform": platform, "sku": listing.sku,
                                           "price": listing.price, "stock": listing.stock,
                                           "key": key}) + b"\n")  # fmt: skip
        if key in self._done:
            self.stats[platform]["unchanged"] += 1
            if self._on_item is not None:
                await self._on_item()
            return
        await self._write(listing, key, last_pass=False)

    async def _write(self, listing: Listing, key: str, *, last_pass: bool) -> None:
        conn = self._connectors[listing.platform]

        async def call(k: str) -> dict[str, Any]:
            async with self._gates[listing.platform]:
                await call_with_retries(
                    lambda: conn.upsert_listing(listing, idempotency_key=k),
                    on_retry=self._retried, base_delay=1.0 if last_pass else 0.2)
            return {"price": listing.price, "stock": listing.stock}

        try:
            # The step read its keys up front and only writes the ones not among them.
            await self._ctx.once(key, call, known_new=True)
            self.stats[listing.platform]["written"] += 1
        except (TransientError, RateLimited) as exc:
            if not last_pass:
                self._later.append((listing, key))
                return
            _failed(self.stats, listing, exc)
        except (ConnectorError, NonRetryableError) as exc:
            _failed(self.stats, listing, exc)
        if self._on_item is not None:
            await self._on_item()


def _failed(stats: dict[str, dict[str, Any]], listing: Listing, exc: BaseException) -> None:
    stats[listing.platform]["failed"].append(
        {"sku": listing.sku, "error": f"{type(exc).__name__}: {exc}"})


async def verify_all(ctx: Any, *, expected: Path, inputs: SyncInputs) -> dict[str, Any]:
    """Read every platform back; rewrite a listing that differs once; report the rest."""
    client = ctx.tools.http.client
    want: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in read_jsonl(expected):
        want[row["platform"]][row["sku"]] = row
    report: dict[str, Any] = {}

    async def check(platform: str) -> None:
        conn = catalog_connector(platform, client=client)
        seen: dict[str, list[Listing]] = defaultdict(list)
        cursor: str | None = None
        while True:
            page = await call_with_retries(
                lambda c=cursor: conn.list_listings(cursor=c, page_size=50))
            for listing in page.items:
                if listing.sku in want[platform]:
                    seen[listing.sku].append(listing)
            cursor = page.next_cursor
            if not cursor:
                break
        problems = []
        for sku, w in want[platform].items():
            found = seen.get(sku, [])
            reason = _difference(found, w, inputs)
            if reason is None:
                continue
            if len(found) <= 1:  # missing or wrong: write it once more, then look again
                reason = await _repair(conn, platform, sku, w, reason, inputs, ctx)
            if reason:
                problems.append({"sku": sku, "reason": reason})
        report[platform] = {"checked": len(want[platform]), "ok": len(want[platform]) -
                            len(problems), "problems": problems}  # fmt: skip

    await asyncio.gather(*(check(p) for p in want))
    return report


def _difference(found: list[Listing], want: dict[str, Any], inputs: SyncInputs) -> str | None:
    if not found:
        return "not listed"
    if len(found) > 1:
        return f"listed {len(found)} times"
    got = found[0]
    if inputs.sync_prices and got.price != want["price"]:
        return f"price {got.price} instead of {want['price']}"
    if inputs.sync_inventory and want["stock"] is not None and got.stock != want["stock"]:
        # Availability-only platforms (Google Shopping) report in stock as None.
        if not (got.stock is None and want["stock"] > 0):
            return f"stock {got.stock} instead of {want['stock']}"
    return None


async def _repair(conn: Any, platform: str, sku: str, want: dict[str, Any], reason: str,
                  inputs: SyncInputs, ctx: Any) -> str | None:
    try:
        if reason == "not listed":
            return reason  # the listing write failed earlier; it is in the failures list
        if inputs.sync_prices:
            await call_with_retries(lambda: conn.update_price(
                sku, want["price"], idempotency_key=f"{want['key']}:fix-price"))
        if inputs.sync_inventory and want["stock"] is not None:
            await call_with_retries(lambda: conn.update_stock(
                sku, want["stock"], idempotency_key=f"{want['key']}:fix-stock"))
        again = await call_with_retries(lambda: conn.get_listing(sku))
        left = _difference([again] if again else [], want, inputs)
        ctx.log(f"{platform} {sku}: {reason}; " + ("fixed" if left is None else f"still {left}"))
        return None if left is None else f"{reason}; after a rewrite: {left}"
    except (ConnectorError, NonRetryableError) as exc:
        return f"{reason}; rewrite failed: {type(exc).__name__}: {exc}"
