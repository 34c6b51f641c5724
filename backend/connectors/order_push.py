"""Marketplace order pushes: Shopee's push mechanism (Open Platform v2) and TikTok
Shop's webhooks, each checked with the platform's own signature and read as order
events (order.created, order.paid, order.cancelled).

Shopee    ``Authorization: hex(HMAC-SHA256(partner_key, "<callback url>|<raw body>"))``;
          an order status push is ``{"code": 3, "shop_id", "timestamp",
          "data": {"ordersn", "status", "update_time", ...}}``.
TikTok    ``Authorization: hex(HMAC-SHA256(app_secret, app_key + raw body))``; an
          order status change is ``{"type": 1, "tts_notification_id", "shop_id",
          "timestamp", "data": {"order_id", "order_status", "update_time"}}``.

A status that is no order event here (SHIPPED, COMPLETED, ...) is read as None: the
push is answered and nothing starts. The event id is the order and the event kind, so
an order is paid once however many pushes say so (TikTok's ON_HOLD then
AWAITING_SHIPMENT, a push the platform repeats).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

__all__ = ["OrderPush", "shopee_push_signature", "valid_shopee_push", "tiktok_signature",
           "valid_tiktok_webhook", "parse_shopee_push", "parse_tiktok_webhook",
           "SHOPEE_EVENTS", "TIKTOK_EVENTS", "LAZADA_EVENTS", "parse_lazada_order"]  # fmt: skip

SHOPEE_ORDER_STATUS_PUSH = 3
TIKTOK_ORDER_STATUS_CHANGE = 1

# READY_TO_SHIP: Shopee has the money (or a COD order is confirmed).
SHOPEE_EVENTS = {"UNPAID": "order.created", "READY_TO_SHIP": "order.paid",
                 "CANCELLED": "order.cancelled"}  # fmt: skip
# ON_HOLD: paid, inside the buyer's cancellation window; AWAITING_SHIPMENT after it.
TIKTOK_EVENTS = {"UNPAID": "order.created", "ON_HOLD": "order.paid",
                 "AWAITING_SHIPMENT": "order.paid", "CANCELLED": "order.cancelled"}  # fmt: skip
# Lazada (read by polling GetOrders): an order seen paid was placed too; the intake
# drops the order.created a poll already reported.
LAZADA_EVENTS = {"unpaid": ("order.created",), "pending": ("order.created", "order.paid"),
                 "canceled": ("order.cancelled",)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class OrderPush:
    """One order status push, as an event."""

    platform: str
    shop_id: str
    order_id: str
    status: str
    kind: str
    update_time: int | None

    @property
    def event_id(self) -> str:
        return f"{self.order_id}:{self.kind}"

    @property
    def source(self) -> str:
        return f"{self.platform}:{self.shop_id}"

    def data(self) -> dict[str, Any]:
        return {"platform": self.platform, "shop_id": self.shop_id, "order_id": self.order_id,
                "status": self.status, "update_time": self.update_time}


def _hex_equal(expected: str, given: str | None) -> bool:
    # bytes: compare_digest refuses str with non-ASCII, and a header may hold anything
    return bool(given) and hmac.compare_digest(
        expected.encode(), str(given).strip().lower().encode("utf-8", "replace"))


def shopee_push_signature(*, partner_key: str, url: str, body: bytes) -> str:
    return hmac.new(partner_key.encode(), url.encode() + b"|" + body,
                    hashlib.sha256).hexdigest()


def valid_shopee_push(*, partner_key: str, urls: set[str], body: bytes,
                      header: str | None) -> bool:
    """Signed over the callback URL as registered with Shopee: any of ``urls``."""
    return any(_hex_equal(shopee_push_signature(partner_key=partner_key, url=u, body=body),
                          header) for u in urls if u)  # fmt: skip


def tiktok_signature(*, app_key: str, app_secret: str, body: bytes) -> str:
    return hmac.new(app_secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()


def valid_tiktok_webhook(*, app_key: str, app_secret: str, body: bytes,
                         header: str | None) -> bool:
    return _hex_equal(tiktok_signature(app_key=app_key, app_secret=app_secret, body=body),
                      header)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_shopee_push(payload: Any) -> OrderPush | None:
    if not isinstance(payload, dict) or _int(payload.get("code")) != SHOPEE_ORDER_STATUS_PUSH:
        return None
    data = payload.get("data")
    if not isinstance(data, dict) or not data.get("ordersn"):
        return None
    status = str(data.get("status") or "").upper()
    kind = SHOPEE_EVENTS.get(status)
    if kind is None:
        return None
    return OrderPush(platform="shopee", shop_id=str(payload.get("shop_id") or ""),
                     order_id=str(data["ordersn"]), status=status, kind=kind,
                     update_time=_int(data.get("update_time")))


def parse_tiktok_webhook(payload: Any) -> OrderPush | None:
    if not isinstance(payload, dict) or _int(payload.get("type")) != TIKTOK_ORDER_STATUS_CHANGE:
        return None
    data = payload.get("data")
    if not isinstance(data, dict) or not data.get("order_id"):
        return None
    status = str(data.get("order_status") or "").upper()
    kind = TIKTOK_EVENTS.get(status)
    if kind is None:
        return None
    return OrderPush(platform="tiktok_shop", shop_id=str(payload.get("shop_id") or ""),
                     order_id=str(data["order_id"]), status=status, kind=kind,
                     update_time=_int(data.get("update_time")))


def parse_lazada_order(raw: Any, *, shop_id: str) -> list[OrderPush]:
    """The events one order of Lazada's GetOrders stands for (none for a status that is
    no order event here)."""
    if not isinstance(raw, dict) or not raw.get("order_id"):
        return []
    status = str((raw.get("statuses") or [""])[0]).lower()
    updated = raw.get("updated_at")
    try:
        from datetime import datetime

        moment = int(datetime.strptime(str(updated), "%Y-%m-%d %H:%M:%S %z").timestamp())
    except ValueError:
        moment = None
    return [OrderPush(platform="lazada", shop_id=shop_id, order_id=str(raw["order_id"]),
                      status=status.upper(), kind=kind, update_time=moment)
            for kind in LAZADA_EVENTS.get(status, ())]  # fmt: skip
