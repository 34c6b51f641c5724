"""The shop's CRM: customers with consent and channel preferences, orders, daily metrics.

Header ``X-API-Key``; pages ``{"data", "meta": {"next_page"}}``; errors
``{"error": {"code", "message"}}`` mapped in :func:`raise_for_response`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors import market
from backend.connectors.common import send
from backend.connectors.defaults import default_value
from backend.connectors.types import Customer, DailyStat, Order, Page

__all__ = ["CrmConfig", "CrmConnector", "raise_for_response"]

PLATFORM = "crm"


class CrmConfig(BaseModel):
    """The CRM API. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="CRM API root (sandbox: <sandbox>/crm/api/v1).",
    )
    api_key: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "api_key")),
        description="CRM API key (X-API-Key).",
    )


def raise_for_response(response: httpx.Response) -> Any:
    """The CRM speaks the same error JSON as the market API."""
    return market.raise_for_response(response, platform=PLATFORM)


def _customer(raw: dict[str, Any]) -> Customer:
    return Customer(
        customer_id=raw["id"],
        name=raw["name"],
        email=raw.get("email"),
        phone=raw.get("phone"),
        telegram_chat_id=str(raw["telegram_chat_id"]) if raw.get("telegram_chat_id") else None,
        consent=dict(raw.get("consent") or {}),
        preferred_channel=raw["preferred_channel"],
        segment_hint=raw.get("segment_hint", "regular"),
        orders_count=raw.get("orders_count", 0),
        total_spent=raw.get("total_spent", 0),
        city=raw.get("city"),
        purchase_history=tuple(raw.get("purchase_history") or ()),
        browsing_history=tuple(raw.get("browsing_history") or ()),
    )


class CrmConnector:
    """Customers, their histories and the CRM's daily numbers."""

    platform = PLATFORM

    def __init__(self, *, client: httpx.AsyncClient, config: CrmConfig | None = None) -> None:
        self._config = config or CrmConfig()
        self._client = client
        self._base = self._config.base_url.rstrip("/")

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        headers = {"X-API-Key": self._config.api_key.get_secret_value()}
        response = await send(
            self._client,
            "GET",
            self._base + path,
            platform=PLATFORM,
            params=params,
            headers=headers,
        )
        return raise_for_response(response)

    async def customers(
        self,
        *,
        cursor: str | None = None,
        page_size: int = 1000,
        segment: str | None = None,
        consent: str | None = None,
    ) -> Page[Customer]:
        """One page of customers, optionally only a segment or those consenting to a channel."""
        params: dict[str, Any] = {"page": int(cursor or 1), "per_page": page_size}
        if segment:
            params["segment"] = segment
        if consent:
            params["consent"] = consent
        body = await self._get("/customers", params)
        nxt = body["meta"].get("next_page")
        return Page(
            items=[_customer(c) for c in body["data"]],
            next_cursor=str(nxt) if nxt else None,
            total=body["meta"].get("total"),
        )

    async def customer(self, customer_id: str) -> Customer:
        return _customer((await self._get(f"/customers/{customer_id}"))["data"])

    async def order(self, *, platform: str, order_id: str) -> Order:
        """One marketplace order as it stands now: its buyer, items, total and status
        (``unpaid``, ``paid``, ``cancelled``, or the platform's own word)."""
        raw = (await self._get(f"/orders/{quote(platform, safe='')}/"
                               f"{quote(order_id, safe='')}"))["data"]
        return Order(order_id=str(raw["order_id"]), platform=str(raw["platform"]),
                     created_at=datetime.fromtimestamp(int(raw.get("created_at") or 0), UTC),
                     customer_id=str(raw.get("customer_id") or ""),
                     total=int(float(raw.get("total") or 0)), status=str(raw.get("status")),
                     items=tuple(dict(i) for i in raw.get("items") or ()))  # fmt: skip

    async def daily_metrics(self, *, start: date, end: date) -> list[DailyStat]:
        body = await self._get(
            "/metrics/daily", {"start": start.isoformat(), "end": end.isoformat()}
        )
        return [
            DailyStat(
                platform=PLATFORM,
                day=date.fromisoformat(r["date"]),
                metrics={k: float(v) for k, v in r.items() if k != "date"},
            )
            for r in body["data"]
        ]
