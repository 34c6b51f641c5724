"""Real-time stock: an order on one marketplace lowers that SKU on every platform.

The catalog sync job, given an order trigger, runs once per order event instead of
syncing the catalog: ``{"event": "order.created"}`` (the platforms take the units when
an order is placed; ``order.paid`` works too, for a platform that reports only
payments: an order takes its units once either way), and a second job on
``order.cancelled`` gives them back.

Steps:
    claim   the order's SKUs and quantities (in the event, as ``POST /events`` may carry
            them, else from the shop's CRM) taken off the shop's own count
            (``tools.stock``: one conditional update per SKU, once per order). A SKU
            the count has not seen starts from the back office's shelf count. An order
            for more than is left is short: the shop cannot fill it.
    cancel  a short order is cancelled on its marketplace (out of stock, once), and the
            units its other SKUs took are given back: of two orders for the last unit on
            two marketplaces, exactly one stands.
    push    each SKU's count now (minus ``inventory.safety_stock``) to every shop
            (``inputs.accounts``, default every live account, else the sandbox's shop)
            of every platform of the job and the order's own, all at once. A push
            rereads the count after writing and writes again if another order moved it
            meanwhile, so the last write in each shop is the latest count whatever order
            the runs finish in.
"""

from __future__ import annotations

import time
from typing import Any

from backend.connectors.base import Rejected
from backend.connectors.shops import account_platform, resolve_accounts
from backend.core.errors import ErrorItem, InvalidInput, NonRetryableError
from backend.core.messages import message
from backend.domain.shops import store_key
from backend.workflows.common.together import together
from backend.workflows.context import WorkflowContext

__all__ = ["run_for_order", "is_stock_event"]

_TAKES = ("order.created", "order.paid")
_GIVES = ("order.cancelled",)
_MAX_REWRITES = 5


def is_stock_event(inputs: dict[str, Any]) -> bool:
    """Was this run started by an order event (a stock change of one order)?"""
    event = inputs.get("event")
    return isinstance(event, dict) and str(event.get("kind")) in _TAKES + _GIVES


def _order_ref(ctx: WorkflowContext) -> tuple[str, str, dict[str, Any]]:
    data = dict(ctx.inputs["event"].get("data") or {})
    platform, order_id = str(data.get("platform") or ""), str(data.get("order_id") or "")
    if not platform or not order_id:
        raise InvalidInput([ErrorItem("inputs.event.data", "an order event needs platform "
                                      "and order_id")])
    return platform, order_id, data


async def _items(ctx: WorkflowContext, platform: str, order_id: str,
                 data: dict[str, Any]) -> list[dict[str, Any]]:  # fmt: skip
    raw = data.get("items")
    if not isinstance(raw, list) or not raw:
        raw = list((await ctx.platforms.crm().order(platform=platform, order_id=order_id)).items)
    merged: dict[str, int] = {}
    for item in raw:
        if not isinstance(item, dict) or not item.get("sku"):
            raise InvalidInput([ErrorItem("inputs.event.data.items", "each item needs a sku")])
        sku = str(item["sku"])
        merged[sku] = merged.get(sku, 0) + max(1, int(item.get("qty") or 1))
    return [{"sku": sku, "qty": qty} for sku, qty in merged.items()]


async def _seed_unknown(ctx: WorkflowContext, platform: str, items: list[dict[str, Any]]) -> None:
    """Start counting SKUs seen for the first time at the back office's shelf count, or,
    without one, at what the order's marketplace shows plus what this order took there."""
    skus = [i["sku"] for i in items]
    unknown = [s for s in skus if s not in await ctx.tools.stock.known(skus)]
    if not unknown:
        return
    shelf = await ctx.platforms.inventory().products(unknown)
    counts: dict[str, int] = {}
    for item in items:
        sku = item["sku"]
        if sku not in unknown:
            continue
        known = shelf.get(sku)
        if known is not None and known.stock is not None:
            counts[sku] = known.stock
            continue
        listing = await ctx.platforms.catalog(platform).get_listing(sku)
        counts[sku] = int((listing.stock if listing else 0) or 0) + int(item["qty"])
    await ctx.tools.stock.seed(counts)


