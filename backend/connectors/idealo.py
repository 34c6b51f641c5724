"""Idealo merchant offer API: OAuth client-credentials tokens, offers keyed by SKU.

``POST /oauth/token`` (Basic client id/secret) gives a bearer token that expires; the
connector fetches one on first use and again when refused as expired.
Errors ``{"generalErrors": [{"errorKey", "message"}], "fieldErrors": [...]}``.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TokenExpired, TransientError
from backend.connectors.common import TokenKeeper, json_or_none, retry_after, send
from backend.connectors.defaults import default_value
from backend.connectors.rest_catalog import RestCatalogConnector
from backend.connectors.types import Listing, TokenPair

__all__ = ["IdealoConfig", "IdealoConnector", "raise_for_response"]

PLATFORM = "idealo"


class IdealoConfig(BaseModel):
    """One idealo shop. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Merchant API root (sandbox: <sandbox>/idealo/api/v2).",
    )
    shop_id: str = Field(
        default_factory=lambda: default_value(PLATFORM, "shop_id"), description="idealo shop id."
    )
    client_id: str = Field(
        default_factory=lambda: default_value(PLATFORM, "client_id"),
        description="OAuth client id.",
    )
    client_secret: SecretStr = Field(
        default_factory=lambda: SecretStr(default_value(PLATFORM, "client_secret")),
        description="OAuth client secret.",
    )


def raise_for_response(response: httpx.Response) -> Any:
    """Return the body of a success; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if body is None and status != 204:
        raise TransientError("malformed response body", platform=PLATFORM, status=status)
    if status < 300:
        return body
    errors = (body or {}).get("generalErrors") or [{}]
    key = str(errors[0].get("errorKey") or "")
    message = str(errors[0].get("message") or key or f"HTTP {status}")
    if status == 429:
        raise RateLimited(
            message, platform=PLATFORM, retry_after=retry_after(response), status=status
        )
    if key == "TOKEN_EXPIRED":
        raise TokenExpired(message, platform=PLATFORM, status=status)
    if status >= 500:
        raise TransientError(message, platform=PLATFORM, status=status, body=body)
    if status in (401, 403):
        raise AuthFailed(f"{key}: {message}", platform=PLATFORM, status=status)
    raise Rejected(f"{key}: {message}", platform=PLATFORM, status=status, body=body)


class IdealoConnector(RestCatalogConnector):
    """Our offers on idealo (images are URLs)."""

    platform = PLATFORM
    page_base = 0

    def __init__(self, *, client: httpx.AsyncClient, config: IdealoConfig | None = None) -> None:
        self._config = config or IdealoConfig()
        super().__init__(client=client, base_url=self._config.base_url)
        self.tokens = TokenKeeper(TokenPair(""), refresh=self._fetch_token)

    async def _fetch_token(self, tokens: TokenPair) -> TokenPair:
        cfg = self._config
        basic = base64.b64encode(
            f"{cfg.client_id}:{cfg.client_secret.get_secret_value()}".encode()
        ).decode()
        response = await send(
            self._client,
            "POST",
            self._base + "/oauth/token",
            platform=PLATFORM,
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        body = raise_for_response(response)
        return TokenPair(body["access_token"], None, time.time() + float(body["expires_in"]))

    async def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens.tokens.access_token}"}

    async def _call(self, method: str, path: str, *, key: str | None = None, **kwargs: Any) -> Any:
        if not self.tokens.tokens.access_token:
            await self.tokens.refresh("")
        return await self.tokens.call(lambda _token: self._request(method, path, key=key, **kwargs))

    def _check(self, response: httpx.Response) -> Any:
        return raise_for_response(response)

    def _list_request(self, page: int, size: int) -> tuple[str, dict[str, Any]]:
        return f"/shops/{self._config.shop_id}/offers", {"page": page, "pageSize": min(size, 100)}

    def _parse_page(self, body: Any, page: int, size: int) -> tuple[list[dict[str, Any]], bool]:
        return body["content"], (page + 1) * size < int(body["totalElements"])

    def _item_path(self, sku: str) -> str:
        return f"/shops/{self._config.shop_id}/offers/{sku}"

    def _to_listing(self, raw: dict[str, Any]) -> Listing:
        return Listing(
            platform=PLATFORM,
            sku=raw["sku"],
            title=raw.get("title", ""),
            price=int(float(raw["price"])),
            stock=raw.get("quantityPerOrder"),
            description=raw.get("description") or "",
            images=tuple(raw.get("imageUrls") or ()),
            listing_id=raw["sku"],
            url=raw.get("url"),
        )

    def _upsert_request(self, listing: Listing) -> tuple[str, str, dict[str, Any]]:
        body = {
            "sku": listing.sku,
            "title": listing.title,
            "description": listing.description,
            "price": f"{listing.price:.2f}",
            "currency": listing.currency,
            "quantityPerOrder": listing.stock,
            "imageUrls": list(listing.images),
        }
        return "PUT", self._item_path(listing.sku), body

    def _patch_request(
        self, sku: str, *, price: int | None, stock: int | None
    ) -> tuple[str, str, dict[str, Any]]:
        body: dict[str, Any] = {}
        if price is not None:
            body["price"] = f"{price:.2f}"
        if stock is not None:
            body["quantityPerOrder"] = stock
        return "PATCH", self._item_path(sku), body
