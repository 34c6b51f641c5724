"""Shopee Open Platform v2 under ``/shopee/api/v2/...``.

Every call carries ``partner_id``, ``timestamp`` (within 5 minutes) and ``sign`` =
hex(HMAC-SHA256(partner_key, partner_id + path + timestamp [+ access_token + shop_id]))
where ``path`` is the API path (``/api/v2/product/update_price``) without the sandbox's
``/shopee`` prefix. Shop calls add ``access_token`` and ``shop_id``. Tokens expire
(``expire_in`` 4 h); ``/api/v2/auth/access_token/get`` refreshes them.

Success: ``{"request_id", "error": "", "message": "", "response": {...}}``.
Errors: ``{"request_id", "error", "message"}``, with the HTTP status Shopee gives each
kind (clients such as pyshopee2 read only the status of a refusal):

* the gateway's refusals of who is calling are 403: ``error_sign`` (wrong sign),
  ``error_auth`` (partner, shop), ``invalid_acceess_token`` (sic, Shopee's spelling);
* a path the platform does not have is 404 ``error_not_found``;
* a call the API took but refused is HTTP 200 with the error in the body:
  ``error_param`` (a missing or wrong parameter) and the module's own errors, e.g.
  ``product.error_item_not_found``;
* over the limit 429 ``error_too_many_request`` (with Retry-After); 5xx ``error_server``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from typing import Any

from aiohttp import web

from backend.sandbox import shop, shop_orders
from backend.sandbox.credentials import (
    CREDENTIALS,
    DEFAULT_SHOP,
    shop_credentials,
    shop_names,
)
from backend.sandbox.data.categories import PLATFORM_CATEGORIES
from backend.sandbox.platform import (
    ApiError,
    Platform,
    check_token,
    endpoint,
    error_response,
    json_response,
    read_json,
    state_of,
)
from backend.sandbox.uploads import store_upload

__all__ = ["register", "SHOPEE", "PREFIX"]

PREFIX = "/shopee"
_ERRORS = {
    "auth": (403, "error_auth", "Invalid access_token or partner."),
    "expired": (403, "invalid_acceess_token", "Invalid access_token."),
    "rate_limited": (429, "error_too_many_request", "Too many requests, please try later."),
    # Refusals of a call the API took come back as HTTP 200, the error in the body.
    "bad_request": (200, "error_param", "Invalid parameter."),
    "not_found": (200, "product.error_item_not_found", "Item not found."),
    "forbidden": (403, "error_sign", "Wrong sign."),
    "server": (500, "error_server", "Something wrong. Please try later."),
}


def _render(err: ApiError) -> web.Response:
    status, code, default = _ERRORS[err.kind]
    body = {
        "request_id": uuid.uuid4().hex,
        "error": err.code or code,
        "message": err.message if err.message != err.kind else default,
    }
    return error_response(err, body, status=err.status or status)


SHOPEE = Platform("shopee", _render)


def _ok(response: dict[str, Any]) -> web.Response:
    return json_response(
        {"request_id": uuid.uuid4().hex, "error": "", "message": "", "response": response}
    )


def _verify(request: web.Request, *, shop_level: bool) -> str:
    creds = CREDENTIALS["shopee"]
    q = request.query
    for name in ("partner_id", "timestamp", "sign") + (
        ("access_token", "shop_id") if shop_level else ()
    ):
        if not q.get(name):
            raise ApiError("bad_request", f"There is no {name} in query.")
    if q["partner_id"] != str(creds["partner_id"]):
        raise ApiError("auth", "Invalid partner_id.")
    if not q["timestamp"].isdigit() or abs(time.time() - int(q["timestamp"])) > 300:
        raise ApiError("bad_request", "Timestamp is expired.", status=403)
    path = request.path[len(PREFIX) :]
    base = f"{q['partner_id']}{path}{q['timestamp']}"
    if shop_level:
        base += f"{q['access_token']}{q['shop_id']}"
    expected = hmac.new(creds["partner_key"].encode(), base.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, q["sign"]):
        raise ApiError("forbidden", "Wrong sign.")
    if shop_level:
        name = _shop_named(q["shop_id"])
        check_token(request, "shopee", q["access_token"])
        if state_of(request).tokens.shop_of(q["access_token"]) != name:
            raise ApiError("auth", "Invalid access_token for this shop.")
        return shop.store("shopee", name)
    return q["partner_id"]


def _shop_named(shop_id: str) -> str:
    """Which of the partner's shops ``shop_id`` is (each shop has its own tokens)."""
    for name in shop_names("shopee"):
        creds = shop_credentials("shopee", name) or {}
        if shop_id == str(creds.get("shop_id")):
            return name
    raise ApiError("auth", "Invalid shop_id.")


