"""Orders placed on the sandbox's marketplaces: who bought what, in which state.

An order is placed when the platform first hears of it (any status but CANCELLED): each
item's listing on that platform loses the units sold, and an order for more than a
listing holds is refused (the platform shows the listing out of stock; nothing changes).
A placed order that is cancelled gives its units back to that listing. The shop's CRM
(``GET /crm/api/v1/orders/{platform}/{order_id}``) reads these orders, as an order
management system that sees every channel does.

An order given without buyer or items gets them from its id (the same id, the same
buyer and product), so a bare ``{"platform", "order_id", "status"}`` is a whole order.
"""

from __future__ import annotations

import zlib
from typing import Any

from backend.sandbox import shop
from backend.sandbox.data.customers import CUSTOMER_COUNT
from backend.sandbox.state import SandboxState

__all__ = ["OutOfStock", "apply_status", "order_of", "normalized_status", "PAID_STATUSES"]

PAID_STATUSES = frozenset({"READY_TO_SHIP", "PROCESSED", "ON_HOLD", "AWAITING_SHIPMENT",
                           "AWAITING_COLLECTION", "PAID"})  # fmt: skip


class OutOfStock(Exception):
    """The listing holds fewer units than the order asks for."""

    def __init__(self, sku: str, *, stock: int, wanted: int) -> None:
        super().__init__(f"{sku}: {stock} in stock, {wanted} ordered")
        self.sku, self.stock, self.wanted = sku, stock, wanted


def normalized_status(raw: str) -> str:
    """unpaid / paid / cancelled / the platform's word in lower case."""
    upper = raw.upper()
    if upper == "UNPAID":
        return "unpaid"
    if upper in PAID_STATUSES:
        return "paid"
    if upper in ("CANCELLED", "CANCELED", "IN_CANCEL"):
        return "cancelled"
    return raw.lower()


def _default_buyer(order_id: str) -> str:
    return f"CUST{zlib.crc32(b'buyer:' + order_id.encode()) % CUSTOMER_COUNT + 1:05d}"


def _default_items(state: SandboxState, platform: str, order_id: str) -> list[dict[str, Any]]:
    skus = shop.listed_skus(state, platform)
    if not skus:
        return []
    sku = skus[zlib.crc32(order_id.encode()) % len(skus)]
    return [{"sku": sku, "qty": 1}]


def _items(state: SandboxState, platform: str, order_id: str,
           given: Any) -> list[dict[str, Any]]:  # fmt: skip
    raw = given if isinstance(given, list) and given else _default_items(state, platform, order_id)
    items = []
    for entry in raw:
        sku, qty = str(entry.get("sku") or ""), int(entry.get("qty") or 1)
        current = shop.listing(state, platform, sku)
        if current is None or qty < 1:
            raise ValueError(f"{sku or '?'} is not listed on {platform}" if current is None
                             else "qty must be at least 1")
        price = entry.get("price", current.get("price"))
        items.append({"sku": sku, "qty": qty, "price": price})
    return items


def _place(state: SandboxState, platform: str, items: list[dict[str, Any]]) -> None:
    """Take the units off the listings, all or none."""
    for item in items:
        stock = int((shop.listing(state, platform, item["sku"]) or {}).get("stock") or 0)
        if stock < item["qty"]:
            raise OutOfStock(item["sku"], stock=stock, wanted=item["qty"])
    for item in items:
        shop.adjust_stock(state, platform, item["sku"], -item["qty"])


def apply_status(state: SandboxState, *, platform: str, order_id: str, status: str,
                 shop_id: str, customer_id: str | None = None,
                 items: Any = None) -> dict[str, Any]:  # fmt: skip
    """Record an order's new status (placing it when new); the order as stored."""
    key = (platform, order_id)
    order = state.orders.get(key)
    now = int(state.now())
    kind = normalized_status(status)
    if order is None:
        placed = _items(state, platform, order_id, items)
        if kind != "cancelled":
            _place(state, platform, placed)
        buyer = customer_id or _default_buyer(order_id)
        order = {"order_id": order_id, "platform": platform, "shop_id": shop_id,
                 "customer_id": buyer, "items": placed,
                 "total": sum(int(i["qty"]) * float(i["price"] or 0) for i in placed),
                 "created_at": now, "placed": kind != "cancelled"}  # fmt: skip
        state.orders[key] = order
    elif kind == "cancelled" and order["placed"] and order["status"] != "cancelled":
        for item in order["items"]:  # the platform gives the units back to its listing
            shop.adjust_stock(state, platform, item["sku"], item["qty"])
    order.update(status=kind, platform_status=status.upper(), updated_at=now)
    return order


def order_of(state: SandboxState, platform: str, order_id: str) -> dict[str, Any] | None:
    """The order as the CRM shows it (None when the platform never had it)."""
    order = state.orders.get((platform, order_id))
    if order is None:
        return None
    return {k: v for k, v in order.items() if k != "placed"}
