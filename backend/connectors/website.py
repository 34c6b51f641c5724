"""The shop's own website catalog API (REST/JSON, bearer API key).

``GET /api/v1/products?page=&per_page=``, ``GET|PUT|PATCH /api/v1/products/{sku}``,
``POST /api/v1/images``. Errors ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TokenExpired, TransientError
from backend.connectors.common import json_or_none, retry_after
from backend.connectors.defaults import default_value
from backend.connectors.rest_catalog import RestCatalogConnector
from backend.connectors.types import Listing

__all__ = ["WebsiteConfig", "WebsiteConnector", "raise_for_response"]

PLATFORM = "website"


class WebsiteConfig(BaseModel):
    """The shop website's catalog API. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Catalog API root, e.g. https://shop.example/api/v1.",
    )
    api_key: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "api_key")),
        description="Bearer API key of the catalog API.",
    )


def raise_for_response(response: httpx.Response) -> Any:
    """Return the body of a success; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if body is None:
        raise TransientError("malformed response body", platform=PLATFORM, status=status)
    if status < 300:
        return body
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code, message = error.get("code"), str(error.get("message") or f"HTTP {status}")
    if status == 429:
        raise RateLimited(
            message, platform=PLATFORM, retry_after=retry_after(response), status=status
        )
    if code == "token_expired":
        raise TokenExpired(message, platform=PLATFORM, status=status)
    if status >= 500:
        raise TransientError(message, platform=PLATFORM, status=status, body=body)
    if status in (401, 403):
        raise AuthFailed(message, platform=PLATFORM, status=status)
    raise Rejected(message, platform=PLATFORM, status=status, body=body)


class WebsiteConnector(RestCatalogConnector):
    """Our products on the shop website."""

    platform = PLATFORM
    upload_path = "/images"

    def __init__(self, *, client: httpx.AsyncClient, config: WebsiteConfig | None = None) -> None:
        self._config = config or WebsiteConfig()
        super().__init__(client=client, base_url=self._config.base_url)

    async def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._config.api_key.get_secret_value()}"}

    def _check(self, response: httpx.Response) -> Any:
        return raise_for_response(response)

    def _list_request(self, page: int, size: int) -> tuple[str, dict[str, Any]]:
        return "/products", {"page": page, "per_page": min(size, 100)}

    def _parse_page(self, body: Any, page: int, size: int) -> tuple[list[dict[str, Any]], bool]:
        return body["data"], body["meta"].get("next_page") is not None

    def _item_path(self, sku: str) -> str:
        return f"/products/{sku}"

    def _to_listing(self, raw: dict[str, Any]) -> Listing:
        return Listing(
            platform=PLATFORM,
            sku=raw["sku"],
            title=raw.get("title", ""),
            price=int(raw["price"]),
            stock=raw.get("stock"),
            description=raw.get("description") or "",
            images=tuple(raw.get("images") or ()),
            tags=tuple(raw.get("tags") or ()),
            listing_id=raw["sku"],
            status=raw.get("status", "active"),
            url=raw.get("url"),
        )

    def _upsert_request(self, listing: Listing) -> tuple[str, str, dict[str, Any]]:
        body = {
            "sku": listing.sku,
            "title": listing.title,
            "description": listing.description,
            "price": listing.price,
            "stock": listing.stock,
            "images": list(listing.images),
            "tags": list(listing.tags),
        }
        return "PUT", self._item_path(listing.sku), body

    def _patch_request(
        self, sku: str, *, price: int | None, stock: int | None
    ) -> tuple[str, str, dict[str, Any]]:
        body = {k: v for k, v in (("price", price), ("stock", stock)) if v is not None}
        return "PATCH", self._item_path(sku), body