async def _shop_auth(request: web.Request) -> str:
    return _verify(request, shop_level=True)


async def _public_auth(request: web.Request) -> str:
    return _verify(request, shop_level=False)


def _token_reply(request: web.Request, *, shop_name: str = DEFAULT_SHOP) -> web.Response:
    state = state_of(request)
    access, refresh = state.tokens.issue("shopee", now=state.now(), shop=shop_name)
    return json_response(
        {
            "request_id": uuid.uuid4().hex,
            "error": "",
            "message": "",
            "access_token": access,
            "refresh_token": refresh,
            "expire_in": int(state.tokens.ttl_sec),
        }
    )


@endpoint(SHOPEE, "auth.token_get", auth=_public_auth)
async def token_get(request: web.Request, account: str) -> web.Response:
    body = await read_json(request)
    if body.get("code") != CREDENTIALS["shopee"]["auth_code"]:
        raise ApiError("auth", "Invalid code.")
    return _token_reply(request)


@endpoint(SHOPEE, "auth.access_token_get", auth=_public_auth)
async def access_token_get(request: web.Request, account: str) -> web.Response:
    body = await read_json(request)
    tokens = state_of(request).tokens
    if tokens.refresh.get(str(body.get("refresh_token"))) != "shopee":
        raise ApiError("auth", "Invalid refresh_token.")
    return _token_reply(request, shop_name=tokens.shop_of(str(body["refresh_token"])))


