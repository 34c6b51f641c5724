"""Repricing, one product in one shop at a time, all at once: read our price, decide
by the rules, apply the change once, read it back.

A *store* is one shop on one marketplace (``shopee``, ``shopee@toko-b``: see
``backend.domain.shops``); a seller's two Shopee shops are two stores, each read,
decided and written on its own, with the marketplace's competitor offers. Each
(product, store) goes through its own read → decide → write → verify, so a store's
writes start while the others are still being read and the run takes as long as its
busiest store, not the sum of phases. Every change goes through ``ctx.once`` with the
key ``price:{job_id}:{run_id}:{sku}:{store}:{target}`` (also the platform's
Idempotency-Key); the ledger keeps the decision with it, so a retried attempt reports a
change its predecessor made instead of deciding afresh from the new price. Every
decision, outcome, review and price owner names its shop (``account``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

from backend.connectors.base import AuthFailed, Rejected
from backend.connectors.catalog import CatalogConnector
from backend.core.messages import message
from backend.domain.shops import DEFAULT_ACCOUNT, split_store, store_key
from backend.services import price_owners, price_reviews
from backend.workflows.common.listing_lock import listing_lock
from backend.workflows.common.together import together
from backend.workflows.context import WorkflowContext
from backend.workflows.pricing.guard import Guard, load_guard, mark_previewed
from backend.workflows.pricing.report import explain
from backend.workflows.pricing.rules import PricingRules, decide

__all__ = ["reprice", "Repricer"]

_IN_FLIGHT = 64  # listings read/decided/changed at once per store


async def reprice(
    ctx: WorkflowContext,
    *,
    products: list[dict[str, Any]],
    offers: dict[str, dict[str, list[dict[str, Any]]]],
    connectors: dict[str, CatalogConnector],
    rules: PricingRules,
) -> dict[str, Any]:
    """Decisions, outcomes of the changes and per-store counts of one run
    (``connectors`` by store key)."""
    repricer = Repricer(ctx, offers=offers, connectors=connectors, rules=rules)
    await repricer.load_earlier()
    total = len(products) * len(connectors)
    repricer.guard = await load_guard(ctx, listings=total, earlier=len(repricer.earlier))

    async def worker(market: str, todo: Iterator[dict[str, Any]]) -> None:
        for product in todo:  # shared by the marketplace's workers: each listing once
            await repricer.one(product, market, total=total)

    # Each store at its own pace, through a fixed number of listings in flight: a
    # task per listing (10,000 SKUs x 5 marketplaces) held every frame in memory at once.
    queues = {m: iter(products) for m in connectors}
    await together(worker(m, queues[m]) for m in connectors for _ in range(_IN_FLIGHT))
    await asyncio.to_thread(price_reviews.record_run, job_id=ctx.job_id, run_id=ctx.run_id,
                            flagged=repricer.flagged, applied=repricer.applied)  # fmt: skip
    if repricer.guard.preview:
        await mark_previewed(ctx)
    return {"decisions": repricer.decisions, "outcomes": repricer.outcomes,
            "stores": repricer.stores, "preview": repricer.guard.preview}  # fmt: skip


class Repricer:
    """One run's repricing: what earlier attempts changed, the approved reviews, and
    the decisions, outcomes and per-store counts as listings finish."""

    def __init__(self, ctx: WorkflowContext, *,
                 offers: dict[str, dict[str, list[dict[str, Any]]]],
                 connectors: dict[str, CatalogConnector], rules: PricingRules) -> None:
        self.ctx, self.offers, self.connectors, self.rules = ctx, offers, connectors, rules
        self.prefix = f"price:{ctx.job_id}:{ctx.run_id}:"
        self.auto = ctx.inputs.get("auto_update") is not False
        self.earlier: dict[tuple[str, str], str] = {}
        self.approved: dict[tuple[str, str], dict[str, Any]] = {}
        self.decisions: list[dict[str, Any]] = []
        self.flagged: list[dict[str, Any]] = []  # written to the review queue once, at the end
        self.applied: dict[tuple[str, str], int] = {}  # (sku, store) -> price set
        self.guard = Guard(preview=False, limit=None)
        self.outcomes: list[dict[str, Any]] = []
        self.stores = {m: {"ok": 0, "failed": 0} for m in connectors}
        self.done = 0

    async def load_earlier(self) -> None:
        """Changes an earlier attempt of this run made, and reviews people approved."""
        for key in await self.ctx.done_keys(self.prefix):
            sku, store, _ = key[len(self.prefix):].rsplit(":", 2)
            self.earlier[(sku, store)] = key
        reviews = await asyncio.to_thread(price_reviews.approved_for, self.ctx.job_id)
        self.approved = {(r["sku"], store_key(r["platform"], r.get("account")
                                              or DEFAULT_ACCOUNT)): r for r in reviews}

    async def read(self, store: str, sku: str) -> int | None:
        """Our price of ``sku`` in ``store`` (None: not listed there)."""
        listing = await self.connectors[store].get_listing(sku)
        return None if listing is None else int(listing.price)

    async def write(self, store: str, sku: str, d: dict[str, Any], target: int) -> None:
        """Change the price once (ledger key = the platform's Idempotency-Key), read it back."""
        connector = self.connectors[store]
        platform, account = split_store(store)

        async def effect(idem: str) -> dict[str, Any]:
            # The write and the record that the price is ours now, under the listing's
            # lock: a catalog sync cannot put its own price between the two.
            async with listing_lock(self.ctx.tools.redis, prefix=self.ctx.settings.redis_prefix,
                                    platform=platform, account=account, sku=sku):  # fmt: skip
                await connector.update_price(sku, target, idempotency_key=idem)
                await asyncio.to_thread(price_owners.take, platform=platform, sku=sku,
                                        account=account, job_id=self.ctx.job_id,
                                        run_id=self.ctx.run_id, price=target)  # fmt: skip
            return {"price": target, "at": time.time(), "decision": d}

        outcome: dict[str, Any] = {"sku": sku, "platform": platform, "account": account,
                                   "target": target, "from": d["current_price"]}  # fmt: skip
        try:
            await self.ctx.once(f"{self.prefix}{sku}:{store}:{target}", effect)
            outcome["verified"] = await self.read(store, sku) == target
        except (Rejected, AuthFailed) as exc:
            outcome.update(verified=False, error=f"{type(exc).__name__}: {exc}")
        self.stores[store]["ok" if outcome["verified"] else "failed"] += 1
        if outcome["verified"]:  # its review (approved, or still open) is settled by it
            self.applied[(sku, store)] = target
        self.outcomes.append(outcome)

    async def decide(self, product: dict[str, Any], store: str) -> dict[str, Any] | None:
        """The rules' decision for one listing (None: not listed in that store)."""
        sku = product["sku"]
        platform, account = split_store(store)
        try:
            current = await self.read(store, sku)
        except Rejected:
            current = None
        if current is None:
            return None
        d = decide(sku=sku, platform=platform, current_price=current,
                   base_price=product["base_price"], cost=product["cost"],
                   offers=self.offers.get(platform, {}).get(sku, []),
                   rules=self.rules).as_dict()  # fmt: skip
        d["account"] = account
        if d["action"] != "keep":
            d["advice"] = await explain(d, product=product, rules=self.rules,
                                        inputs=self.ctx.inputs, settings=self.ctx.settings)
        review = self.approved.get((sku, store))
        if review is not None:
            d.update(action="approved", target_price=int(review["target_price"]))
        return d

    async def one(self, product: dict[str, Any], store: str, *, total: int) -> None:
        """Read, decide and (where the rules allow) change one listing of one store."""
        sku = product["sku"]
        if (sku, store) in self.earlier:  # changed by an earlier attempt of this run
            record = await self.ctx.once(self.earlier[(sku, store)], _never)
            d = record["decision"]
            await self.write(store, sku, d, int(record["price"]))
        else:
            found = await self.decide(product, store)
            if found is None:  # not listed there
                return
            d = found
            held = self.guard.hold() if self.auto and d["action"] in ("lower", "raise") \
                else None  # fmt: skip
            if held is not None:  # the preview, or beyond this run's guard
                d.update(action="review", held=held[0])
                d["reasons"].append(held[1])
            if d["action"] == "review":
                self.flagged.append(d)
            elif d["action"] == "approved" or (self.auto and d["action"] in ("lower", "raise")):
                await self.write(store, sku, d, int(d["target_price"]))
        self.decisions.append(d)
        self.done += 1
        await self.ctx.progress(self.done, total, message("progress.listings_repriced",
                                                                    done=self.done, total=total))


async def _never(key: str) -> Any:
    raise AssertionError(f"{key} is in the ledger; its record is returned instead")