async def claim_step(ctx: WorkflowContext) -> dict[str, Any]:
    """The order's units taken off (or, cancelled, given back to) the shop's count."""
    platform, order_id, data = _order_ref(ctx)
    items = await _items(ctx, platform, order_id, data)
    kind = str(ctx.inputs["event"]["kind"])
    claims = []
    if kind in _GIVES:
        for item in items:
            back = await ctx.tools.stock.give_back(key=f"{platform}:{order_id}:{item['sku']}",
                                                   sku=item["sku"])  # fmt: skip
            claims.append({"sku": item["sku"], "qty": item["qty"],
                           "outcome": back.outcome if back else "nothing_taken"})
        return {"platform": platform, "order_id": order_id, "claims": claims, "short": False}
    await _seed_unknown(ctx, platform, items)
    for item in items:
        claim = await ctx.tools.stock.take(key=f"{platform}:{order_id}:{item['sku']}",
                                           sku=item["sku"], qty=item["qty"])  # fmt: skip
        claims.append({"sku": claim.sku, "qty": claim.qty, "outcome": claim.outcome,
                       "available": claim.level.available})
    short = any(c["outcome"] == "short" for c in claims)
    return {"platform": platform, "order_id": order_id, "claims": claims, "short": short}


async def cancel_step(ctx: WorkflowContext, *, claimed: dict[str, Any]) -> dict[str, Any]:
    """Cancel an order the shop cannot fill, and give back what its other SKUs took."""
    platform, order_id = claimed["platform"], claimed["order_id"]
    for c in claimed["claims"]:
        if c["outcome"] == "taken":
            await ctx.tools.stock.give_back(key=f"{platform}:{order_id}:{c['sku']}", sku=c["sku"])
    conn = ctx.platforms.catalog(platform)
    cancel = getattr(conn, "cancel_order", None)
    if cancel is None:  # no cancel API: the seller must, and is told so
        ctx.log(message("log.stock_oversold", order=order_id, platform=platform), level="error")
        return {"cancelled": False}
    await cancel(order_id, reason="OUT_OF_STOCK",
                 idempotency_key=f"stock:cancel:{platform}:{order_id}")
    ctx.log(message("log.stock_order_cancelled", order=order_id, platform=platform),
            level="warning")
    return {"cancelled": True}


async def _push_one(ctx: WorkflowContext, *, platform: str, account: str, sku: str,
                    safety: int) -> dict[str, Any]:  # fmt: skip
    """Write the SKU's latest count in one shop, again while the count moves."""
    conn = ctx.platforms.catalog(platform, account=account)
    level = await ctx.tools.stock.level(sku)
    for _ in range(_MAX_REWRITES):
        stock = max(0, level.available - safety)
        try:
            # The run in the key: another run's write of the same count may have been
            # undone since (a cancelled order's units given back on its marketplace).
            key = f"stock:{sku}:v{level.version}:{platform}:{account}:{ctx.run_id}"
            await conn.update_stock(sku, stock, idempotency_key=key)
        except Rejected as exc:  # not listed there, or stock kept per variant
            return {"platform": platform, "account": account, "sku": sku, "written": False,
                    "error": str(exc)[:200]}
        now = await ctx.tools.stock.level(sku)
        if now.version == level.version:
            break
        level = now
    return {"platform": platform, "account": account, "sku": sku, "written": True,
            "stock": stock, "at": time.time()}


async def push_step(ctx: WorkflowContext, *, claimed: dict[str, Any]) -> dict[str, Any]:
    """Every SKU of the order at its count now, in every shop of every platform at once."""
    platforms = list(dict.fromkeys([*(ctx.inputs.get("platforms") or []), claimed["platform"]]))
    named = ctx.inputs.get("accounts") or {}
    shops = [(p, a) for p in platforms
             for a in resolve_accounts(p, named.get(p, named.get(account_platform(p))))]
    safety = int((ctx.inputs.get("inventory") or {}).get("safety_stock", 0))
    skus = [c["sku"] for c in claimed["claims"]]
    pushed = await together(_push_one(ctx, platform=p, account=a, sku=s, safety=safety)
                            for s in skus for p, a in shops)  # fmt: skip
    written = [p for p in pushed if p["written"]]
    skipped = {f"{store_key(p['platform'], p['account'])}:{p['sku']}": p["error"]
               for p in pushed if not p["written"]}
    if not written and pushed:
        raise NonRetryableError(f"no platform took the stock: {skipped}")
    return {"written": len(written), "skipped": skipped,
            "last_write_at": max((p["at"] for p in written), default=None)}


async def run_for_order(ctx: WorkflowContext) -> dict[str, Any]:
    """The catalog workflow for a run an order event started."""
    claimed = await ctx.step("claim", lambda: claim_step(ctx))
    cancelled = {"cancelled": False}
    if claimed["short"]:
        cancelled = await ctx.step("cancel", lambda: cancel_step(ctx, claimed=claimed))
    pushed = await ctx.step("push", lambda: push_step(ctx, claimed=claimed))
    await ctx.progress(1.0, None, message("progress.stock_synced", skus=len(claimed["claims"]),
                                          written=pushed["written"]))
    return {"order_id": claimed["order_id"], "platform": claimed["platform"],
            "claims": claimed["claims"], "oversold": claimed["short"], **cancelled, **pushed}
