"""Lazada Open Platform: sorted-parameter signature, XML payloads, token refresh.

``sign = uppercase hex(HMAC-SHA256(app_secret, api_path + concat(key + value of every
parameter but sign, sorted by key)))`` with ``app_key``, ``timestamp`` (ms),
``sign_method=sha256`` and ``access_token``. Lazada answers most errors with HTTP 200
and a ``code``; :func:`raise_for_response` maps them to actions. Tokens are refreshed on
the auth host (``auth.lazada.com/rest``), as Lazada's SDK does. A product is created
once (``/product/create`` refuses a SellerSku the shop has) and updated after
(``/product/update``).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, ClassVar
from xml.sax.saxutils import escape

import httpx
from pydantic import Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TokenExpired, TransientError
from backend.connectors.common import (
    SeparateAuthHost,
    TokenKeeper,
    idempotency_headers,
    json_or_none,
    retry_after,
    send,
)
from backend.connectors.defaults import default_value
from backend.connectors.types import ImageRef, Listing, Page, TokenPair

__all__ = ["LazadaConfig", "LazadaConnector", "raise_for_response", "lazada_signature"]

PLATFORM = "lazada"
AUTH_HOST = "https://auth.lazada.com/rest"
_EXPIRED = frozenset({"IllegalAccessToken", "AccessTokenExpired"})
_AUTH = frozenset(
    {
        "IncompleteSignature",
        "InvalidAppKey",
        "IllegalRefreshToken",
        "AppWhiteIpLimit",
        "InsufficientPermissions",
    }
)
_RATE = frozenset({"ApiCallLimit", "AppCallLimit", "SellerCallLimit"})
_TRANSIENT = frozenset({"InternalError", "ServiceTimeout", "ServiceUnavailable", "ISP"})


def _cred(name: str, *, secret: bool = False) -> Any:
    def default() -> Any:
        value = default_value(PLATFORM, name)
        return SecretStr(value) if secret else value

    return default


class LazadaConfig(SeparateAuthHost):
    """One Lazada seller. Defaults talk to the sandbox."""

    REAL_AUTH_HOST: ClassVar[str] = AUTH_HOST
    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="REST endpoint, e.g. https://api.lazada.co.id/rest "
        "(sandbox: <sandbox>/lazada/rest).",
    )
    auth_base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "auth_base_url"),
        description=f"Token endpoint root, {AUTH_HOST} (sandbox: <sandbox>/lazada-auth/rest); "
        "left unset beside a base_url of your own, it is Lazada's.",
    )
    app_key: str = Field(default_factory=_cred("app_key"), description="App key.")
    app_secret: SecretStr = Field(
        default_factory=_cred("app_secret", secret=True), description="App secret; signs calls."
    )
    access_token: SecretStr = Field(
        default_factory=_cred("access_token", secret=True),
        description="Seller access token; refreshed automatically.",
    )
    refresh_token: SecretStr = Field(
        default_factory=_cred("refresh_token", secret=True),
        description="Refresh token used to get new access tokens.",
    )


def lazada_signature(secret: str, api_path: str, params: dict[str, str]) -> str:
    """Lazada's request signature (uppercase hex)."""
    base = api_path + "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign")
    return hmac.new(secret.encode(), base.encode(), hashlib.sha256).hexdigest().upper()


