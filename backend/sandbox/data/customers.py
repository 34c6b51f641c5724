"""10,000 CRM customers with consent flags, channels, segments and histories (more on
request: ``POST /_admin/crm {"customers": 100000}``; the first 10,000 stay the same)."""

from __future__ import annotations

import functools
from typing import Any

from backend.sandbox.data.catalog import PRODUCT_COUNT, products
from backend.sandbox.data.rng import rng_for
from backend.sandbox.data.words import CITIES, FIRST_NAMES, LAST_NAMES

__all__ = ["customers", "customer_index", "CUSTOMER_COUNT"]

CUSTOMER_COUNT = 10_000
_NOW = 1_795_651_200  # 2026-11-25T00:00:00Z, the day before the seed campaign week
_CHANNELS = ("whatsapp", "telegram", "email", "sms")


@functools.lru_cache(maxsize=2)
def customers(seed: int, count: int = CUSTOMER_COUNT) -> tuple[dict[str, Any], ...]:
    """Customers ``CUST00001``..``CUST10000`` (or ``count``), generated once per seed;
    one random stream, so a bigger CRM begins with the same 10,000."""
    rng = rng_for(seed, "customers")
    catalog = products(seed)
    out = []
    for i in range(1, count + 1):
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        orders = 0 if rng.random() < 0.1 else min(60, 1 + int(rng.expovariate(1 / 3.5)))
        spent = sum(rng.randint(40, 900) * 1000 for _ in range(min(orders, 40)))
        segment = (
            "vip"
            if spent > 3_000_000 or orders >= 8
            else "new"
            if orders <= 1
            else "dormant"
            if rng.random() < 0.15
            else "regular"
        )
        preferred = rng.choices(_CHANNELS, weights=(55, 20, 20, 5))[0]
        consent = {
            c: rng.random() < p for c, p in zip(_CHANNELS, (0.8, 0.55, 0.9, 0.4), strict=True)
        }
        consent[preferred] = consent[preferred] or rng.random() < 0.9
        purchases: list[dict[str, Any]] = []
        for _ in range(min(orders, 8)):
            p = catalog[rng.randrange(PRODUCT_COUNT)]
            purchases.append(
                {
                    "sku": p.sku,
                    "qty": rng.randint(1, 3),
                    "price": p.price,
                    "at": _NOW - rng.randint(1, 365) * 86400,
                }
            )
        browsing: list[dict[str, Any]] = [
            {
                "sku": catalog[rng.randrange(PRODUCT_COUNT)].sku,
                "at": _NOW - rng.randint(0, 30 * 86400),
            }
            for _ in range(rng.randint(0, 10))
        ]
        phone = f"+628{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}"
        out.append(
            {
                "id": f"CUST{i:05d}",
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{i}@example.co.id",
                "phone": phone,
                "telegram_chat_id": 500_000_000 + i * 7 + rng.randint(0, 6),
                "city": CITIES[rng.randrange(len(CITIES))],
                "consent": consent,
                "preferred_channel": preferred,
                "segment_hint": segment,
                "orders_count": orders,
                "total_spent": spent,
                "last_purchase_at": max((x["at"] for x in purchases), default=None),
                "created_at": _NOW - rng.randint(1, 900) * 86400,
                "purchase_history": sorted(purchases, key=lambda x: x["at"], reverse=True),
                "browsing_history": sorted(browsing, key=lambda x: x["at"], reverse=True),
            }
        )
    return tuple(out)


@functools.lru_cache(maxsize=2)
def customer_index(seed: int, count: int = CUSTOMER_COUNT) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in customers(seed, count)}
