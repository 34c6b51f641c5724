"""The shop's product database (PIM): products changed since a watermark, and edits.

Header ``X-API-Key``; pages ``{"data", "meta": {"next_page", "total"}}``; errors
``{"error": {"code", "message"}}`` mapped like the market API's.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors import market
from backend.connectors.common import send
from backend.connectors.defaults import default_value
from backend.connectors.types import Page

__all__ = ["PimConfig", "PimConnector"]

PLATFORM = "pim"


class PimConfig(BaseModel):
    """The product database API. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="PIM API root (sandbox: <sandbox>/pim/api/v1).",
    )
    api_key: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "api_key")),
        description="Back-office API key (X-API-Key).",
    )


class PimConnector:
    """Products (dicts: sku, name, brand, category, description, price, cost, stock,
    weight_g, images, variants, updated_at) in the order they changed."""

    platform = PLATFORM

    def __init__(self, *, client: httpx.AsyncClient, config: PimConfig | None = None) -> None:
        self._config = config or PimConfig()
        self._client = client
        self._base = self._config.base_url.rstrip("/")

    def _headers(self) -> dict[str, str]:
        return {"X-API-Key": self._config.api_key.get_secret_value()}

    async def changed_products(
        self, *, since: float, cursor: str | None = None, page_size: int = 200
    ) -> Page[dict[str, Any]]:
        """One page of products whose ``updated_at`` is after ``since`` (epoch seconds)."""
        params = {"updated_since": since, "page": int(cursor or 1), "per_page": page_size}
        response = await send(self._client, "GET", f"{self._base}/products",
                              platform=PLATFORM, params=params, headers=self._headers())
        body = market.raise_for_response(response, platform=PLATFORM)
        nxt = body["meta"].get("next_page")
        return Page(items=list(body["data"]), next_cursor=str(nxt) if nxt else None,
                    total=body["meta"].get("total"))

    async def update_product(self, sku: str, **fields: Any) -> dict[str, Any]:
        """Edit a product (price, stock, name, description) as the back office would."""
        response = await send(self._client, "PATCH", f"{self._base}/products/{sku}",
                              platform=PLATFORM, json=fields, headers=self._headers())
        return dict(market.raise_for_response(response, platform=PLATFORM)["data"])
