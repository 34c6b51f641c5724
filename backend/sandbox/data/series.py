"""Daily business data for 90 days: orders per marketplace, shop stats, CRM metrics.

A day's orders are a pure function of (seed, platform, date): regenerated identically
on demand and cached, so 90 days x 6 channels (~400,000 orders, several million data
points) cost nothing until asked for.
"""

from __future__ import annotations

import functools
import itertools
import math
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backend.sandbox.data.catalog import products
from backend.sandbox.data.customers import CUSTOMER_COUNT
from backend.sandbox.data.rng import rng_for, unit
from backend.sandbox.data.words import CITIES

__all__ = [
    "SHOP_CHANNELS",
    "HISTORY_DAYS",
    "day_range",
    "orders_for_day",
    "daily_stats",
    "crm_daily",
    "demand_factor",
    "order_count",
]

HISTORY_DAYS = 90
SHOP_CHANNELS = {
    "shopee": 600,
    "tokopedia": 450,
    "tiktok_shop": 350,
    "lazada": 300,
    "blibli": 100,
    "website": 150,
}
_PAYMENTS = (
    "ShopeePay",
    "GoPay",
    "OVO",
    "DANA",
    "Transfer Bank",
    "COD",
    "Kartu Kredit",
    "PayLater",
)
_STATUSES = (("COMPLETED", 90), ("SHIPPED", 4), ("CANCELLED", 4), ("RETURNED", 2))


SHOP_ZONE = ZoneInfo("Asia/Jakarta")


def day_range(*, now: float, start: str | None, end: str | None) -> list[date]:
    """Dates from ``start`` to ``end`` (ISO), clipped to the last 90 days before today.

    "Today" is the shop's day in Jakarta, as Indonesian platforms report it: a job asking
    at 06:00 WIB for yesterday must find it, though UTC is still on that day."""
    today = datetime.fromtimestamp(now, SHOP_ZONE).date()
    first, last = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    lo = max(first, date.fromisoformat(start)) if start else first
    hi = min(last, date.fromisoformat(end)) if end else last
    return [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]


def demand_factor(day: date) -> float:
    """Seasonality: weekends, paydays, double dates (11.11, 12.12) and Black Friday."""
    f = 1.15 if day.weekday() >= 5 else 1.0
    if day.day >= 25 or day.day <= 1:
        f *= 1.25
    if day.month == day.day and day.month in (9, 10, 11, 12):
        f *= 3.0
    if day.month == 11 and day.weekday() == 4 and 23 <= day.day <= 29:
        f *= 2.5  # Black Friday
    return f


@functools.lru_cache(maxsize=4)
def _popularity(seed: int) -> list[float]:
    rng = rng_for(seed, "popularity")
    weights = [rng.paretovariate(1.3) for _ in products(seed)]
    return list(itertools.accumulate(weights))


def _channel_size(platform: str) -> int:
    """Orders a day before seasonality: a second shop (``shopee@toko-b``) sells half
    of what the platform's default shop sells."""
    base, _, shop = platform.partition("@")
    size = SHOP_CHANNELS.get(base, 0)
    return size // 2 if shop else size


def order_count(seed: int, platform: str, day: date) -> int:
    """How many orders ``platform`` had on ``day`` (what orders_for_day generates)."""
    trend = 1 + 0.002 * (day.toordinal() % 365)
    draw = 0.9 + 0.2 * unit(seed, "orders", platform, day.isoformat())
    return int(_channel_size(platform) * demand_factor(day) * trend * draw)


@functools.lru_cache(maxsize=128)
def orders_for_day(seed: int, platform: str, day: date) -> tuple[dict[str, Any], ...]:
    """Every order of ``platform`` on ``day`` (Asia/Jakarta business day); a second
    shop's (``shopee@toko-b``) are its own, with order ids of their own."""
    if not _channel_size(platform):
        return ()
    base, _, shop = platform.partition("@")
    rng = rng_for(seed, "orders", platform, day.isoformat())
    count = order_count(seed, platform, day)
    catalog = products(seed)
    cum = _popularity(seed)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=7)
    prefix = base[:3].upper() + shop[-1:].upper()
    out = []
    for n in range(count):
        # Evening-heavy: more orders between 19:00 and 22:00 WIB.
        sec = int(86400 * (rng.random() ** 0.8))
        picks = rng.choices(catalog, cum_weights=cum, k=1 + int(rng.expovariate(1.6)))
        items: list[dict[str, int | str]] = [
            {"sku": p.sku, "qty": 1 if rng.random() < 0.8 else rng.randint(2, 4), "price": p.price}
            for p in picks
        ]
        subtotal = sum(int(i["qty"]) * int(i["price"]) for i in items)
        discount = int(subtotal * rng.choice((0, 0, 0, 0.05, 0.1)) // 100 * 100)
        shipping = rng.choice((0, 0, 9000, 12000, 18000, 24000))
        status = rng.choices([s for s, _ in _STATUSES], weights=[w for _, w in _STATUSES])[0]
        out.append(
            {
                "order_id": f"{prefix}{day:%y%m%d}{n:05d}",
                "platform": base,
                **({"shop": shop} if shop else {}),
                "created_at": (start + timedelta(seconds=sec)).isoformat(),
                "customer_id": f"CUST{rng.randint(1, CUSTOMER_COUNT):05d}",
                "items": items,
                "subtotal": subtotal,
                "discount": discount,
                "shipping_fee": shipping,
                "total": subtotal - discount + shipping,
                "status": status,
                "payment_method": _PAYMENTS[rng.randrange(len(_PAYMENTS))],
                "city": CITIES[rng.randrange(len(CITIES))],
            }
        )
    return tuple(out)


@functools.lru_cache(maxsize=2048)
def daily_stats(seed: int, platform: str, day: date) -> dict[str, Any]:
    """Sales, orders, visitors and conversion of one channel on one day.

    ``orders`` equals the number of orders ``orders_for_day`` lists; sales come from the
    shop's reporting model (like a marketplace dashboard, not a sum of the export).
    """
    d = day.isoformat()
    orders = order_count(seed, platform, day)
    cancelled = int(orders * (0.04 + 0.04 * unit(seed, "cancel", platform, d)))
    aov = 180_000 + 140_000 * unit(seed, "aov", platform, d)
    sales = int((orders - cancelled) * aov) // 100 * 100
    conversion = 0.018 + 0.012 * unit(seed, "conv", platform, d)
    visitors = int(orders / conversion)
    return {
        "date": d,
        "platform": platform,
        "sales": sales,
        "orders": orders,
        "completed_orders": orders - cancelled,
        "cancelled_orders": cancelled,
        "visitors": visitors,
        "page_views": int(visitors * (2.5 + unit(seed, "pv", platform, d))),
        "conversion_rate": round(orders / visitors, 4) if visitors else 0.0,
        "avg_order_value": round(aov),
    }


def crm_daily(seed: int, day: date) -> dict[str, Any]:
    """New, repeat and churned customers of one day."""
    d = day.isoformat()
    f = demand_factor(day)
    new = int(25 * f * (0.8 + 0.4 * unit(seed, "crm-new", d)))
    repeat = int(180 * f * (0.8 + 0.4 * unit(seed, "crm-repeat", d)))
    churn = int(12 * (0.6 + 0.8 * unit(seed, "crm-churn", d)))
    return {
        "date": d,
        "new_customers": new,
        "repeat_customers": repeat,
        "churned_customers": churn,
        "active_customers": int(6200 + 40 * math.sin(day.toordinal() / 9) + new - churn),
    }
