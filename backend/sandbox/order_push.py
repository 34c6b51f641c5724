"""Orders that happen on the sandbox's marketplaces, pushed the way the platforms push.

    POST /_admin/orders {"platform", "order_id", "status": "UNPAID" | "READY_TO_SHIP" | ...,
                         "shop_id"?, "customer_id"?, "items"?: [{"sku", "qty"}]}

records the order on that marketplace (sandbox.shop_orders: a new order takes its units
off the listing, 409 ``out_of_stock`` when it holds too few) and, for Shopee and TikTok
Shop, delivers one order status push to the platform's webhook URL (``POST /_admin/webhooks
{"shopee": url, "tiktok_shop": url}``; a served sandbox sends to the app's
``/webhooks/shopee`` and ``/webhooks/tiktok_shop`` at PUBLIC_URL) and answers with the
receiver's status and body (no URL set: nothing is pushed). The shapes and signatures
are the platforms':

* Shopee push (Open Platform v2, push code 3 "order status update"):
  ``{"data": {"ordersn", "status", "completed_scenario", "update_time"}, "shop_id",
  "code": 3, "timestamp"}`` with ``Authorization: hex(HMAC-SHA256(partner_key,
  "<callback url>|<body>"))``;
* TikTok Shop webhook (type 1, ORDER_STATUS_CHANGE): ``{"type": 1,
  "tts_notification_id", "shop_id", "timestamp", "data": {"order_id", "order_status",
  "update_time", "is_on_hold_order"}}`` with ``Authorization: hex(HMAC-SHA256(app_secret,
  app_key + body))``.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from typing import Any

import aiohttp
import orjson
from aiohttp import web

from backend.sandbox import shop, shop_orders
from backend.sandbox.credentials import CREDENTIALS, SHOPS
from backend.sandbox.platform import STATE_KEY, json_response

__all__ = ["shopee_push", "tiktok_webhook", "register", "PLATFORMS"]

PLATFORMS = ("shopee", "tiktok_shop")  # the marketplaces that push order changes
_DEFAULT_SHOP = {"shopee": str(CREDENTIALS["shopee"]["shop_id"]),
                 "tiktok_shop": "7494000000000000001"}  # fmt: skip


def shopee_push(*, url: str, order_id: str, status: str, shop_id: int | None = None,
                now: int, partner_key: str | None = None) -> tuple[bytes, dict[str, str]]:
    """Shopee's order status push to ``url``: (body, headers)."""
    creds = CREDENTIALS["shopee"]
    body = orjson.dumps({
        "data": {"ordersn": order_id, "status": status, "completed_scenario": "",
                 "update_time": now},
        "shop_id": shop_id if shop_id is not None else creds["shop_id"],
        "code": 3, "timestamp": now})  # fmt: skip
    key = partner_key or str(creds["partner_key"])
    signature = hmac.new(key.encode(), url.encode() + b"|" + body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "Authorization": signature}


def tiktok_webhook(*, order_id: str, status: str, shop_id: str | None = None, now: int,
                   app_secret: str | None = None) -> tuple[bytes, dict[str, str]]:
    """TikTok Shop's ORDER_STATUS_CHANGE webhook: (body, headers)."""
    creds = CREDENTIALS["tiktok_shop"]
    body = orjson.dumps({
        "type": 1, "tts_notification_id": uuid.uuid4().hex[:19],
        "shop_id": shop_id or "7494000000000000001", "timestamp": now,
        "data": {"order_id": order_id, "order_status": status, "update_time": now,
                 "is_on_hold_order": status == "ON_HOLD"}})  # fmt: skip
    secret = app_secret or str(creds["app_secret"])
    signature = hmac.new(secret.encode(), str(creds["app_key"]).encode() + body,
                         hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "Authorization": signature}


def _order_body(body: dict[str, Any]) -> tuple[str, str, str]:
    platform = body.get("platform")
    if platform not in shop.SEEDED_COUNT:
        raise web.HTTPBadRequest(text=f"platform must be one of {', '.join(shop.SEEDED_COUNT)}")
    order_id, status = str(body.get("order_id") or ""), str(body.get("status") or "")
    if not order_id or not status:
        raise web.HTTPBadRequest(text="order_id and status are required")
    return str(platform), order_id, status


