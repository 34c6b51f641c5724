"""Price intelligence and auto-repricing (seed job ``ecommerce-price-intelligence``).

inputs: ``products`` (list of ``{sku, name, my_price, cost?}`` or ``{source: "catalog",
limit}``), ``marketplaces``, ``accounts`` (the shops per marketplace, ``{"shopee":
["toko-a", "toko-b"]}`` or ``"all"``; default every live account, else the sandbox's
shop: ``backend.connectors.shops``), ``competitor_accounts`` (empty = every seller),
``max_competitors`` (compare with at most N sellers per product: the cheapest in stock),
``pricing_strategy`` (``undercut_by_N_percent``, ``match_lowest``, ``monitor_only``),
``min_margin_percent``, ``max_discount_percent``, optional ``price_floor`` /
``price_ceiling`` / ``price_ending`` (default 900), ``auto_update`` (default true),
``report_channels`` (``["telegram", "email"]`` or ``[{channel, to}]``), ``report_to``
(``{"telegram": chat, "email": address or [addresses]}``), ``rate_limits`` (calls/s per platform),
``ai_analysis.enabled``, and the guard (``pricing.guard``): ``preview_first_run``
(default true), ``max_changes_per_run`` (default 50), ``max_change_share``.

Steps: load-products → competitor-prices → reprice (per listing: read, decide, change
once, verify; approved reviews applied; the first run of a new or edited rule only
proposes, later runs change up to the guard and send the rest to review) → report. A
retry resumes after the last finished step; the reprice step reports changes already
in the ledger instead of making them again. Every price set is recorded as the
listing's owner (``services.price_owners``): catalog sync leaves it alone.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from backend.connectors.catalog import CatalogConnector
from backend.connectors.shops import job_stores
from backend.core.errors import ErrorItem, InvalidInput, NonRetryableError
from backend.core.messages import message
from backend.core.outcome import NothingDone
from backend.workflows.common.stores import store_catalog
from backend.workflows.context import WorkflowContext
from backend.workflows.pricing.fetch import fetch_offers, load_products, nearest_competitors
from backend.workflows.pricing.report import send_report
from backend.workflows.pricing.reprice import reprice
from backend.workflows.pricing.rules import PricingRules
from backend.workflows.pricing.slices import SLICE, read_done, slice_count, slice_key

__all__ = ["run"]

# A run's offers, decisions and outcomes pass from step to step in the job's durable
# state, slice by slice (a Redis flushed between two steps must not make the reprice
# step decide on no offers); a later run drops them after a day. The run's report
# artifact keeps them.
_SCRATCH_KEEP_SEC = 86400


def _marketplaces(inputs: dict[str, Any]) -> list[str]:
    markets = inputs.get("marketplaces") or ["shopee", "tokopedia", "lazada", "tiktok", "blibli"]
    if not isinstance(markets, list) or not all(isinstance(m, str) for m in markets):
        raise InvalidInput([ErrorItem("inputs.marketplaces", "a list of marketplace names")])
    return list(dict.fromkeys(markets))


def _catalog_connectors(ctx: WorkflowContext, markets: list[str]
                        ) -> dict[str, CatalogConnector]:  # fmt: skip
    """Each shop's catalog (inputs.accounts), by store key (``shopee``, ``shopee@toko-b``)."""
    try:
        return {s: store_catalog(ctx, s) for s in job_stores(markets, ctx.inputs.get("accounts"))}
    except ValueError as exc:
        raise NonRetryableError(str(exc)) from exc


def _run_key(ctx: WorkflowContext) -> str:
    return f"run:{ctx.run_id}"


async def run(ctx: WorkflowContext) -> dict[str, Any]:
    """The workflow entry point (see the module docstring)."""
    rules = PricingRules.from_inputs(ctx.inputs)
    markets = _marketplaces(ctx.inputs)
    connectors = _catalog_connectors(ctx, markets)  # an unknown marketplace fails at once
    products = await ctx.step("load-products", lambda: load_products_step(ctx))
    fetched = await ctx.step("competitor-prices", lambda: competitor_prices_step(
        ctx, skus=[p["sku"] for p in products], markets=markets))
    ctx.log(message("log.competitor_offers", quotes=fetched["quotes"], markets=len(markets)))
    decided = await ctx.step("reprice", lambda: reprice_step(
        ctx, products=products, connectors=connectors, rules=rules))
    report = await ctx.step("report", lambda: report_step(
        ctx, stores=list(connectors), slices=decided["slices"], summary=decided["summary"],
        calls=ctx.platforms.stats()))
    await ctx.progress(1.0, None, message("progress.done"))
    return {"nothing_done": _idle(products, markets, fetched, decided),
            "products": len(products), "marketplaces": markets,
            "competitor_quotes": fetched["quotes"], "decisions": decided["decisions"],
            "flagged": decided["flagged"], "changed": decided["changed"],
            "preview": decided["preview"], "held": decided["held"],
            "failed": decided["failed"], "stores": decided["stores"],
            "api_calls_this_attempt": ctx.platforms.stats()["calls_total"],
            **report}  # fmt: skip