def raise_for_response(response: httpx.Response) -> dict[str, Any]:
    """Return a success body; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if not isinstance(body, dict) or "code" not in body:
        raise TransientError("malformed response body", platform=PLATFORM, status=status)
    code = str(body.get("code"))
    message = str(body.get("message") or code)
    if code == "0" and status < 300:
        return body
    if status == 429 or code in _RATE:
        raise RateLimited(
            message, platform=PLATFORM, retry_after=retry_after(response), status=status
        )
    if code in _EXPIRED:
        raise TokenExpired(message, platform=PLATFORM, status=status)
    if status >= 500 or code in _TRANSIENT or body.get("type") == "ISP":
        raise TransientError(message, platform=PLATFORM, status=status, body=body)
    if code in _AUTH or status in (401, 403):
        raise AuthFailed(f"{code}: {message}", platform=PLATFORM, status=status)
    raise Rejected(f"{code}: {message}", platform=PLATFORM, status=status, body=body)


def _xml_product(listing: Listing) -> str:
    images = "".join(f"<Image>{escape(u)}</Image>" for u in listing.images)
    stock = f"<quantity>{listing.stock}</quantity>" if listing.stock is not None else ""
    return (
        f"<Request><Product><PrimaryCategory>{escape(listing.category_id or '10000')}"
        "</PrimaryCategory>"
        f"<Images>{images}</Images><Attributes><name>{escape(listing.title)}</name>"
        f"<description>{escape(listing.description)}</description></Attributes>"
        f"<Skus><Sku><SellerSku>{escape(listing.sku)}</SellerSku>{stock}"
        f"<price>{listing.price}</price></Sku></Skus></Product></Request>"
    )


class LazadaConnector:
    """Our Lazada products: listings, prices, stock, images."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        config: LazadaConfig | None = None,
        on_token_refresh: Callable[[TokenPair], Awaitable[None]] | None = None,
    ) -> None:
        self._config = config or LazadaConfig()
        self._client = client
        self._base = self._config.base_url.rstrip("/")
        self._known: set[str] = set()  # SKUs seen listed: update rather than create
        self.tokens = TokenKeeper(
            TokenPair(
                self._config.access_token.get_secret_value(),
                self._config.refresh_token.get_secret_value(),
            ),
            refresh=self._refresh,
            on_refresh=on_token_refresh,
        )

    def _signed(self, path: str, params: dict[str, Any], token: str | None) -> dict[str, str]:
        out = {
            "app_key": self._config.app_key,
            "timestamp": str(int(time.time() * 1000)),
            "sign_method": "sha256",
            **{k: str(v) for k, v in params.items()},
        }
        if token is not None:
            out["access_token"] = token
        out["sign"] = lazada_signature(self._config.app_secret.get_secret_value(), path, out)
        return out

    async def _call(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        files: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        async def attempt(token: str) -> dict[str, Any]:
            signed = self._signed(path, params or {}, token)
            headers = idempotency_headers(idempotency_key)
            if method == "GET":
                kwargs: dict[str, Any] = {"params": signed}
            else:
                # With a file, the signed parameters are fields of the multipart body, as
                # Lazada's SDK sends them.
                kwargs = {"data": signed, "files": files}
            response = await send(
                self._client,
                method,
                self._base + path,
                platform=PLATFORM,
                headers=headers,
                **kwargs,
            )
            return raise_for_response(response)

        return await self.tokens.call(attempt)

    async def _refresh(self, tokens: TokenPair) -> TokenPair:
        path = "/auth/token/refresh"
        data = self._signed(path, {"refresh_token": tokens.refresh_token}, None)
        url = self._config.auth_base_url.rstrip("/") + path
        response = await send(self._client, "POST", url, platform=PLATFORM, data=data)
        try:
            body = raise_for_response(response)
        except (TokenExpired, Rejected) as exc:
            raise AuthFailed("refresh token refused", platform=PLATFORM) from exc
        return TokenPair(
            body["access_token"],
            body.get("refresh_token") or tokens.refresh_token,
            time.time() + float(body.get("expires_in", 0)),
        )

    def _listing(self, product: dict[str, Any]) -> Listing:
        sku = (product.get("skus") or [{}])[0]
        attrs = product.get("attributes") or {}
        self._known.add(str(sku.get("SellerSku") or ""))
        return Listing(
            platform=PLATFORM,
            sku=str(sku.get("SellerSku") or ""),
            title=str(attrs.get("name") or ""),
            price=int(float(sku.get("special_price") or sku.get("price") or 0)),
            stock=sku.get("quantity"),
            description=str(attrs.get("description") or ""),
            images=tuple(sku.get("Images") or ()),
            listing_id=str(product.get("item_id")),
            status="active" if product.get("status") == "Active" else "inactive",
            category_id=str(product["primary_category"]) if product.get("primary_category")
            else None,
        )

    async def list_listings(
        self, *, cursor: str | None = None, page_size: int = 50
    ) -> Page[Listing]:
        offset = int(cursor or 0)
        size = min(page_size, 50)
        body = await self._call(
            "GET", "/products/get", {"filter": "all", "offset": offset, "limit": size}
        )
        data = body["data"]
        total = int(data.get("total_products", 0))
        items = [self._listing(p) for p in data.get("products", [])]
        nxt = str(offset + size) if offset + size < total else None
        return Page(items=items, next_cursor=nxt, total=total)

    async def order_changes(self, *, updated_after: datetime, offset: int = 0,
                            limit: int = 100) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
        """GetOrders: orders updated at or after ``updated_after``, oldest change first;
        (this page, how many in all)."""
        body = await self._call("GET", "/orders/get", {
            "update_after": updated_after.isoformat(timespec="seconds"), "sort_by": "updated_at",
            "sort_direction": "ASC", "offset": offset, "limit": limit})  # fmt: skip
        data = body.get("data") or {}
        return list(data.get("orders") or []), int(data.get("countTotal") or 0)

    async def get_listing(self, sku: str) -> Listing | None:
        try:
            body = await self._call("GET", "/product/item/get", {"seller_sku": sku})
        except Rejected as exc:
            if "ProductNotFound" in str(exc):
                return None
            raise
        return self._listing(body["data"])

    async def _price_quantity(self, sku: str, inner: str, key: str | None) -> None:
        payload = (
            f"<Request><Product><Skus><Sku><SellerSku>{escape(sku)}</SellerSku>"
            f"{inner}</Sku></Skus></Product></Request>"
        )
        await self._call(
            "POST", "/product/price_quantity/update", {"payload": payload}, idempotency_key=key
        )

    async def update_price(
        self, sku: str, price: int, *, idempotency_key: str | None = None
    ) -> None:
        await self._price_quantity(sku, f"<Price>{price}</Price>", idempotency_key)

    async def update_stock(
        self, sku: str, stock: int, *, idempotency_key: str | None = None
    ) -> None:
        await self._price_quantity(sku, f"<Quantity>{stock}</Quantity>", idempotency_key)

    async def upsert_listing(
        self, listing: Listing, *, idempotency_key: str | None = None
    ) -> Listing:
        """Create or update the product keyed by its seller SKU. ``listing.variants`` are
        not sent yet: the product goes as one SKU carrying the variants' total stock.
        Sending them needs our SKU mapped to the platform's product id (every variant
        has its own seller SKU here, and the product none), which is not built.

        A SKU seen listed (or found by one read) is updated; Lazada refuses to create a
        SellerSku twice."""
        known = listing.sku in self._known or await self.get_listing(listing.sku) is not None
        body = await self._call(
            "POST",
            "/product/update" if known else "/product/create",
            {"payload": _xml_product(listing)},
            idempotency_key=idempotency_key,
        )
        self._known.add(listing.sku)
        item_id = str(body["data"]["item_id"])
        return Listing(
            platform=PLATFORM,
            sku=listing.sku,
            title=listing.title,
            price=listing.price,
            stock=listing.stock,
            description=listing.description,
            images=listing.images,
            listing_id=item_id,
            category_id=listing.category_id,
        )

    async def upload_image(
        self, data: bytes, *, filename: str, idempotency_key: str | None = None
    ) -> ImageRef:
        body = await self._call(
            "POST",
            "/image/upload",
            files={"image": (filename, data, "image/jpeg")},
            idempotency_key=idempotency_key,
        )
        image = body["data"]["image"]
        return ImageRef(PLATFORM, str(image["hash_code"]), str(image["url"]))
