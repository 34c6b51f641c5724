"""Orders that happen on the sandbox's marketplaces, pushed the way the platforms push.

    POST /_admin/orders {"platform": "shopee" | "tiktok_shop", "order_id",
                         "status": "UNPAID" | "READY_TO_SHIP" | ..., "shop_id"?}

delivers one order status push to the platform's webhook URL (``POST /_admin/webhooks
{"shopee": url, "tiktok_shop": url}``; a served sandbox sends to the app's
``/webhooks/shopee`` and ``/webhooks/tiktok_shop`` at PUBLIC_URL) and answers with the
receiver's status and body. The shapes and signatures are the platforms':

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

import aiohttp
import orjson
from aiohttp import web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.platform import STATE_KEY, json_response

__all__ = ["shopee_push", "tiktok_webhook", "register", "PLATFORMS"]

PLATFORMS = ("shopee", "tiktok_shop")


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


async def push_order(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    try:
        data = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="body must be JSON") from None
    platform = data.get("platform") if isinstance(data, dict) else None
    if platform not in PLATFORMS:
        raise web.HTTPBadRequest(text=f"platform must be one of {', '.join(PLATFORMS)}")
    order_id, status = str(data.get("order_id") or ""), str(data.get("status") or "")
    if not order_id or not status:
        raise web.HTTPBadRequest(text="order_id and status are required")
    url = state.platform_webhooks.get(platform)
    if url is None:
        raise web.HTTPConflict(text=f"no webhook URL for {platform} (POST /_admin/webhooks)")
    now = int(state.now())
    if platform == "shopee":
        body, headers = shopee_push(url=url, order_id=order_id, status=status, now=now,
                                    shop_id=data.get("shop_id"))
    else:
        body, headers = tiktok_webhook(order_id=order_id, status=status, now=now,
                                       shop_id=data.get("shop_id"))
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.post(url, data=body, headers=headers) as answer:
            text = await answer.text()
    state.counters.webhooks["delivered" if answer.status < 300 else "failed"] += 1
    return json_response({"url": url, "status": answer.status, "answer": text})


def register(app: web.Application) -> None:
    app.router.add_post("/_admin/orders", push_order)