def _item(listing: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {
        "item_id": listing["item_id"],
        "item_sku": listing["sku"],
        "item_name": listing["title"],
        "description": listing.get("description", ""),
        "item_status": "NORMAL" if listing.get("status") == "active" else "UNLIST",
        "price_info": [
            {
                "currency": "IDR",
                "original_price": listing["price"],
                "current_price": listing["price"],
            }
        ],
        "stock_info_v2": {"summary_info": {"total_available_stock": listing.get("stock", 0)}},
        "image": {
            "image_url_list": [
                base_url + p if p.startswith("/") else p for p in listing.get("images", [])
            ]
        },
        "weight": str(round(listing.get("weight_g", 500) / 1000, 3)),
        "update_time": listing.get("updated_at", 0),
        "category_id": int(listing["category_id"]) if listing.get("category_id") else 0,
        "has_model": bool(listing.get("models")),
    }


def _base(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def _int(value: Any, name: str, default: int | None = None) -> int:
    if value in (None, "") and default is not None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError("bad_request", f"Wrong parameter {name}.") from None


@endpoint(SHOPEE, "product.get_item_list", auth=_shop_auth)
async def get_item_list(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    offset = _int(request.query.get("offset"), "offset", 0)
    size = _int(request.query.get("page_size"), "page_size", 20)
    if not 1 <= size <= 100:
        raise ApiError("bad_request", "page_size should be between 1 and 100.")
    skus = shop.listed_skus(state, account)
    page = [shop.listing(state, account, s) for s in skus[offset : offset + size]]
    items = [
        {"item_id": x["item_id"], "item_status": "NORMAL", "update_time": x["updated_at"]}
        for x in page
        if x
    ]
    more = offset + size < len(skus)
    return _ok(
        {
            "item": items,
            "total_count": len(skus),
            "has_next_page": more,
            "next_offset": offset + size if more else len(skus),
        }
    )


@endpoint(SHOPEE, "product.get_item_base_info", auth=_shop_auth)
async def get_item_base_info(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    ids = [_int(x, "item_id_list") for x in request.query.get("item_id_list", "").split(",") if x]
    if not 1 <= len(ids) <= 50:
        raise ApiError("bad_request", "item_id_list should have 1 to 50 ids.")
    out = []
    for item_id in ids:
        sku = shop.sku_of_item(state, account, item_id)
        found = shop.listing(state, account, sku) if sku else None
        if found:
            out.append(_item(found, _base(request)))
    if not out:  # none of them exists: the module's error (some missing: left out)
        raise ApiError("not_found", "item not found")
    return _ok({"item_list": out})


@endpoint(SHOPEE, "product.search_item", auth=_shop_auth)
async def search_item(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    sku = request.query.get("item_sku", "")
    found = shop.listing(state, account, sku) if sku else None
    return _ok(
        {"item_id_list": [found["item_id"]] if found else [], "total_count": 1 if found else 0}
    )


def _sku_for(request: web.Request, body: dict[str, Any], store: str) -> str:
    sku = shop.sku_of_item(state_of(request), store, _int(body.get("item_id"), "item_id"))
    if sku is None:
        raise ApiError("not_found", "Item not found.")
    return sku


@endpoint(SHOPEE, "product.update_price", auth=_shop_auth, mutating=True)
async def update_price(request: web.Request, account: str) -> web.Response:
    body = await read_json(request)
    sku = _sku_for(request, body, account)
    prices = body.get("price_list") or []
    if not prices or not all(isinstance(p, dict) and "original_price" in p for p in prices):
        raise ApiError("bad_request", "price_list.original_price is required.")
    for entry in prices:
        price = entry["original_price"]
        if not isinstance(price, int | float) or price <= 0:
            raise ApiError("bad_request", "original_price must be positive.")
    from backend.sandbox.shopee_models import apply_to_models  # it imports this module

    state = state_of(request)
    done, failed = apply_to_models(state, sku, prices, field="price", store=account)
    if done is None:  # an item without variants: model_id 0 is the item itself
        price = prices[0]["original_price"]
        shop.set_price(state, account, sku, price)
        done = [{"model_id": 0, "original_price": price}]
    return _ok({"success_list": done, "failure_list": failed})


@endpoint(SHOPEE, "product.update_stock", auth=_shop_auth, mutating=True)
async def update_stock(request: web.Request, account: str) -> web.Response:
    body = await read_json(request)
    sku = _sku_for(request, body, account)
    entries = body.get("stock_list") or []
    try:
        stocks = [{"model_id": e.get("model_id", 0), "stock": int(e["seller_stock"][0]["stock"])}
                  for e in entries]  # fmt: skip
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        raise ApiError("bad_request", "stock_list.seller_stock.stock is required.") from None
    if not stocks:
        raise ApiError("bad_request", "stock_list.seller_stock.stock is required.")
    from backend.sandbox.shopee_models import apply_to_models  # it imports this module

    state = state_of(request)
    done, failed = apply_to_models(state, sku, stocks, field="stock", store=account)
    if done is None:
        shop.set_stock(state, account, sku, stocks[0]["stock"])
        done = [{"model_id": 0, "stock": stocks[0]["stock"]}]
    return _ok({"success_list": done, "failure_list": failed})


@endpoint(SHOPEE, "order.cancel_order", auth=_shop_auth, mutating=True)
async def cancel_order(request: web.Request, account: str) -> web.Response:
    """v2.order.cancel_order: the seller cancels an order it cannot fill; its units go
    back to the listing (sandbox.shop_orders)."""
    body = await read_json(request)
    order_sn, reason = str(body.get("order_sn") or ""), str(body.get("cancel_reason") or "")
    if reason not in ("OUT_OF_STOCK", "UNDELIVERABLE_AREA"):
        raise ApiError("bad_request", "cancel_reason must be OUT_OF_STOCK or "
                       "UNDELIVERABLE_AREA.")
    state = state_of(request)
    if shop_orders.order_of(state, "shopee", order_sn) is None:
        raise ApiError("bad_request", f"order_sn {order_sn} not found.", code="error_not_found")
    shop_orders.apply_status(state, platform="shopee", order_id=order_sn, status="CANCELLED",
                             shop_id="")
    return _ok({"update_time": int(state.now())})


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    stock = body.get("seller_stock") or [{}]
    category = body.get("category_id")
    if category is not None and str(category) not in PLATFORM_CATEGORIES["shopee"]:
        raise ApiError("bad_request", f"category_id {category} is not a leaf category.")
    return {
        "category_id": str(category) if category is not None else None,
        "title": body.get("item_name"),
        "description": body.get("description"),
        "price": body.get("original_price"),
        "stock": stock[0].get("stock") if isinstance(stock[0], dict) else None,
        "images": (body.get("image") or {}).get("image_url_list")
        or (body.get("image") or {}).get("image_id_list"),
        "weight_g": int(float(body["weight"]) * 1000) if body.get("weight") else None,
    }


@endpoint(SHOPEE, "product.add_item", auth=_shop_auth, mutating=True)
async def add_item(request: web.Request, account: str) -> web.Response:
    body = await read_json(request)
    sku = str(body.get("item_sku") or "")
    for name in ("item_sku", "item_name", "original_price"):
        if not body.get(name):
            raise ApiError("bad_request", f"{name} is required.")
    listing, created = shop.upsert(state_of(request), account, sku, _fields(body))
    warning = "" if created else "item_sku already listed; item updated"
    return _ok(
        {
            "item_id": listing["item_id"],
            "item_sku": sku,
            "warning": warning,
            **_item(listing, _base(request)),
        }
    )


@endpoint(SHOPEE, "product.update_item", auth=_shop_auth, mutating=True)
async def update_item(request: web.Request, account: str) -> web.Response:
    body = await read_json(request)
    sku = _sku_for(request, body, account)
    listing, _ = shop.upsert(state_of(request), account, sku, _fields(body))
    return _ok(_item(listing, _base(request)))


@endpoint(SHOPEE, "media_space.upload_image", auth=_public_auth, mutating=True)
async def upload_image(request: web.Request, account: str) -> web.Response:
    info = await store_upload(request, platform="shopee", field="image")
    return _ok(
        {
            "image_info": {
                "image_id": info["id"],
                "image_url_list": [{"image_url_region": "ID", "image_url": info["url"]}],
            }
        }
    )


@endpoint(SHOPEE, "shop.get_shop_info", auth=_shop_auth)
async def get_shop_info(request: web.Request, account: str) -> web.Response:
    return json_response(
        {
            "request_id": uuid.uuid4().hex,
            "error": "",
            "message": "",
            "shop_name": "SPIO Official Store" if account == "shopee" else "SPIO Toko B",
            "region": "ID",
            "status": "NORMAL",
            "is_cb": False,
        }
    )


async def _no_such_path(request: web.Request) -> web.Response:
    return _render(ApiError("not_found", "Invalid path.", status=404, code="error_not_found"))


def register(app: web.Application) -> None:
    r = app.router
    p = PREFIX + "/api/v2"
    r.add_post(p + "/auth/token/get", token_get)
    r.add_post(p + "/auth/access_token/get", access_token_get)
    r.add_get(p + "/product/get_item_list", get_item_list)
    r.add_get(p + "/product/get_item_base_info", get_item_base_info)
    r.add_get(p + "/product/search_item", search_item)
    r.add_post(p + "/product/update_price", update_price)
    r.add_post(p + "/product/update_stock", update_stock)
    r.add_post(p + "/order/cancel_order", cancel_order)
    r.add_post(p + "/product/add_item", add_item)
    r.add_post(p + "/product/update_item", update_item)
    r.add_post(p + "/media_space/upload_image", upload_image)
    r.add_get(p + "/shop/get_shop_info", get_shop_info)
    from backend.sandbox import shopee_models  # its endpoints use this module's helpers

    shopee_models.register(app)
    r.add_route("*", p + "/{tail:.*}", _no_such_path)  # after every real path
