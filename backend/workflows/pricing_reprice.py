"""Repricing, one product on one marketplace at a time, all at once: read our price,
decide by the rules, apply the change once, read it back.

Each (product, marketplace) goes through its own read → decide → write → verify, so a
marketplace's writes start while the others are still being read and the run takes as
long as its busiest marketplace, not the sum of phases. Every change goes through
``ctx.once`` with the key ``price:{job_id}:{run_id}:{sku}:{platform}:{target}`` (also the
platform's Idempotency-Key); the ledger keeps the decision with it, so a retried attempt
reports a change its predecessor made instead of deciding afresh from the new price.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from backend.connectors.base import AuthFailed, Rejected
from backend.connectors.catalog import CatalogConnector
from backend.workflows import pricing_reviews
from backend.workflows.pricing_calls import LimitedCaller
from backend.workflows.pricing_fetch import read_cost
from backend.workflows.pricing_report import explain
from backend.workflows.pricing_rules import PricingRules, decide

__all__ = ["reprice"]


async def reprice(
    ctx: Any,
    *,
    products: list[dict[str, Any]],
    offers: dict[str, dict[str, list[dict[str, Any]]]],
    connectors: dict[str, CatalogConnector],
    caller: LimitedCaller,
    rules: PricingRules,
) -> dict[str, Any]:
    """Decisions, outcomes of the changes and per-store counts of one run."""
    prefix = f"price:{ctx.job_id}:{ctx.run_id}:"
    earlier: dict[tuple[str, str], str] = {}
    for key in await ctx.done_keys(prefix):
        sku, platform, _ = key[len(prefix):].rsplit(":", 2)
        earlier[(sku, platform)] = key
    reviews = await asyncio.to_thread(pricing_reviews.approved_for, ctx.job_id)
    approved = {(r["sku"], r["platform"]): r for r in reviews}
    auto = ctx.inputs.get("auto_update") is not False
    decisions: list[dict[str, Any]] = []
    flagged: list[dict[str, Any]] = []  # written to the review queue once, at the end
    outcomes: list[dict[str, Any]] = []
    stores = {m: {"ok": 0, "failed": 0} for m in connectors}
    pairs = [(p, m) for p in products for m in connectors]
    done = 0

    async def read(platform: str, sku: str) -> int | None:
        connector = connectors[platform]
        listing = await caller.call(platform, platform, lambda: connector.get_listing(sku),
                                    cost=read_cost(platform))  # fmt: skip
        return None if listing is None else int(listing.price)

    async def write(platform: str, sku: str, d: dict[str, Any], target: int) -> None:
        connector = connectors[platform]

        async def effect(idem: str) -> dict[str, Any]:
            await caller.call(platform, platform, lambda: connector.update_price(
                sku, target, idempotency_key=idem))  # fmt: skip
            return {"price": target, "at": time.time(), "decision": d}

        outcome: dict[str, Any] = {"sku": sku, "platform": platform, "target": target,
                                   "from": d["current_price"]}  # fmt: skip
        try:
            await ctx.once(f"{prefix}{sku}:{platform}:{target}", effect)
            outcome["verified"] = await read(platform, sku) == target
        except (Rejected, AuthFailed) as exc:
            outcome.update(verified=False, error=f"{type(exc).__name__}: {exc}")
        stores[platform]["ok" if outcome["verified"] else "failed"] += 1
        review = approved.get((sku, platform))
        if review is not None and outcome["verified"]:
            await asyncio.to_thread(pricing_reviews.mark_applied, review["id"], run_id=ctx.run_id)
        outcomes.append(outcome)

    async def one(product: dict[str, Any], platform: str) -> None:
        nonlocal done
        sku = product["sku"]
        if (sku, platform) in earlier:  # changed by an earlier attempt of this run
            record = await ctx.once(earlier[(sku, platform)], _never)
            d = record["decision"]
            await write(platform, sku, d, int(record["price"]))
        else:
            try:
                current = await read(platform, sku)
            except Rejected:
                current = None
            if current is None:  # not listed there
                return
            d = decide(sku=sku, platform=platform, current_price=current,
                       base_price=product["base_price"], cost=product["cost"],
                       offers=offers.get(platform, {}).get(sku, []),
                       rules=rules).as_dict()  # fmt: skip
            if d["action"] != "keep":
                d["advice"] = await explain(d, product=product, rules=rules, inputs=ctx.inputs,
                                            settings=ctx.settings)  # fmt: skip
            review = approved.get((sku, platform))
            if review is not None:
                d.update(action="approved", target_price=int(review["target_price"]))
            if d["action"] == "review":
                flagged.append(d)
            elif d["action"] == "approved" or (auto and d["action"] in ("lower", "raise")):
                await write(platform, sku, d, int(d["target_price"]))
        decisions.append(d)
        done += 1
        await ctx.progress(done, len(pairs), f"{done}/{len(pairs)} listings repriced")

    await asyncio.gather(*(one(p, m) for p, m in pairs))
    await asyncio.to_thread(pricing_reviews.flag_many, job_id=ctx.job_id, run_id=ctx.run_id,
                            decisions=flagged)  # fmt: skip
    return {"decisions": decisions, "outcomes": outcomes, "stores": stores}


async def _never(key: str) -> Any:
    raise AssertionError(f"{key} is in the ledger; its record is returned instead")
