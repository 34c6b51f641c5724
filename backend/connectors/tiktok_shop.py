"""TikTok Shop Partner API (products 202309, search 202502); Tokopedia uses the same API
with its own app.

Query ``app_key``, ``timestamp`` and ``sign``, plus ``shop_cipher`` on shop-scoped calls
(not on image upload, which belongs to the app); header ``x-tts-access-token``.
``sign = hex(HMAC-SHA256(app_secret, app_secret + path + sorted(key + value of query
params except sign/access_token) + body + app_secret))`` (multipart bodies are left
out). Expired tokens (105002) are refreshed once on the auth host
(``auth.tiktok-shops.com/api/v2/token/refresh``), not the open-API host. Responses map
to actions in :func:`raise_for_response`.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import httpx
import orjson
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

__all__ = [
    "TikTokShopConfig",
    "TikTokShopConnector",
    "TokopediaConfig",
    "TokopediaConnector",
    "raise_for_response",
    "tts_signature",
]

_EXPIRED = frozenset({105002, 36004004})
_AUTH = frozenset({105001, 105003, 106001, 106002, 106003, 106004, 36004003})
_RATE = frozenset({36009003, 10000429})
_TRANSIENT = frozenset({50000, 36009004, 12019045})


def tts_signature(secret: str, path: str, query: dict[str, str], body: bytes) -> str:
    """TikTok Shop's request signature."""
    parts = "".join(f"{k}{query[k]}" for k in sorted(query) if k not in ("sign", "access_token"))
    base = f"{secret}{path}{parts}{body.decode()}{secret}"
    return hmac.new(secret.encode(), base.encode(), hashlib.sha256).hexdigest()


_PREFIX = {"tiktok_shop": "/tiktok-shop", "tokopedia": "/tokopedia"}
AUTH_HOST = "https://auth.tiktok-shops.com"
_DOCS = {
    "app_key": "App key from the Partner Center.",
    "app_secret": "App secret; signs every request.",
    "shop_cipher": "The shop's cipher from the authorized-shops API.",
    "access_token": "Seller access token; refreshed automatically.",
    "refresh_token": "Refresh token used to get new access tokens.",
}


def _field(platform: str, name: str) -> Any:
    """A config field whose default is the sandbox's test value for ``platform``."""
    if name == "base_url":
        return Field(
            default_factory=lambda: default_value(platform, "base_url"),
            description="Open API host, e.g. https://open-api.tiktokglobalshop.com "
            f"(sandbox: <sandbox>{_PREFIX[platform]}).",
        )
    if name == "auth_base_url":
        return Field(
            default_factory=lambda: default_value(platform, "auth_base_url"),
            description=f"Token host, {AUTH_HOST} (sandbox: <sandbox>/tiktok-shop-auth); "
            "left unset beside a base_url of your own, it is TikTok's.",
        )
    secret = name in ("app_secret", "access_token", "refresh_token")

    def default() -> Any:
        value = default_value(platform, name)
        return SecretStr(value) if secret else value

    return Field(default_factory=default, description=_DOCS[name])


class TikTokShopConfig(SeparateAuthHost):
    """One TikTok Shop seller. Defaults talk to the sandbox."""

    REAL_AUTH_HOST: ClassVar[str] = AUTH_HOST

    base_url: str = _field("tiktok_shop", "base_url")
    auth_base_url: str = _field("tiktok_shop", "auth_base_url")
    app_key: str = _field("tiktok_shop", "app_key")
    app_secret: SecretStr = _field("tiktok_shop", "app_secret")
    shop_cipher: str = _field("tiktok_shop", "shop_cipher")
    access_token: SecretStr = _field("tiktok_shop", "access_token")
    refresh_token: SecretStr = _field("tiktok_shop", "refresh_token")


class TokopediaConfig(SeparateAuthHost):
    """One Tokopedia seller (TikTok Shop API, Tokopedia app). Defaults: the sandbox."""

    REAL_AUTH_HOST: ClassVar[str] = AUTH_HOST

    base_url: str = _field("tokopedia", "base_url")
    auth_base_url: str = _field("tokopedia", "auth_base_url")
    app_key: str = _field("tokopedia", "app_key")
    app_secret: SecretStr = _field("tokopedia", "app_secret")
    shop_cipher: str = _field("tokopedia", "shop_cipher")
    access_token: SecretStr = _field("tokopedia", "access_token")
    refresh_token: SecretStr = _field("tokopedia", "refresh_token")


