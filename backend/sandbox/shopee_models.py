"""Shopee variants: one tier of options (``Size``: S, M, L) and a model per option.

    POST /api/v2/product/init_tier_variation    {item_id, tier_variation, model}
    POST /api/v2/product/update_tier_variation  same body; replaces the options and models
    GET  /api/v2/product/get_model_list?item_id=

``init`` on an item that has variants already is refused, as Shopee refuses it. The real
``update_tier_variation`` changes option names and leaves models to ``add_model``/
``update_model``; here one call replaces both (the sync always sends the whole set).
The item's stock becomes the sum of its models'.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from backend.sandbox import shop
from backend.sandbox.platform import ApiError, endpoint, read_json, state_of
from backend.sandbox.shopee import PREFIX, SHOPEE, _int, _ok, _shop_auth, _sku_for

__all__ = ["apply_to_models", "register"]


def _models(body: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    tiers = body.get("tier_variation")
    if not isinstance(tiers, list) or len(tiers) != 1 or not isinstance(tiers[0], dict):
        raise ApiError("bad_request", "tier_variation must hold one tier.")
    options = [str(o.get("option") or "") for o in tiers[0].get("option_list") or []]
    if not tiers[0].get("name") or not options or not all(options):
        raise ApiError("bad_request", "tier_variation needs a name and named options.")
    models = body.get("model")
    if not isinstance(models, list) or len(models) != len(options):
        raise ApiError("bad_request", "model must have one entry per option.")
    out, seen = [], set()
    for m in models:
        index = (m.get("tier_index") or [None])[0] if isinstance(m, dict) else None
        if not isinstance(index, int) or not 0 <= index < len(options) or index in seen:
            raise ApiError("bad_request", "model.tier_index must name each option once.")
        seen.add(index)
        price = m.get("original_price")
        if not isinstance(price, int | float) or price <= 0 or not m.get("model_sku"):
            raise ApiError("bad_request", "model needs model_sku and a positive original_price.")
        stock = (m.get("seller_stock") or [{}])[0].get("stock")
        out.append({"model_id": 1000 + index, "tier_index": [index], "model_sku":
                    str(m["model_sku"]), "price": price, "stock": int(stock or 0)})  # fmt: skip
    tier = [{"name": str(tiers[0]["name"]), "option_list": [{"option": o} for o in options]}]
    return tier, sorted(out, key=lambda x: x["tier_index"][0])


async def _write(request: web.Request, store: str, *, first: bool) -> web.Response:
    body = await read_json(request)
    sku = _sku_for(request, body, store)
    state = state_of(request)
    current = shop.listing(state, store, sku) or {}
    if first and current.get("models"):
        raise ApiError("bad_request", "Tier variation already exists; use update.")
    if not first and not current.get("models"):
        raise ApiError("bad_request", "Item has no tier variation; use init.")
    tier, models = _models(body)
    shop.set_variants(state, store, sku, {"tier_variation": tier, "models": models,
                                          "stock": sum(m["stock"] for m in models)})  # fmt: skip
    return _ok({"item_id": _int(body.get("item_id"), "item_id"), "tier_variation": tier,
                "model": [{"model_id": m["model_id"], "tier_index": m["tier_index"],
                           "model_sku": m["model_sku"]} for m in models]})  # fmt: skip


@endpoint(SHOPEE, "product.init_tier_variation", auth=_shop_auth, mutating=True)
async def init_tier_variation(request: web.Request, account: str) -> web.Response:
    return await _write(request, account, first=True)


@endpoint(SHOPEE, "product.update_tier_variation", auth=_shop_auth, mutating=True)
async def update_tier_variation(request: web.Request, account: str) -> web.Response:
    return await _write(request, account, first=False)


@endpoint(SHOPEE, "product.get_model_list", auth=_shop_auth)
async def get_model_list(request: web.Request, account: str) -> web.Response:
    sku = _sku_for(request, {"item_id": request.query.get("item_id")}, account)
    listing = shop.listing(state_of(request), account, sku) or {}
    return _ok({
        "tier_variation": listing.get("tier_variation") or [],
        "model": [{"model_id": m["model_id"], "tier_index": m["tier_index"],
                   "model_sku": m["model_sku"],
                   "price_info": [{"currency": "IDR", "original_price": m["price"],
                                   "current_price": m["price"]}],
                   "stock_info_v2": {"summary_info": {"total_available_stock": m["stock"]}}}
                  for m in listing.get("models") or []],
    })  # fmt: skip


def apply_to_models(state: Any, sku: str, entries: list[dict[str, Any]], *,
                    field: str, store: str = "shopee"
                    ) -> tuple[list[dict[str, Any]] | None, list[dict[str, Any]]]:
    """Set the ``price`` or ``stock`` of the models that ``entries`` name by ``model_id``
    (update_price / update_stock on an item with variants). Returns ``(None, [])`` for an
    item without variants (its ``model_id`` 0 is the item itself), else the success and
    failure lists: model 0, or a model the item does not have, fails by itself, as on
    Shopee. The item's price becomes its cheapest model's, its stock their sum."""
    models = (shop.listing(state, store, sku) or {}).get("models")
    if not models:
        return None, []
    key = "original_price" if field == "price" else "stock"
    by_id = {m["model_id"]: dict(m) for m in models}
    done, failed = [], []
    for entry in entries:
        model_id = entry.get("model_id")
        if model_id not in by_id:
            reason = ("Item has variations: give each model_id (0 is for an item without)."
                      if not model_id else "Model not found.")
            failed.append({"model_id": model_id, "failed_reason": reason})
            continue
        by_id[model_id][field] = entry[key]
        done.append({"model_id": model_id, key: entry[key]})
    if done:
        changed = sorted(by_id.values(), key=lambda m: m["tier_index"][0])
        shop.replace_models(state, store, sku, changed)
        if field == "price":
            shop.set_price(state, store, sku, min(m["price"] for m in changed))
        else:
            shop.set_stock(state, store, sku, sum(m["stock"] for m in changed))
    return done, failed


def register(app: web.Application) -> None:
    p = PREFIX + "/api/v2/product"
    app.router.add_post(p + "/init_tier_variation", init_tier_variation)
    app.router.add_post(p + "/update_tier_variation", update_tier_variation)
    app.router.add_get(p + "/get_model_list", get_model_list)
