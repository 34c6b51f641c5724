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

Listings go slice by slice (``slices.py``): a slice's decisions and outcomes are written
to the run's state, and its reviews to the queue, as soon as its last listing is done;
the run keeps only counts and the report's figures.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
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
from backend.workflows.pricing.report import Summary, explain
from backend.workflows.pricing.rules import PricingRules, decide
from backend.workflows.pricing.slices import Slice, SliceFeed, slice_count, slice_key

__all__ = ["reprice", "Repricer"]

_IN_FLIGHT = 64  # listings read/decided/changed at once per store


async def reprice(
    ctx: WorkflowContext,
    *,
    products: list[dict[str, Any]],
    connectors: dict[str, CatalogConnector],
    rules: PricingRules,
    run_key: str,
) -> dict[str, Any]:
    """Counts of one run's decisions and outcomes, per-store counts and the report's
    figures (``connectors`` by store key); the decisions and outcomes themselves are in
    the run's state, slice by slice (``slices.py``)."""
    repricer = Repricer(ctx, connectors=connectors, rules=rules, run_key=run_key)
    await repricer.load_earlier()
    total = len(products) * len(connectors)
    repricer.guard = await load_guard(ctx, listings=total, earlier=len(repricer.earlier))

    async def worker(feed: SliceFeed) -> None:
        while (item := await feed.next()) is not None:  # each listing once
            part, product = item
            await repricer.one(product, part, total=total)
            await feed.done(part)

    # Each store at its own pace, through a fixed number of listings in flight.
    feeds = [SliceFeed(store=s, products=products, state=ctx.tools.state, run_key=run_key,
                       flush=repricer.flush) for s in connectors]  # fmt: skip
    await together(worker(f) for f in feeds for _ in range(_IN_FLIGHT))
    if repricer.guard.preview:
        await mark_previewed(ctx)
    return {"decisions": repricer.decided, "stores": repricer.stores,
            "preview": repricer.guard.preview, "held": dict(repricer.held),
            "flagged": repricer.flagged, "changed": repricer.changed,
            "failed": repricer.failed, "slices": slice_count(len(products)),
            "summary": repricer.summary.as_dict(repricer.stores)}  # fmt: skip


class Repricer:
    """One run's repricing: what earlier attempts changed, the approved reviews, and
    the decisions, outcomes and per-store counts as listings finish."""

    def __init__(self, ctx: WorkflowContext, *, connectors: dict[str, CatalogConnector],
                 rules: PricingRules, run_key: str) -> None:  # fmt: skip
        self.ctx, self.connectors, self.rules, self.run_key = ctx, connectors, rules, run_key
        self.prefix = f"price:{ctx.job_id}:{ctx.run_id}:"
        self.auto = ctx.inputs.get("auto_update") is not False
        self.earlier: dict[tuple[str, str], str] = {}
        self.approved: dict[tuple[str, str], dict[str, Any]] = {}
        self.guard = Guard(preview=False, limit=None)
        self.stores = {m: {"ok": 0, "failed": 0} for m in connectors}
        self.held: Counter[str] = Counter()
        self.decided = self.flagged = self.changed = self.failed = 0
        self.summary = Summary()  # the report's figures, slice by slice
        self.done = 0

    async def flush(self, part: Slice) -> None:
        """A finished slice: its decisions and outcomes into the run's state, its flagged
        decisions opened in the review queue and the reviews its changes settle closed
        (one transaction per slice; a retried attempt writes the same again)."""
        await self.ctx.tools.state.set(slice_key(self.run_key, "done", part.store, part.n),
                                       {"decisions": part.decisions, "outcomes": part.outcomes})
        self.summary.add(decisions=part.decisions, outcomes=part.outcomes)
        if part.flagged or part.applied:
            await asyncio.to_thread(price_reviews.record_run, job_id=self.ctx.job_id,
                                    run_id=self.ctx.run_id, flagged=part.flagged,
                                    applied=part.applied)  # fmt: skip
        part.offers, part.decisions, part.outcomes, part.flagged = {}, [], [], []

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

    async def write(self, part: Slice, sku: str, d: dict[str, Any], target: int) -> None:
        """Change the price once (ledger key = the platform's Idempotency-Key), read it back."""
        store = part.store
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
            part.applied[(sku, store)] = target
            self.changed += 1
        else:
            self.failed += 1
        part.outcomes.append(outcome)

    async def decide(self, product: dict[str, Any], part: Slice) -> dict[str, Any] | None:
        """The rules' decision for one listing (None: not listed in that store)."""
        sku, store = product["sku"], part.store
        platform, account = split_store(store)
        try:
            current = await self.read(store, sku)
        except Rejected:
            current = None
        if current is None:
            return None
        d = decide(sku=sku, platform=platform, current_price=current,
                   base_price=product["base_price"], cost=product["cost"],
                   offers=part.offers.get(sku, []),
                   rules=self.rules).as_dict()  # fmt: skip
        d["account"] = account
        if d["action"] != "keep":
            d["advice"] = await explain(d, product=product, rules=self.rules,
                                        inputs=self.ctx.inputs, settings=self.ctx.settings)
        review = self.approved.get((sku, store))
        if review is not None:
            d.update(action="approved", target_price=int(review["target_price"]))
        return d

    async def one(self, product: dict[str, Any], part: Slice, *, total: int) -> None:
        """Read, decide and (where the rules allow) change one listing of ``part``'s store."""
        sku, store = product["sku"], part.store
        if (sku, store) in self.earlier:  # changed by an earlier attempt of this run
            record = await self.ctx.once(self.earlier[(sku, store)], _never)
            d = record["decision"]
            await self.write(part, sku, d, int(record["price"]))
        else:
            found = await self.decide(product, part)
            if found is None:  # not listed there
                return
            d = found
            held = self.guard.hold() if self.auto and d["action"] in ("lower", "raise") \
                else None  # fmt: skip
            if held is not None:  # the preview, or beyond this run's guard
                d.update(action="review", held=held[0])
                d["reasons"].append(held[1])
                self.held[held[0]] += 1
            if d["action"] == "review":
                part.flagged.append(d)
                self.flagged += 1
            elif d["action"] == "approved" or (self.auto and d["action"] in ("lower", "raise")):
                await self.write(part, sku, d, int(d["target_price"]))
        part.decisions.append(d)
        self.decided += 1
        self.done += 1
        await self.ctx.progress(self.done, total, message("progress.listings_repriced",
                                                                    done=self.done, total=total))


async def _never(key: str) -> Any:
    raise AssertionError(f"{key} is in the ledger; its record is returned instead")