def _idle(products: list[dict[str, Any]], markets: list[str], fetched: dict[str, Any],
          decided: dict[str, Any]) -> NothingDone | None:
    """Why the run priced nothing: no listing of ours, or no competitor offer read."""
    counts = {"products": len(products), "markets": len(markets)}
    if not decided["decisions"]:
        return NothingDone("pricing_not_listed", counts)
    if not fetched["quotes"]:
        return NothingDone("pricing_no_offers", counts)
    return None


async def load_products_step(ctx: WorkflowContext) -> list[dict[str, Any]]:
    """Our products with their list prices and costs (the inventory fills the gaps)."""
    return await load_products(ctx.inputs.get("products"), inventory=ctx.platforms.inventory())


async def competitor_prices_step(ctx: WorkflowContext, *, skus: list[str], markets: list[str]
                                 ) -> dict[str, Any]:  # fmt: skip
    """Every competitor offer of our SKUs, kept for the next step slice by slice
    (``slices.py``) and as price history."""
    sellers = [str(s) for s in ctx.inputs.get("competitor_accounts") or []]
    state = ctx.tools.state
    await state.drop_older("run:", than_sec=_SCRATCH_KEEP_SEC)
    quotes = 0
    for n in range(slice_count(len(skus))):
        quotes += await _fetch_slice(ctx, skus=skus[n * SLICE:(n + 1) * SLICE], n=n,
                                     markets=markets, sellers=sellers)  # fmt: skip
    return {"quotes": quotes, **ctx.platforms.stats()}


async def _fetch_slice(ctx: WorkflowContext, *, skus: list[str], n: int, markets: list[str],
                       sellers: list[str]) -> int:  # fmt: skip
    """One slice's offers on every marketplace at once, stored; returns the quotes."""
    offers = await fetch_offers(platforms=ctx.platforms, skus=skus, marketplaces=markets,
                                sellers=sellers)  # fmt: skip
    offers = nearest_competitors(offers, limit=ctx.inputs.get("max_competitors"))
    for platform, by_sku in offers.items():
        await ctx.tools.state.set(slice_key(_run_key(ctx), "offers", platform, n), by_sku)
    now = time.time()  # the price series: observations nothing here reads back
    await ctx.tools.kv.append_series_many(((f"history:{sku}:{platform}",
                                            {r["seller"]: r["price"] for r in rows})
                                           for platform, by_sku in offers.items()
                                           for sku, rows in by_sku.items()), at=now)  # fmt: skip
    return sum(len(r) for by_sku in offers.values() for r in by_sku.values())


async def reprice_step(ctx: WorkflowContext, *, products: list[dict[str, Any]],
                       connectors: dict[str, CatalogConnector],
                       rules: PricingRules) -> dict[str, Any]:  # fmt: skip
    """Decide every listing's price by the rules and change it once where allowed."""
    done = await reprice(ctx, products=products, connectors=connectors, rules=rules,
                         run_key=_run_key(ctx))  # fmt: skip
    held = done["held"]
    if done["preview"]:
        ctx.log(message("log.pricing_preview", n=held.get("preview", 0)))
    if held.get("guard"):
        ctx.log(message("log.pricing_guard", n=held["guard"]), level="warning")
    return done


async def report_step(ctx: WorkflowContext, *, stores: list[str], slices: int,
                      summary: dict[str, Any], calls: dict[str, Any]
                      ) -> dict[str, Any]:  # fmt: skip
    """The JSON report as an artifact and the summary on the report channels."""

    def done() -> AsyncIterator[dict[str, list[dict[str, Any]]]]:
        return read_done(ctx.tools.state, run_key=_run_key(ctx), stores=stores,
                         slices=slices)  # fmt: skip

    return await send_report(ctx, done=done, summary=summary, calls=calls)
