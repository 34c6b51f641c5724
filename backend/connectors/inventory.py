"""The shop's inventory system: our products' list prices and purchase costs.

Repricing needs the cost to hold the minimum margin; marketplaces never report it.
Header ``X-API-Key``; errors ``{"error": {"code", "message"}}`` as the market API's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors import market
from backend.connectors.common import send
from backend.connectors.defaults import default_value

__all__ = ["InventoryConfig", "InventoryConnector", "StockItem"]

PLATFORM = "inventory"


class InventoryConfig(BaseModel):
    """The inventory API. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Inventory API root (sandbox: <sandbox>/inventory/v1).",
    )
    api_key: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "api_key")),
        description="Back-office API key (X-API-Key).",
    )


@dataclass(frozen=True, slots=True)
class StockItem:
    """One of our products as the back office knows it (whole IDR)."""

    sku: str
    name: str
    list_price: int
    cost: int | None
    stock: int | None = None  # units on the shelf, when the back office counts them


class InventoryConnector:
    """Reads products with their list prices and costs."""

    platform = PLATFORM

    def __init__(
        self, *, client: httpx.AsyncClient, config: InventoryConfig | None = None
    ) -> None:
        self._config = config or InventoryConfig()
        self._client = client
        self._base = self._config.base_url.rstrip("/")

    async def _get(self, params: dict[str, Any]) -> Any:
        headers = {"X-API-Key": self._config.api_key.get_secret_value()}
        response = await send(self._client, "GET", f"{self._base}/products", platform=PLATFORM,
                              params=params, headers=headers)
        return market.raise_for_response(response, platform=PLATFORM)

    @staticmethod
    def _item(raw: dict[str, Any]) -> StockItem:
        cost, stock = raw.get("cost"), raw.get("stock")
        return StockItem(sku=raw["sku"], name=raw.get("name", ""),
                         list_price=int(raw["list_price"]),
                         cost=int(cost) if cost is not None else None,
                         stock=int(stock) if stock is not None else None)

    async def products(self, skus: Iterable[str]) -> dict[str, StockItem]:
        """The given SKUs (unknown ones are left out), 200 per call."""
        wanted = list(dict.fromkeys(skus))
        out: dict[str, StockItem] = {}
        for start in range(0, len(wanted), 200):
            body = await self._get({"sku": ",".join(wanted[start : start + 200])})
            out.update((r["sku"], self._item(r)) for r in body["data"])
        return out

    async def first(self, limit: int) -> list[StockItem]:
        """The first ``limit`` products of the catalog, in SKU order."""
        out: list[StockItem] = []
        offset: int | None = 0
        while offset is not None and len(out) < limit:
            body = await self._get({"limit": min(1000, limit - len(out)), "offset": offset})
            out.extend(self._item(r) for r in body["data"])
            offset = body["meta"].get("next_offset")
        return out[:limit]