async def push_order(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    try:
        data = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="body must be JSON") from None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="body must be a JSON object")
    platform, order_id, status = _order_body(data)
    url = state.platform_webhooks.get(platform)
    shop_id = data.get("shop_id")
    try:
        shop_orders.apply_status(
            state, platform=platform, order_id=order_id, status=status,
            shop_id=str(shop_id or _DEFAULT_SHOP.get(platform, "")),
            customer_id=data.get("customer_id"), items=data.get("items"))  # fmt: skip
    except shop_orders.OutOfStock as refused:
        return json_response({"error": "out_of_stock", "sku": refused.sku,
                              "stock": refused.stock}, status=409)  # fmt: skip
    except (ValueError, TypeError, AttributeError) as bad:
        raise web.HTTPBadRequest(text=f"items: {bad}") from None
    if platform not in PLATFORMS or url is None:  # no push API, or no app subscribed
        return json_response({"order": shop_orders.order_of(state, platform, order_id),
                              "pushed": False})  # fmt: skip
    now = int(state.now())
    if platform == "shopee":
        body, headers = shopee_push(url=url, order_id=order_id, status=status, now=now,
                                    shop_id=shop_id)
    else:
        body, headers = tiktok_webhook(order_id=order_id, status=status, now=now,
                                       shop_id=shop_id)
    order = shop_orders.order_of(state, platform, order_id)
    timeout = aiohttp.ClientTimeout(total=10)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.post(url, data=body, headers=headers) as answer:
                text = await answer.text()
    except (aiohttp.ClientError, TimeoutError) as exc:  # the order stands; the push failed
        state.counters.webhooks["failed"] += 1
        return json_response({"url": url, "error": type(exc).__name__, "order": order,
                              "pushed": False}, status=502)  # fmt: skip
    state.counters.webhooks["delivered" if answer.status < 300 else "failed"] += 1
    return json_response({"url": url, "status": answer.status, "answer": text,
                          "order": order, "pushed": True})  # fmt: skip


async def shelf(request: web.Request) -> web.Response:
    """``POST /_admin/listings/stock {"sku", "stock", "platforms"?}``: put ``stock`` units
    on the SKU's listings (every platform listing it by default), as the seller did by
    hand; not a client write (not counted)."""
    state = request.app[STATE_KEY]
    data = await request.json()
    sku, stock = str(data.get("sku") or ""), data.get("stock")
    if not sku or not isinstance(stock, int) or stock < 0:
        raise web.HTTPBadRequest(text="sku and stock (>= 0) are required")
    platforms = data.get("platforms") or list(shop.SEEDED_COUNT)
    done = {}
    for platform in platforms:
        current = shop.listing(state, str(platform), sku)
        if current is not None:
            done[platform] = shop.adjust_stock(state, str(platform), sku,
                                               stock - int(current.get("stock") or 0))
    return json_response({"sku": sku, "stock": done})


async def stock_of(request: web.Request) -> web.Response:
    """``GET /_admin/listings/stock?sku=``: the SKU's stock on every platform listing it
    (a second shop as ``shopee@toko-b``), and the client writes of it (``history``:
    platform, stock, at)."""
    state = request.app[STATE_KEY]
    sku = request.query.get("sku", "")
    stores = [*shop.SEEDED_COUNT, *(shop.store(p, name) for p, shops in SHOPS.items()
                                    for name in shops)]  # fmt: skip
    stock = {p: (shop.listing(state, p, sku) or {}).get("stock") for p in stores}
    history = [h for h in state.stock_history if not sku or h["sku"] == sku]
    return json_response({"sku": sku, "stock": {p: s for p, s in stock.items() if s is not None},
                          "history": history[-20000:]})  # fmt: skip


async def order_book(request: web.Request) -> web.Response:
    """``GET /_admin/orders``: every order placed on the sandbox's marketplaces."""
    state = request.app[STATE_KEY]
    orders = [shop_orders.order_of(state, p, o) for p, o in state.orders]
    return json_response({"count": len(orders), "orders": orders})


def register(app: web.Application) -> None:
    app.router.add_post("/_admin/orders", push_order)
    app.router.add_get("/_admin/orders", order_book)
    app.router.add_post("/_admin/listings/stock", shelf)
    app.router.add_get("/_admin/listings/stock", stock_of)
