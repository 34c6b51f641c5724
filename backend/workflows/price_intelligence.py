"""Price intelligence and auto-repricing (seed job ``ecommerce-price-intelligence``).

inputs: ``products`` (list of ``{sku, name, my_price, cost?}`` or ``{source: "catalog",
limit}``), ``marketplaces``, ``competitor_accounts`` (empty = every seller),
``pricing_strategy`` (``undercut_by_N_percent``, ``match_lowest``, ``monitor_only``),
``min_margin_percent``, ``max_discount_percent``, optional ``price_floor`` /
``price_ceiling`` / ``price_ending`` (default 900), ``auto_update`` (default true),
``report_channels`` (``["telegram", "email"]`` or ``[{channel, to}]``), ``report_to``
(``{"telegram": chat, "email": address}``), ``rate_limits`` (calls/s per platform),
``ai_analysis.enabled``.

Steps: products → competitor-prices → own-prices → decide → apply (each change once,
verified, approved reviews included) → report. A retry resumes after the last finished
step; the apply step skips changes already in the ledger.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from backend.connectors.base import AuthFailed, Rejected
from backend.connectors.inventory import InventoryConnector
from backend.connectors.market import MarketConnector
from backend.connectors.registry import catalog_connector
from backend.core.errors import ErrorItem, InvalidInput, NonRetryableError
from backend.workflows import pricing_reviews
from backend.workflows.pricing_calls import LimitedCaller
from backend.workflows.pricing_fetch import fetch_offers, fetch_own_prices, load_products
from backend.workflows.pricing_report import explain, send_report
from backend.workflows.pricing_rules import PricingRules, decide

__all__ = ["run"]


def _marketplaces(inputs: dict[str, Any]) -> list[str]:
    markets = inputs.get("marketplaces") or ["shopee", "tokopedia", "lazada", "tiktok", "blibli"]
    if not isinstance(markets, list) or not all(isinstance(m, str) for m in markets):
        raise InvalidInput([ErrorItem("inputs.marketplaces", "a list of marketplace names")])
    return list(dict.fromkeys(markets))


async def run(ctx: Any) -> dict[str, Any]:
    inputs = ctx.inputs
    rules = PricingRules.from_inputs(inputs)
    markets = _marketplaces(inputs)
    sellers = [str(s) for s in inputs.get("competitor_accounts") or []]
    tools = ctx.tools
    kv = tools.kv
    caller = LimitedCaller(redis=tools.redis, prefix=ctx.settings.redis_prefix,
                           scope=f"pricing:{ctx.job_id}", rates=inputs.get("rate_limits"))
    client = tools.http.client
    try:
        connectors = {m: catalog_connector(m, client=client) for m in markets}
    except ValueError as exc:
        raise NonRetryableError(str(exc)) from exc
    run_key = f"run:{ctx.run_id}"

    async def products_step() -> list[dict[str, Any]]:
        return await load_products(inputs.get("products"), caller=caller,
                                   inventory=InventoryConnector(client=client))  # fmt: skip

    products = await ctx.step("load-products", products_step)
    skus = [p["sku"] for p in products]

    async def offers_step() -> dict[str, Any]:
        offers = await fetch_offers(market=MarketConnector(client=client), caller=caller,
                                    skus=skus, marketplaces=markets, sellers=sellers)  # fmt: skip
        await kv.set(f"{run_key}:offers", offers, ttl=7 * 86400)
        now = time.time()
        for platform, by_sku in offers.items():
            for sku, rows in by_sku.items():
                await kv.append_series(f"history:{sku}:{platform}",
                                       {r["seller"]: r["price"] for r in rows}, at=now)  # fmt: skip
        quotes = sum(len(r) for by_sku in offers.values() for r in by_sku.values())
        return {"quotes": quotes, **caller.stats()}

    fetched = await ctx.step("competitor-prices", offers_step)
    ctx.log(f"{fetched['quotes']} competitor offers from {len(markets)} marketplaces")

    async def own_step() -> dict[str, Any]:
        own = await fetch_own_prices(connectors=connectors, caller=caller, skus=skus)
        await kv.set(f"{run_key}:own", own, ttl=7 * 86400)
        return {"listings": sum(len(v) for v in own.values())}

    await ctx.step("own-prices", own_step)

    async def decide_step() -> dict[str, Any]:
        offers = await kv.get(f"{run_key}:offers", {})
        own = await kv.get(f"{run_key}:own", {})
        decisions = []
        for product in products:
            for platform in markets:
                current = own.get(platform, {}).get(product["sku"])
                if current is None:
                    continue
                d = decide(sku=product["sku"], platform=platform, current_price=current,
                           base_price=product["base_price"], cost=product["cost"],
                           offers=offers.get(platform, {}).get(product["sku"], []),
                           rules=rules).as_dict()  # fmt: skip
                if d["action"] != "keep":
                    d["advice"] = await explain(d, product=product, rules=rules, inputs=inputs,
                                                settings=ctx.settings)  # fmt: skip
                decisions.append(d)
        flagged = [d for d in decisions if d["action"] == "review"]
        for d in flagged:
            await asyncio.to_thread(pricing_reviews.flag, job_id=ctx.job_id, run_id=ctx.run_id,
                                    decision=d)  # fmt: skip
        await kv.set(f"{run_key}:decisions", decisions, ttl=30 * 86400)
        return {"decisions": len(decisions), "flagged": len(flagged)}

    decided = await ctx.step("decide", decide_step)

    async def apply_step() -> dict[str, Any]:
        decisions = await kv.get(f"{run_key}:decisions", [])
        changes = [d for d in decisions if d["action"] in ("lower", "raise")]
        approved = await asyncio.to_thread(pricing_reviews.approved_for, ctx.job_id)
        changes += [{**r, "action": "approved"} for r in approved if r["platform"] in connectors]
        if inputs.get("auto_update") is False:
            changes = [c for c in changes if c["action"] == "approved"]
        stores: dict[str, dict[str, int]] = {m: {"ok": 0, "failed": 0} for m in markets}
        done = 0

        async def one(change: dict[str, Any]) -> dict[str, Any]:
            nonlocal done
            sku, platform, target = change["sku"], change["platform"], int(change["target_price"])
            connector = connectors[platform]
            key = f"price:{ctx.job_id}:{ctx.run_id}:{sku}:{platform}:{target}"

            async def effect(idem: str) -> dict[str, Any]:
                await caller.call(platform, platform, lambda: connector.update_price(
                    sku, target, idempotency_key=idem))  # fmt: skip
                return {"price": target, "at": time.time()}

            outcome: dict[str, Any] = {"sku": sku, "platform": platform, "target": target,
                                       "from": change["current_price"]}  # fmt: skip
            try:
                await ctx.once(key, effect)
                listing = await caller.call(platform, platform,
                                            lambda: connector.get_listing(sku))  # fmt: skip
                outcome["verified"] = listing is not None and int(listing.price) == target
            except (Rejected, AuthFailed) as exc:
                outcome.update(verified=False, error=f"{type(exc).__name__}: {exc}")
            stores[platform]["ok" if outcome["verified"] else "failed"] += 1
            if change["action"] == "approved" and outcome["verified"]:
                await asyncio.to_thread(pricing_reviews.mark_applied, change["id"],
                                        run_id=ctx.run_id)  # fmt: skip
            done += 1
            await ctx.progress(done, len(changes), f"{done}/{len(changes)} prices updated")
            return outcome

        outcomes = await asyncio.gather(*(one(c) for c in changes))
        await kv.set(f"{run_key}:applied", outcomes, ttl=30 * 86400)
        await kv.set(f"stores:{ctx.run_id}", stores, ttl=30 * 86400)
        return {"changed": sum(1 for o in outcomes if o["verified"]),
                "failed": sum(1 for o in outcomes if not o["verified"]), "stores": stores}

    applied = await ctx.step("apply", apply_step)

    async def report_step() -> dict[str, Any]:
        decisions = await kv.get(f"{run_key}:decisions", [])
        outcomes = await kv.get(f"{run_key}:applied", [])
        return await send_report(ctx, decisions=decisions, outcomes=outcomes,
                                 stores=applied["stores"], calls=caller.stats())  # fmt: skip

    report = await ctx.step("report", report_step)
    await ctx.progress(1.0, None, "done")
    return {"products": len(products), "marketplaces": markets,
            "competitor_quotes": fetched["quotes"], "decisions": decided["decisions"],
            "flagged": decided["flagged"], "changed": applied["changed"],
            "failed": applied["failed"], "stores": applied["stores"],
            "api_calls_this_attempt": caller.stats()["calls_total"], **report}  # fmt: skip
