"""Priceza merchant offers API (price comparison): ``X-API-Key``, offers keyed by SKU.

``GET /merchants/{id}/offers?page=&limit=``, ``GET|PUT|PATCH .../offers/{sku}``.
Errors ``{"status": "error", "error": {"code", "message"}}``.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TransientError
from backend.connectors.common import json_or_none, retry_after
from backend.connectors.defaults import default_value
from backend.connectors.rest_catalog import RestCatalogConnector
from backend.connectors.types import Listing

__all__ = ["PricezaConfig", "PricezaConnector", "raise_for_response"]

PLATFORM = "priceza"


class PricezaConfig(BaseModel):
    """One Priceza merchant. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Merchant API root (sandbox: <sandbox>/priceza/api/v1).",
    )
    merchant_id: str = Field(
        default_factory=lambda: default_value(PLATFORM, "merchant_id"), description="Merchant id."
    )
    api_key: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "api_key")),
        description="Merchant API key (X-API-Key).",
    )


def raise_for_response(response: httpx.Response) -> Any:
    """Return the body of a success; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if not isinstance(body, dict):
        raise TransientError("malformed response body", platform=PLATFORM, status=status)
    if status < 300 and body.get("status") == "success":
        return body
    message = str((body.get("error") or {}).get("message") or f"HTTP {status}")
    if status == 429:
        raise RateLimited(
            message, platform=PLATFORM, retry_after=retry_after(response), status=status
        )
    if status >= 500 or status < 300:
        raise TransientError(message, platform=PLATFORM, status=status, body=body)
    if status in (401, 403):
        raise AuthFailed(message, platform=PLATFORM, status=status)
    raise Rejected(message, platform=PLATFORM, status=status, body=body)


class PricezaConnector(RestCatalogConnector):
    """Our offers on Priceza (images are URLs, not uploads)."""

    platform = PLATFORM

    def __init__(self, *, client: httpx.AsyncClient, config: PricezaConfig | None = None) -> None:
        self._config = config or PricezaConfig()
        super().__init__(
            client=client, base_url=self._config.base_url + f"/merchants/{self._config.merchant_id}"
        )

    async def _headers(self) -> dict[str, str]:
        return {"X-API-Key": self._config.api_key.get_secret_value()}

    def _check(self, response: httpx.Response) -> Any:
        return raise_for_response(response)

    def _list_request(self, page: int, size: int) -> tuple[str, dict[str, Any]]:
        return "/offers", {"page": page, "limit": min(size, 100)}

    def _parse_page(self, body: Any, page: int, size: int) -> tuple[list[dict[str, Any]], bool]:
        data = body["data"]
        return data["offers"], page * size < int(data["pagination"]["total"])

    def _item_path(self, sku: str) -> str:
        return f"/offers/{sku}"

    def _unwrap(self, body: Any) -> dict[str, Any]:
        return body["data"]  # type: ignore[no-any-return]

    def _to_listing(self, raw: dict[str, Any]) -> Listing:
        image = raw.get("image_url")
        return Listing(
            platform=PLATFORM,
            sku=raw["sku"],
            title=raw.get("name", ""),
            price=int(raw["price"]),
            stock=raw.get("stock"),
            images=(image,) if image else (),
            listing_id=raw["sku"],
            url=raw.get("url"),
        )

    def _upsert_request(self, listing: Listing) -> tuple[str, str, dict[str, Any]]:
        body = {
            "sku": listing.sku,
            "name": listing.title,
            "description": listing.description,
            "price": listing.price,
            "stock": listing.stock,
            "image_url": listing.images[0] if listing.images else None,
        }
        return "PUT", self._item_path(listing.sku), body

    def _patch_request(
        self, sku: str, *, price: int | None, stock: int | None
    ) -> tuple[str, str, dict[str, Any]]:
        body = {k: v for k, v in (("price", price), ("stock", stock)) if v is not None}
        return "PATCH", self._item_path(sku), body