def raise_for_response(response: httpx.Response, *, platform: str = "tiktok_shop") -> Any:
    """Return ``data`` of a success; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if not isinstance(body, dict) or "code" not in body:
        raise TransientError("malformed response body", platform=platform, status=status)
    code = body.get("code")
    message = str(body.get("message") or f"HTTP {status}")
    if code == 0 and status < 300:
        return body.get("data")
    if status == 429 or code in _RATE:
        raise RateLimited(
            message, platform=platform, retry_after=retry_after(response), status=status
        )
    if code in _EXPIRED:
        raise TokenExpired(message, platform=platform, status=status)
    if status >= 500 or code in _TRANSIENT:
        raise TransientError(message, platform=platform, status=status, body=body)
    if code in _AUTH or status in (401, 403):
        raise AuthFailed(f"{code}: {message}", platform=platform, status=status)
    raise Rejected(f"{code}: {message}", platform=platform, status=status, body=body)


class TikTokShopConnector:
    """Our TikTok Shop products: listings, prices, inventory, images."""

    platform: ClassVar[str] = "tiktok_shop"
    version = "202309"
    search_version = "202502"

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        config: TikTokShopConfig | TokopediaConfig | None = None,
        on_token_refresh: Callable[[TokenPair], Awaitable[None]] | None = None,
    ) -> None:
        self._config = config or self._default_config()
        self._client = client
        self._base = self._config.base_url.rstrip("/")
        self._products: dict[str, tuple[str, str]] = {}  # sku -> (product id, sku id)
        self.tokens = TokenKeeper(
            TokenPair(
                self._config.access_token.get_secret_value(),
                self._config.refresh_token.get_secret_value(),
            ),
            refresh=self._refresh,
            on_refresh=on_token_refresh,
        )

    def _default_config(self) -> TikTokShopConfig | TokopediaConfig:
        return TikTokShopConfig()

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        files: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
        shop_scoped: bool = True,
    ) -> Any:
        cfg = self._config
        body = orjson.dumps(json) if json is not None else b""

        async def attempt(token: str) -> Any:
            query = {
                "app_key": cfg.app_key,
                "timestamp": str(int(time.time())),
                **({"shop_cipher": cfg.shop_cipher} if shop_scoped else {}),
                **{k: str(v) for k, v in (params or {}).items()},
            }
            query["sign"] = tts_signature(
                cfg.app_secret.get_secret_value(), path, query, b"" if files else body
            )
            headers = {"x-tts-access-token": token, **idempotency_headers(idempotency_key)}
            if json is not None:
                headers["Content-Type"] = "application/json"
            response = await send(
                self._client,
                method,
                self._base + path,
                platform=self.platform,
                params=query,
                content=body if json is not None else None,
                files=files,
                headers=headers,
            )
            return raise_for_response(response, platform=self.platform)

        return await self.tokens.call(attempt)

    async def _refresh(self, tokens: TokenPair) -> TokenPair:
        cfg = self._config
        params = {
            "app_key": cfg.app_key,
            "app_secret": cfg.app_secret.get_secret_value(),
            "refresh_token": tokens.refresh_token,
            "grant_type": "refresh_token",
        }
        response = await send(
            self._client,
            "GET",
            self._config.auth_base_url.rstrip("/") + "/api/v2/token/refresh",
            platform=self.platform,
            params=params,
        )
        try:
            data = raise_for_response(response, platform=self.platform)
        except TokenExpired as exc:
            raise AuthFailed("refresh token refused", platform=self.platform) from exc
        return TokenPair(
            data["access_token"],
            data.get("refresh_token") or tokens.refresh_token,
            # A Unix time on TikTok, not a duration.
            float(data.get("access_token_expire_in") or 0) or None,
        )

    def _listing(self, product: dict[str, Any]) -> Listing:
        """A product from search (no description, images or categories there: those
        come with the product itself) or from GET /products/{id}."""
        sku = (product.get("skus") or [{}])[0]
        seller_sku = str(sku.get("seller_sku") or "")
        self._products[seller_sku] = (str(product["id"]), str(sku.get("id") or ""))
        inventory = sku.get("inventory") or [{}]
        images = tuple(
            u for img in product.get("main_images") or [] for u in img.get("urls", [])[:1]
        )
        return Listing(
            platform=self.platform,
            sku=seller_sku,
            title=str(product.get("title") or ""),
            price=int(float((sku.get("price") or {}).get("sale_price") or 0)),
            stock=inventory[0].get("quantity"),
            description=str(product.get("description") or ""),
            images=images,
            listing_id=str(product["id"]),
            status="active" if product.get("status") == "ACTIVATE" else "inactive",
            category_id=next((str(c["id"]) for c in product.get("category_chains") or []
                              if c.get("is_leaf")), None),  # fmt: skip
        )

    async def list_listings(
        self, *, cursor: str | None = None, page_size: int = 50
    ) -> Page[Listing]:
        params: dict[str, Any] = {"page_size": min(page_size, 100)}
        if cursor:
            params["page_token"] = cursor
        data = await self._call(
            "POST",
            f"/product/{self.search_version}/products/search",
            params=params,
            json={"status": "ACTIVATE"},
        )
        return Page(
            items=[self._listing(p) for p in data.get("products", [])],
            next_cursor=data.get("next_page_token") or None,
            total=data.get("total_count"),
        )

    async def _ids(self, sku: str) -> tuple[str, str] | None:
        if sku not in self._products:
            data = await self._call(
                "POST",
                f"/product/{self.search_version}/products/search",
                params={"page_size": 1},
                json={"seller_skus": [sku]},
            )
            for product in data.get("products", []):
                self._listing(product)
        return self._products.get(sku)

    async def _require(self, sku: str) -> tuple[str, str]:
        ids = await self._ids(sku)
        if ids is None:
            raise Rejected(f"SKU {sku} is not listed", platform=self.platform, status=404)
        return ids

    async def get_listing(self, sku: str) -> Listing | None:
        ids = await self._ids(sku)
        if ids is None:
            return None
        data = await self._call("GET", f"/product/{self.version}/products/{ids[0]}")
        return self._listing(data)

    async def update_price(
        self, sku: str, price: int, *, idempotency_key: str | None = None
    ) -> None:
        product_id, sku_id = await self._require(sku)
        body = {"skus": [{"id": sku_id, "price": {"amount": str(price), "currency": "IDR"}}]}
        await self._call(
            "POST",
            f"/product/{self.version}/products/{product_id}/prices/update",
            json=body,
            idempotency_key=idempotency_key,
        )

    async def update_stock(
        self, sku: str, stock: int, *, idempotency_key: str | None = None
    ) -> None:
        product_id, sku_id = await self._require(sku)
        body = {"skus": [{"id": sku_id, "inventory": [{"quantity": stock}]}]}
        await self._call(
            "POST",
            f"/product/{self.version}/products/{product_id}/inventory/update",
            json=body,
            idempotency_key=idempotency_key,
        )

    async def cancel_order(self, order_id: str, *, reason: str = "OUT_OF_STOCK",
                           idempotency_key: str | None = None) -> None:  # fmt: skip
        """Cancel an order as the seller (``POST /return_refund/202309/cancellations``):
        out of stock, the one reason a seller may give before shipping."""
        await self._call("POST", "/return_refund/202309/cancellations",
                         json={"order_id": order_id,
                               "cancel_reason": f"seller_cancel_{reason.lower()}"},
                         idempotency_key=idempotency_key)  # fmt: skip

    async def upsert_listing(
        self, listing: Listing, *, idempotency_key: str | None = None
    ) -> Listing:
        """Create or update the product keyed by its seller SKU. ``listing.variants`` are
        not sent yet: the product goes as one SKU carrying the variants' total stock.
        Sending them needs our SKU mapped to the platform's product id (every variant
        has its own seller SKU here, and the product none), which is not built."""
        sku_body: dict[str, Any] = {
            "seller_sku": listing.sku,
            "price": {"amount": str(listing.price), "currency": "IDR"},
        }
        if listing.stock is not None:
            sku_body["inventory"] = [{"quantity": listing.stock}]
        body = {
            "title": listing.title,
            "description": listing.description,
            "main_images": [{"uri": u} for u in listing.images],
            "skus": [sku_body],
        }
        if listing.category_id:
            body["category_id"] = listing.category_id
        ids = await self._ids(listing.sku)
        if ids is None:
            data = await self._call(
                "POST",
                f"/product/{self.version}/products",
                json=body,
                idempotency_key=idempotency_key,
            )
        else:
            data = await self._call(
                "PUT",
                f"/product/{self.version}/products/{ids[0]}",
                json=body,
                idempotency_key=idempotency_key,
            )
        product_id = str(data["product_id"])
        self._products[listing.sku] = (product_id, str(data["skus"][0]["id"]))
        return Listing(
            platform=self.platform,
            sku=listing.sku,
            title=listing.title,
            price=listing.price,
            stock=listing.stock,
            description=listing.description,
            images=listing.images,
            listing_id=product_id,
            category_id=listing.category_id,
        )

    async def upload_image(
        self, data: bytes, *, filename: str, idempotency_key: str | None = None
    ) -> ImageRef:
        body = await self._call(
            "POST",
            f"/product/{self.version}/images/upload",
            files={"data": (filename, data, "image/jpeg")},
            idempotency_key=idempotency_key,
            shop_scoped=False,  # the app's image space, not the shop's
        )
        return ImageRef(self.platform, str(body["uri"]), str(body["url"]))


class TokopediaConnector(TikTokShopConnector):
    """Our Tokopedia products (same API as TikTok Shop, Tokopedia's app and shop)."""

    platform: ClassVar[str] = "tokopedia"

    def _default_config(self) -> TikTokShopConfig | TokopediaConfig:
        return TokopediaConfig()
