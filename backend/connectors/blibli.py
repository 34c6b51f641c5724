"""Blibli Seller API: Basic client credentials + ``Api-Seller-Key`` + ``storeCode``.

Responses ``{"requestId", "success", "errorCode", "errorMessage", "content"}``;
:func:`raise_for_response` maps ``errorCode`` and status to actions.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TransientError
from backend.connectors.common import json_or_none, retry_after
from backend.connectors.defaults import default_value
from backend.connectors.rest_catalog import RestCatalogConnector
from backend.connectors.types import ImageRef, Listing

__all__ = ["BlibliConfig", "BlibliConnector", "raise_for_response"]

PLATFORM = "blibli"


def _cred(name: str, *, secret: bool = False) -> Any:
    def default() -> Any:
        value = default_value(PLATFORM, name)
        return SecretStr(value) if secret else value

    return default


class BlibliConfig(BaseModel):
    """One Blibli store. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Seller API root (sandbox: <sandbox>/blibli/proxy/seller/v1).",
    )
    client_id: str = Field(default_factory=_cred("client_id"), description="API client id.")
    client_secret: SecretStr = Field(
        default_factory=_cred("client_secret", secret=True),
        description="API client secret (Basic auth).",
    )
    api_seller_key: SecretStr = Field(
        default_factory=_cred("api_seller_key", secret=True),
        description="The store's Api-Seller-Key.",
    )
    store_code: str = Field(default_factory=_cred("store_code"), description="Store code.")


def raise_for_response(response: httpx.Response) -> Any:
    """Return the body of a success; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if not isinstance(body, dict):
        raise TransientError("malformed response body", platform=PLATFORM, status=status)
    if status < 300 and body.get("success", True):
        return body
    code = str(body.get("errorCode") or "")
    message = str(body.get("errorMessage") or code or f"HTTP {status}")
    if status == 429 or code == "TOO_MANY_REQUEST":
        raise RateLimited(
            message, platform=PLATFORM, retry_after=retry_after(response), status=status
        )
    if status >= 500 or code == "SYSTEM_ERROR":
        raise TransientError(message, platform=PLATFORM, status=status, body=body)
    if status in (401, 403) or code in ("UNAUTHORIZED", "INVALID_SELLER_KEY"):
        raise AuthFailed(f"{code}: {message}", platform=PLATFORM, status=status)
    raise Rejected(f"{code}: {message}", platform=PLATFORM, status=status, body=body)


class BlibliConnector(RestCatalogConnector):
    """Our products on Blibli."""

    platform = PLATFORM
    page_base = 0
    upload_path = "/images"

    def __init__(self, *, client: httpx.AsyncClient, config: BlibliConfig | None = None) -> None:
        self._config = config or BlibliConfig()
        super().__init__(client=client, base_url=self._config.base_url)

    async def _headers(self) -> dict[str, str]:
        cfg = self._config
        basic = base64.b64encode(
            f"{cfg.client_id}:{cfg.client_secret.get_secret_value()}".encode()
        ).decode()
        return {
            "Authorization": f"Basic {basic}",
            "Api-Seller-Key": cfg.api_seller_key.get_secret_value(),
        }

    async def _request(
        self, method: str, path: str, *, key: str | None = None, **kwargs: Any
    ) -> Any:
        params = {**(kwargs.pop("params", None) or {}), "storeCode": self._config.store_code}
        return await super()._request(method, path, key=key, params=params, **kwargs)

    def _check(self, response: httpx.Response) -> Any:
        return raise_for_response(response)

    def _list_request(self, page: int, size: int) -> tuple[str, dict[str, Any]]:
        return "/products", {"page": page, "size": min(size, 100)}

    def _parse_page(self, body: Any, page: int, size: int) -> tuple[list[dict[str, Any]], bool]:
        meta = body.get("pageMetaData") or {}
        return body["content"], (page + 1) * size < int(meta.get("totalRecords", 0))

    def _item_path(self, sku: str) -> str:
        return f"/products/{sku}"

    def _unwrap(self, body: Any) -> dict[str, Any]:
        return body["content"]  # type: ignore[no-any-return]

    def _to_listing(self, raw: dict[str, Any]) -> Listing:
        return Listing(
            platform=PLATFORM,
            sku=raw["merchantSku"],
            title=raw["productName"],
            price=int(raw.get("salePrice") or raw.get("regularPrice") or 0),
            stock=raw.get("stockAvailable"),
            description=raw.get("description") or "",
            images=tuple(raw.get("images") or ()),
            listing_id=raw.get("gdnSku"),
            status="active" if raw.get("status") == "ACTIVE" else "inactive",
        )

    def _upsert_request(self, listing: Listing) -> tuple[str, str, dict[str, Any]]:
        body = {
            "merchantSku": listing.sku,
            "productName": listing.title,
            "description": listing.description,
            "regularPrice": listing.price,
            "salePrice": listing.price,
            "stock": listing.stock,
            "images": list(listing.images),
        }
        return "POST", "/products", body

    def _patch_request(
        self, sku: str, *, price: int | None, stock: int | None
    ) -> tuple[str, str, dict[str, Any]]:
        body: dict[str, Any] = {}
        if price is not None:
            body.update(regularPrice=price, salePrice=price)
        if stock is not None:
            body["availableStock"] = stock
        return "PUT", f"/products/{sku}/price-stock", body

    def _parse_upload(self, body: Any) -> ImageRef:
        return ImageRef(PLATFORM, str(body["content"]["imageId"]), str(body["content"]["url"]))
