"""Google Shopping (Content API for Shopping v2.1): products keyed by ``offerId``.

Insert is an upsert by offerId; PATCH changes price/availability. Product ids are
``online:id:ID:<offerId>``. Errors follow Google's shape (see google_api).
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, Field

from backend.connectors import google_api
from backend.connectors.defaults import default_value
from backend.connectors.rest_catalog import RestCatalogConnector
from backend.connectors.types import Listing

__all__ = ["GoogleShoppingConfig", "GoogleShoppingConnector"]

PLATFORM = "google_shopping"


class GoogleShoppingConfig(BaseModel):
    """One Merchant Center account. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Content API root, e.g. https://shoppingcontent.googleapis.com/content/v2.1.",
    )
    merchant_id: str = Field(
        default_factory=lambda: default_value(PLATFORM, "merchant_id"),
        description="Merchant Center account id.",
    )
    oauth: google_api.GoogleOAuthConfig = Field(
        default_factory=google_api.GoogleOAuthConfig, description="OAuth client and tokens."
    )
    country: str = Field("ID", description="Target country / feed label.")


def _product_id(sku: str, country: str) -> str:
    return f"online:id:{country}:{sku}"


class GoogleShoppingConnector(RestCatalogConnector):
    """Our products in Google Merchant Center (images are URLs)."""

    platform = PLATFORM
    page_base = 0

    def __init__(
        self, *, client: httpx.AsyncClient, config: GoogleShoppingConfig | None = None
    ) -> None:
        self._config = config or GoogleShoppingConfig()
        super().__init__(
            client=client, base_url=f"{self._config.base_url}/{self._config.merchant_id}"
        )
        self.tokens = google_api.token_keeper(client, self._config.oauth, platform=PLATFORM)

    async def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens.tokens.access_token}"}

    async def _call(self, method: str, path: str, *, key: str | None = None, **kwargs: Any) -> Any:
        return await self.tokens.call(lambda _token: self._request(method, path, key=key, **kwargs))

    def _check(self, response: httpx.Response) -> Any:
        return google_api.raise_for_response(response, platform=PLATFORM)

    def _list_request(self, page: int, size: int) -> tuple[str, dict[str, Any]]:
        return "/products", {"maxResults": min(size, 250), "pageToken": page}

    def _parse_page(self, body: Any, page: int, size: int) -> tuple[list[dict[str, Any]], bool]:
        return body.get("resources", []), "nextPageToken" in body

    def _item_path(self, sku: str) -> str:
        return f"/products/{_product_id(sku, self._config.country)}"

    def _to_listing(self, raw: dict[str, Any]) -> Listing:
        images = [raw["imageLink"]] if raw.get("imageLink") else []
        images += raw.get("additionalImageLinks") or []
        return Listing(
            platform=PLATFORM,
            sku=raw["offerId"],
            title=raw.get("title", ""),
            price=int(float(raw["price"]["value"])),
            currency=raw["price"].get("currency", "IDR"),
            stock=0 if raw.get("availability") == "out_of_stock" else None,
            description=raw.get("description") or "",
            images=tuple(images),
            listing_id=raw.get("id"),
            url=raw.get("link"),
        )

    def _upsert_request(self, listing: Listing) -> tuple[str, str, dict[str, Any]]:
        body = {
            "offerId": listing.sku,
            "title": listing.title,
            "description": listing.description,
            "link": listing.url or "",
            "imageLink": listing.images[0] if listing.images else None,
            "additionalImageLinks": list(listing.images[1:]),
            "contentLanguage": "id",
            "targetCountry": self._config.country,
            "feedLabel": self._config.country,
            "channel": "online",
            "condition": "new",
            "availability": "out_of_stock" if listing.stock == 0 else "in_stock",
            "price": {"value": str(listing.price), "currency": listing.currency},
        }
        return "POST", "/products", body

    def _patch_request(
        self, sku: str, *, price: int | None, stock: int | None
    ) -> tuple[str, str, dict[str, Any]]:
        body: dict[str, Any] = {}
        if price is not None:
            body["price"] = {"value": str(price), "currency": "IDR"}
        if stock is not None:
            body["availability"] = "out_of_stock" if stock <= 0 else "in_stock"
        return "PATCH", self._item_path(sku), body
