"""Price intelligence and auto-repricing (seed job ``ecommerce-price-intelligence``).

inputs: ``products`` (list of ``{sku, name, my_price, cost?}`` or ``{source: "catalog",
limit}``), ``marketplaces``, ``competitor_accounts`` (empty = every seller),
``pricing_strategy`` (``undercut_by_N_percent``, ``match_lowest``, ``monitor_only``),
``min_margin_percent``, ``max_discount_percent``, optional ``price_floor`` /
``price_ceiling`` / ``price_ending`` (default 900), ``auto_update`` (default true),
``report_channels`` (``["telegram", "email"]`` or ``[{channel, to}]``), ``report_to``
(``{"telegram": chat, "email": address}``), ``rate_limits`` (calls/s per platform),
``ai_analysis.enabled``.

Steps: load-products → competitor-prices → reprice (per listing: read, decide, change
once, verify; approved reviews applied) → report. A retry resumes after the last
finished step; the reprice step reports changes already in the ledger instead of
making them again.
"""

from __future__ import annotations

import time
from typing import Any

from backend.connectors.inventory import InventoryConnector
from backend.connectors.market import MarketConnector
from backend.connectors.registry import catalog_connector
from backend.core.errors import ErrorItem, InvalidInput, NonRetryableError
from backend.workflows.pricing_calls import LimitedCaller
from backend.workflows.pricing_fetch import fetch_offers, load_products
from backend.workflows.pricing_report import send_report
from backend.workflows.pricing_reprice import reprice
from backend.workflows.pricing_rules import PricingRules

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

    async def reprice_step() -> dict[str, Any]:
        offers = await kv.get(f"{run_key}:offers", {})
        done = await reprice(ctx, products=products, offers=offers, connectors=connectors,
                             caller=caller, rules=rules)  # fmt: skip
        await kv.set(f"{run_key}:decisions", done["decisions"], ttl=30 * 86400)
        await kv.set(f"{run_key}:applied", done["outcomes"], ttl=30 * 86400)
        outcomes = done["outcomes"]
        return {"decisions": len(done["decisions"]), "stores": done["stores"],
                "flagged": sum(1 for d in done["decisions"] if d["action"] == "review"),
                "changed": sum(1 for o in outcomes if o["verified"]),
                "failed": sum(1 for o in outcomes if not o["verified"])}  # fmt: skip

    applied = decided = await ctx.step("reprice", reprice_step)

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
