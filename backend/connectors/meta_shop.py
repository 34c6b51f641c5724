"""Instagram Shop and Facebook Shop: a Meta commerce catalog through the Graph API.

Reads ``GET /{catalog_id}/products``; writes go through ``POST /{catalog_id}/items_batch``
(CREATE for new SKUs, UPDATE otherwise), whose per-item ``validation_status`` errors
become Rejected. Errors use Graph's shape; code 190 is a refused token (AuthFailed).
"""

from __future__ import annotations

from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TransientError
from backend.connectors.common import json_or_none, retry_after
from backend.connectors.defaults import default_value, values_for
from backend.connectors.rest_catalog import RestCatalogConnector
from backend.connectors.types import Listing

__all__ = [
    "MetaShopConfig",
    "InstagramShopConnector",
    "FacebookShopConnector",
    "raise_for_response",
]

_RATE_CODES = frozenset({4, 17, 32, 613, 80004})
_TRANSIENT_CODES = frozenset({1, 2})


class MetaShopConfig(BaseModel):
    """A Meta commerce catalog. Defaults: the sandbox's Instagram catalog."""

    base_url: str = Field(
        default_factory=lambda: default_value("instagram_shop", "base_url"),
        description="Graph API root, e.g. https://graph.facebook.com.",
    )
    api_version: str = Field("v19.0", description="Graph API version.")
    catalog_id: str = Field(
        default_factory=lambda: default_value("instagram_shop", "catalog_id"),
        description="Commerce catalog id.",
    )
    access_token: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value("instagram_shop", "access_token")),
        description="System-user token with catalog_management.",
    )

    @classmethod
    def for_platform(cls, platform: str, **overrides: Any) -> MetaShopConfig:
        """The sandbox config of ``instagram_shop`` or ``facebook_shop``."""
        creds = values_for(platform)
        values = {
            "catalog_id": creds["catalog_id"],
            "access_token": SecretStr(creds["access_token"]),
        }
        return cls(**{**values, **overrides})


def raise_for_response(response: httpx.Response, *, platform: str) -> Any:
    """Return the body of a success; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if not isinstance(body, dict):
        raise TransientError("malformed response body", platform=platform, status=status)
    if status < 300:
        errors = [s for s in body.get("validation_status", []) if s.get("errors")]
        if errors:
            raise Rejected(
                str(errors[0]["errors"][0].get("message")),
                platform=platform,
                status=status,
                body=body,
            )
        return body
    error = body.get("error", {})
    code, message = error.get("code"), str(error.get("message") or f"HTTP {status}")
    if status == 429 or code in _RATE_CODES:
        raise RateLimited(
            message, platform=platform, retry_after=retry_after(response), status=status
        )
    if status >= 500 or code in _TRANSIENT_CODES:
        raise TransientError(message, platform=platform, status=status, body=body)
    if code == 190 or status in (401, 403):
        raise AuthFailed(message, platform=platform, status=status)
    if code == 100 and error.get("error_subcode") == 33:
        raise Rejected(message, platform=platform, status=404, body=body)
    raise Rejected(message, platform=platform, status=status, body=body)


class _MetaShopConnector(RestCatalogConnector):
    platform: ClassVar[str]
    page_base = 0
    _page_size = 50

    def __init__(self, *, client: httpx.AsyncClient, config: MetaShopConfig | None = None) -> None:
        self._config = config or MetaShopConfig.for_platform(self.platform)
        super().__init__(
            client=client,
            base_url=(
                f"{self._config.base_url.rstrip('/')}/{self._config.api_version}/"
                f"{self._config.catalog_id}"
            ),
        )
        self._known: set[str] = set()

    async def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._config.access_token.get_secret_value()}"}

    def _check(self, response: httpx.Response) -> Any:
        return raise_for_response(response, platform=self.platform)

    def _list_request(self, page: int, size: int) -> tuple[str, dict[str, Any]]:
        self._page_size = size
        return "/products", {"limit": size, "after": page * size}

    def _parse_page(self, body: Any, page: int, size: int) -> tuple[list[dict[str, Any]], bool]:
        return body.get("data", []), "next" in body.get("paging", {})

    def _item_path(self, sku: str) -> str:
        raise NotImplementedError  # get_listing is overridden

    def _to_listing(self, raw: dict[str, Any]) -> Listing:
        images = [raw["image_url"]] if raw.get("image_url") else []
        images += raw.get("additional_image_urls") or []
        price = str(raw.get("price") or "0").replace("IDR", "").replace(",", "")
        self._known.add(raw["retailer_id"])
        return Listing(
            platform=self.platform,
            sku=raw["retailer_id"],
            title=raw.get("name", ""),
            price=int(float(price)),
            stock=raw.get("inventory"),
            description=raw.get("description") or "",
            images=tuple(images),
            listing_id=raw.get("id"),
        )

    async def get_listing(self, sku: str) -> Listing | None:
        cursor: str | None = None
        while True:
            page = await self.list_listings(cursor=cursor, page_size=500)
            for item in page.items:
                if item.sku == sku:
                    return item
            if page.next_cursor is None:
                return None
            cursor = page.next_cursor

    def _batch(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"item_type": "PRODUCT_ITEM", "requests": [{"method": method, "data": data}]}

    def _upsert_request(self, listing: Listing) -> tuple[str, str, dict[str, Any]]:
        data = {
            "id": listing.sku,
            "title": listing.title,
            "description": listing.description,
            "price": f"{listing.price} {listing.currency}",
            "inventory": listing.stock,
            "availability": "out of stock" if listing.stock == 0 else "in stock",
            "image_link": listing.images[0] if listing.images else None,
            "link": listing.url,
        }
        method = "UPDATE" if listing.sku in self._known else "CREATE"
        return "POST", "/items_batch", self._batch(method, data)

    def _patch_request(
        self, sku: str, *, price: int | None, stock: int | None
    ) -> tuple[str, str, dict[str, Any]]:
        data: dict[str, Any] = {"id": sku}
        if price is not None:
            data["price"] = f"{price} IDR"
        if stock is not None:
            data["inventory"] = stock
        return "POST", "/items_batch", self._batch("UPDATE", data)

    async def upsert_listing(
        self, listing: Listing, *, idempotency_key: str | None = None
    ) -> Listing:
        method, path, body = self._upsert_request(listing)
        await self._call(method, path, json=body, key=idempotency_key)
        self._known.add(listing.sku)
        return listing


class InstagramShopConnector(_MetaShopConnector):
    """Our products in the Instagram Shop catalog."""

    platform = "instagram_shop"


class FacebookShopConnector(_MetaShopConnector):
    """Our products in the Facebook Shop catalog."""

    platform = "facebook_shop"
