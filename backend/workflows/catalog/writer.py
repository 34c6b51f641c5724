"""Catalog sync's listing writes, product by product, as their images become ready.

Each (product, platform) becomes a :class:`Listing` (``catalog_push.build_listing``)
whose fingerprint is part of the idempotency key ``catalog:{job}:{platform}:{sku}:{fp}``:
a key already in the ledger means the platform already has exactly this listing, so an
unchanged product costs no call, a retried run repeats nothing, and a changed one is
written once. A write still failing on 5xx, timeouts or 429 after its tries is taken
again, with longer waits, once every other write is done. A platform that fails every
write (down, or its credentials' host unreachable) trips its breaker: its remaining
listings wait for that last round instead of each waiting out five tries, and if the
platform still fails there they are reported without more calls.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, BinaryIO

import orjson

from backend.connectors.base import ConnectorError, RateLimited, TransientError
from backend.connectors.policy import RetryBudget
from backend.connectors.types import Listing
from backend.core.errors import NonRetryableError
from backend.core.messages import message
from backend.workflows.catalog.listings import build_listing
from backend.workflows.catalog.owners import PriceOwnership, managed_listing
from backend.workflows.catalog.rules import SyncInputs
from backend.workflows.common.concurrency import Breaker, bounded
from backend.workflows.common.stores import store_catalog
from backend.workflows.context import WorkflowContext

__all__ = ["ListingWriter"]

# Writes in a row that may fail (each after all its tries) before a platform counts as
# down: at 10% failing calls one listing of three calls fails five tries in a row about
# once in 700, so ten in a row, with no success between, does not happen by chance.
TRIP_AFTER = 10
TRIP_AFTER_LAST_ROUND = 3
LAST_ROUND_BUDGET = RetryBudget(backoff_base_sec=1.0)


class ListingWriter:
    """Create or update listings product by product, as their images become ready.

    ``await writer.add(product, image_urls)`` starts the product's write on every
    platform and returns once it is under way (it waits while ``8 x platforms`` writes
    are in flight, so a fast producer cannot pile up work); ``await writer.close()``
    waits for them, gives writes that ran out of tries on 5xx/timeouts/429 one more
    round, and returns the counts. Unchanged listings (their key is in the ledger) cost
    no call. The first unexpected error cancels the rest and is raised by ``close``.
    """

    def __init__(self, ctx: WorkflowContext, *, inputs: SyncInputs, expected_out: BinaryIO,
                 done: set[str], on_item: Callable[[], Awaitable[None]] | None = None) -> None:
        self._ctx, self._inputs, self._expected, self._done = ctx, inputs, expected_out, done
        self._on_item = on_item
        self._connectors = {p: store_catalog(ctx, p) for p in inputs.platforms}  # by store
        # The last round waits longer between tries: whatever failed five times in the
        # main pass met more than a blip.
        self._last_round = {p: store_catalog(ctx, p, budget=LAST_ROUND_BUDGET)
                            for p in inputs.platforms}  # fmt: skip
        self._retried_before = ctx.platforms.stats()["retried_total"]
        self._gates = {p: asyncio.Semaphore(8) for p in inputs.platforms}
        self._slots = asyncio.Semaphore(8 * len(inputs.platforms))
        self._tasks: set[asyncio.Task[None]] = set()
        self._error: BaseException | None = None
        self._prefix = f"catalog:{ctx.job_id}:"
        self._llm = inputs.ai_enhance and inputs.sync_descriptions and bool(
            ctx.settings.llm_enabled)
        self.stats: dict[str, dict[str, Any]] = {
            p: {"written": 0, "unchanged": 0, "failed": [], "managed": []}
            for p in inputs.platforms}  # fmt: skip
        self._owners = PriceOwnership(ctx)
        self._bases: dict[tuple[str, str], int] = {}  # the catalog's base price per listing
        self._later: list[tuple[Listing, str]] = []  # writes still failing transiently
        self._breakers = {p: Breaker(threshold=TRIP_AFTER) for p in inputs.platforms}

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
        # A tripped platform gets its chance again there, and trips sooner.
        for platform, breaker in self._breakers.items():
            if breaker.open:
                waiting = sum(1 for listing, _ in self._later if listing.platform == platform)
                self._ctx.log(message("log.catalog_retry_waiting", platform=platform,
                                      waiting=waiting, skipped=breaker.skipped),
                              level="warning")
            breaker.reset(threshold=TRIP_AFTER_LAST_ROUND)
        await bounded(self._later, lambda lk: self._write(*lk, last_pass=True),
                      concurrency=8 * len(self._inputs.platforms))
        retried = self._ctx.platforms.stats()["retried_total"] - self._retried_before
        return {"platforms": self.stats, "retries": retried}

    async def _one(self, product: dict[str, Any], platform: str, images: list[str]) -> None:
        build = functools.partial(build_listing, product, platform, inputs=self._inputs,
                                  images=images, settings=self._ctx.settings)
        # The LLM client is synchronous: keep it off the event loop.
        listing, fp = await asyncio.to_thread(build) if self._llm else build()
        key = f"{self._prefix}{platform}:{listing.sku}:{fp}"
        self._bases[(platform, listing.sku)] = int(product["price"])
        row = {"platform": platform, "sku": listing.sku, "price": listing.price,
               "stock": listing.stock, "key": key, "base": int(product["price"])}
        if listing.variants and listing.stock is not None:  # for a per-variant repair
            row["variants"] = [[v.sku, v.stock] for v in listing.variants]
        self._expected.write(orjson.dumps(row) + b"\n")
        if key in self._done:
            self.stats[platform]["unchanged"] += 1
            if self._on_item is not None:
                await self._on_item()
            return
        await self._write(listing, key, last_pass=False)

    async def _write(self, listing: Listing, key: str, *, last_pass: bool) -> None:
        conn = (self._last_round if last_pass else self._connectors)[listing.platform]
        breaker = self._breakers[listing.platform]
        if breaker.open:  # no call: the platform failed every recent write
            breaker.skipped += 1
            if not last_pass:
                self._later.append((listing, key))
                return
            self.stats[listing.platform]["failed"].append(
                {"sku": listing.sku, "error": breaker.reason()})
            if self._on_item is not None:
                await self._on_item()
            return

        async def call(k: str) -> dict[str, Any]:
            base = self._bases.get((listing.platform, listing.sku))
            async with self._gates[listing.platform], self._owners.writing(
                    listing.platform, listing.sku, base_price=base) as owner:  # fmt: skip
                # A price a repricing decision owns stays as the repricer set it.
                sent = listing if owner is None else managed_listing(listing, owner["price"])
                await conn.upsert_listing(sent, idempotency_key=k)
            managed = None if owner is None else {"job_id": owner["job_id"],
                                                  "price": owner["price"]}  # fmt: skip
            return {"price": sent.price, "stock": sent.stock, "managed_by": managed}

        try:
            # The step read its keys up front and only writes the ones not among them.
            done = await self._ctx.once(key, call, known_new=True)
            self.stats[listing.platform]["written"] += 1
            if done.get("managed_by"):
                self.stats[listing.platform]["managed"].append(
                    {"sku": listing.sku, **done["managed_by"]})
            breaker.success()
        except (TransientError, RateLimited) as exc:
            if breaker.failure(exc):
                self._ctx.log(message("log.platform_error", platform=listing.platform,
                                      error=breaker.reason()), level="warning")
            if not last_pass:
                self._later.append((listing, key))
                return
            _failed(self.stats, listing, exc)
        except (ConnectorError, NonRetryableError) as exc:
            breaker.success()  # the platform answered; this listing was refused
            _failed(self.stats, listing, exc)
        if self._on_item is not None:
            await self._on_item()


def _failed(stats: dict[str, dict[str, Any]], listing: Listing, exc: BaseException) -> None:
    stats[listing.platform]["failed"].append(
        {"sku": listing.sku, "error": f"{type(exc).__name__}: {exc}"})
