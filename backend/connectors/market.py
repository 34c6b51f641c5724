"""Marketplace-wide data: competitors' public prices, our shop's daily stats and orders.

Competitor search is public (no credentials); stats and orders take the shop's access
token of that marketplace (``Authorization: Bearer``). Errors ``{"error": {"code",
"message"}}`` map to actions in :func:`raise_for_response`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TokenExpired, TransientError
from backend.connectors.common import json_or_none, retry_after, send
from backend.connectors.defaults import default_value
from backend.connectors.types import DailyStat, Order, Page, PriceQuote

__all__ = ["MarketConfig", "MarketConnector", "raise_for_response"]

PLATFORM = "market"
_SHOP_TOKEN_OF = {"tiktok": "tiktok_shop", "website": "website"}


def _default_tokens() -> dict[str, SecretStr]:
    tokens = default_value(PLATFORM, "shop_tokens")
    return {name: SecretStr(str(token)) for name, token in tokens.items()}


class MarketConfig(BaseModel):
    """Where marketplace data comes from. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Market data root (sandbox: <sandbox>/market).",
    )
    shop_tokens: dict[str, SecretStr] = Field(
        default_factory=_default_tokens,
        description="Per marketplace, the shop token that reads stats and orders.",
    )


def raise_for_response(response: httpx.Response, *, platform: str) -> Any:
    """Return the body of a success; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if not isinstance(body, dict):
        raise TransientError("malformed response body", platform=platform, status=status)
    if status < 300:
        return body
    error = body.get("error") or {}
    code, message = error.get("code"), str(error.get("message") or f"HTTP {status}")
    if status == 429:
        raise RateLimited(
            message, platform=platform, retry_after=retry_after(response), status=status
        )
    if code == "expired":
        raise TokenExpired(message, platform=platform, status=status)
    if status >= 500:
        raise TransientError(message, platform=platform, status=status, body=body)
    if status in (401, 403):
        raise AuthFailed(message, platform=platform, status=status)
    raise Rejected(message, platform=platform, status=status, body=body)


class MarketConnector:
    """Competitor prices and shop analytics across marketplaces."""

    def __init__(self, *, client: httpx.AsyncClient, config: MarketConfig | None = None) -> None:
        self._config = config or MarketConfig()
        self._client = client
        self._base = self._config.base_url.rstrip("/")

    async def _get(
        self,
        platform: str,
        path: str,
        params: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> Any:
        response = await send(
            self._client,
            "GET",
            f"{self._base}/{platform}{path}",
            platform=platform,
            params=params,
            headers=headers,
        )
        return raise_for_response(response, platform=platform)

    async def competitor_prices(
        self, platform: str, skus: Iterable[str], *, seller: str | None = None
    ) -> list[PriceQuote]:
        """Competitors' current offers of up to 50 SKUs on one marketplace."""
        sku_list = list(skus)
        params: dict[str, Any] = {"sku": ",".join(sku_list)}
        if seller:
            params["seller"] = seller
        body = await self._get(platform, "/search", params)
        observed = datetime.fromtimestamp(body.get("observed_at", 0), UTC)
        return [
            PriceQuote(
                platform=platform,
                sku=i["sku"],
                seller=i["seller"],
                price=int(i["price"]),
                observed_at=observed,
                currency=i.get("currency", "IDR"),
                listing_id=i.get("listing_id"),
                shop_name=i.get("shop_name"),
                stock=i.get("stock"),
                rating=i.get("rating"),
                url=i.get("url"),
            )
            for i in body.get("items", [])
        ]

    async def competitor_shop(
        self, platform: str, seller: str, *, cursor: str | None = None, page_size: int = 100
    ) -> Page[PriceQuote]:
        """One page of everything a competitor account sells on a marketplace."""
        body = await self._get(
            platform, f"/shops/{seller}/items", {"page": int(cursor or 1), "page_size": page_size}
        )
        observed = datetime.fromtimestamp(body.get("observed_at", 0), UTC)
        items = [
            PriceQuote(
                platform=platform,
                sku=i["sku"],
                seller=i["seller"],
                price=int(i["price"]),
                observed_at=observed,
                currency=i.get("currency", "IDR"),
                listing_id=i.get("listing_id"),
                shop_name=i.get("shop_name"),
                stock=i.get("stock"),
                rating=i.get("rating"),
                url=i.get("url"),
            )
            for i in body.get("items", [])
        ]
        nxt = body.get("next_page")
        return Page(items=items, next_cursor=str(nxt) if nxt else None)

    def _auth(self, platform: str) -> dict[str, str]:
        token = self._config.shop_tokens.get(_SHOP_TOKEN_OF.get(platform, platform))
        if token is None:
            raise AuthFailed("no shop token configured", platform=platform)
        return {"Authorization": f"Bearer {token.get_secret_value()}"}

    async def daily_stats(self, platform: str, *, start: date, end: date) -> list[DailyStat]:
        """Sales, orders, visitors ... per day."""
        body = await self._get(
            platform,
            "/stats/daily",
            {"start": start.isoformat(), "end": end.isoformat()},
            self._auth(platform),
        )
        return [
            DailyStat(
                platform=platform,
                day=date.fromisoformat(r["date"]),
                metrics={k: float(v) for k, v in r.items() if isinstance(v, int | float)},
            )
            for r in body.get("rows", [])
        ]

    async def orders(
        self, platform: str, *, day: date, cursor: str | None = None, limit: int = 1000
    ) -> Page[Order]:
        """One page of a day's orders."""
        params: dict[str, Any] = {"date": day.isoformat(), "limit": limit}
        if cursor:
            params["cursor"] = cursor
        body = await self._get(platform, "/orders", params, self._auth(platform))
        items = [
            Order(
                order_id=o["order_id"],
                platform=o["platform"],
                created_at=datetime.fromisoformat(o["created_at"]),
                customer_id=o["customer_id"],
                total=int(o["total"]),
                status=o["status"],
                items=tuple(o.get("items") or ()),
            )
            for o in body.get("orders", [])
        ]
        return Page(items=items, next_cursor=body.get("next_cursor"), total=body.get("total"))
