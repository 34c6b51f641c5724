"""Shopee Open Platform v2: signed calls, token refresh, our listings and prices.

Every call is signed: ``sign = hex(HMAC-SHA256(partner_key, partner_id + path +
timestamp [+ access_token + shop_id]))``. Access tokens live 4 hours; on
``invalid_acceess_token`` (sic, Shopee's spelling) the connector refreshes once with the
refresh token and repeats the call. Responses map to actions in
:func:`raise_for_response`.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TokenExpired, TransientError
from backend.connectors.common import (
    TokenKeeper,
    idempotency_headers,
    json_or_none,
    retry_after,
    send,
)
from backend.connectors.defaults import default_value
from backend.connectors.types import ImageRef, Listing, Page, TokenPair, Variant

__all__ = ["ShopeeConfig", "ShopeeConnector", "raise_for_response", "shopee_sign"]

PLATFORM = "shopee"
_RATE = frozenset({"error_too_many_request", "error_busy", "error_rate_limit"})
_EXPIRED = frozenset({"invalid_acceess_token", "invalid_access_token", "error_token_expired"})
_AUTH = frozenset({"error_sign", "error_auth", "error_permission", "error_partner"})
_TRANSIENT = frozenset({"error_server", "error_inner", "error_network", "error_system_busy"})


def _sandbox(field: str) -> Any:
    return default_value(PLATFORM, field)


class ShopeeConfig(BaseModel):
    """One shop on Shopee Open Platform. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="API host, e.g. https://partner.shopeemobile.com (sandbox: <sandbox>/shopee).",
    )
    partner_id: int = Field(
        default_factory=lambda: _sandbox("partner_id"), description="Your app's partner id."
    )
    partner_key: SecretStr = Field(
        default_factory=lambda: SecretStr(_sandbox("partner_key")),
        description="Your app's partner key; signs every request.",
    )
    shop_id: int = Field(default_factory=lambda: _sandbox("shop_id"), description="The shop id.")
    access_token: SecretStr = Field(
        default_factory=lambda: SecretStr(_sandbox("access_token")),
        description="Shop access token (4 h); refreshed automatically.",
    )
    refresh_token: SecretStr = Field(
        default_factory=lambda: SecretStr(_sandbox("refresh_token")),
        description="Refresh token (30 days) used to get new access tokens.",
    )


def shopee_sign(
    key: str, partner_id: int, path: str, ts: int, token: str = "", shop: str = ""
) -> str:
    """Shopee's request signature."""
    base = f"{partner_id}{path}{ts}{token}{shop}"
    return hmac.new(key.encode(), base.encode(), hashlib.sha256).hexdigest()


def raise_for_response(response: httpx.Response) -> dict[str, Any]:
    """Return a success body; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if not isinstance(body, dict):
        raise TransientError("malformed response body", platform=PLATFORM, status=status)
    error = str(body.get("error") or "")
    message = str(body.get("message") or error or f"HTTP {status}")
    if status == 429 or error in _RATE:
        raise RateLimited(
            message, platform=PLATFORM, retry_after=retry_after(response), status=status
        )
    if error in _EXPIRED:
        raise TokenExpired(message, platform=PLATFORM, status=status)
    if status >= 500 or error in _TRANSIENT:
        raise TransientError(message, platform=PLATFORM, status=status, body=body)
    if error in _AUTH or status in (401, 403):
        raise AuthFailed(f"{error or 'refused'}: {message}", platform=PLATFORM, status=status)
    if error or status >= 400:
        raise Rejected(f"{error}: {message}", platform=PLATFORM, status=status, body=body)
    return body


def _tiers(item_id: int, variants: tuple[Variant, ...]) -> dict[str, Any]:
    """One tier (``Size``: S, M, L) and a model per option, as Shopee takes them."""
    model = []
    for i, v in enumerate(variants):
        entry: dict[str, Any] = {"tier_index": [i], "model_sku": v.sku, "original_price": v.price}
        if v.stock is not None:
            entry["seller_stock"] = [{"stock": v.stock}]
        model.append(entry)
    return {
        "item_id": item_id,
        "tier_variation": [
            {"name": variants[0].attribute, "option_list": [{"option": v.option} for v in variants]}
        ],
        "model": model,
    }


class ShopeeConnector:
    """Our Shopee shop: listings, prices, stock, images."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        config: ShopeeConfig | None = None,
        on_token_refresh: Callable[[TokenPair], Awaitable[None]] | None = None,
    ) -> None:
        self._config = config or ShopeeConfig()
        self._client = client
        self._base = self._config.base_url.rstrip("/")
        self._item_ids: dict[str, int] = {}
        self._has_model: dict[int, bool] = {}  # item id -> has variants, where known
        self._model_list: dict[int, dict[str, int]] = {}  # item id -> model sku -> id
        self.tokens = TokenKeeper(
            TokenPair(
                self._config.access_token.get_secret_value(),
                self._config.refresh_token.get_secret_value(),
            ),
            refresh=self._refresh,
            on_refresh=on_token_refresh,
        )

    def _query(self, path: str, token: str | None) -> dict[str, Any]:
        cfg = self._config
        ts = int(time.time())
        key = cfg.partner_key.get_secret_value()
        if token is None:
            return {
                "partner_id": cfg.partner_id,
                "timestamp": ts,
                "sign": shopee_sign(key, cfg.partner_id, path, ts),
            }
        sign = shopee_sign(key, cfg.partner_id, path, ts, token, str(cfg.shop_id))
        return {
            "partner_id": cfg.partner_id,
            "timestamp": ts,
            "sign": sign,
            "access_token": token,
            "shop_id": cfg.shop_id,
        }

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
        shop_level: bool = True,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        async def attempt(token: str) -> dict[str, Any]:
            query = {**self._query(path, token if shop_level else None), **(params or {})}
            response = await send(
                self._client,
                method,
                self._base + path,
                platform=PLATFORM,
                params=query,
                json=json,
                files=files,
                headers=idempotency_headers(idempotency_key),
            )
            return raise_for_response(response)

        return await self.tokens.call(attempt)

    async def _refresh(self, tokens: TokenPair) -> TokenPair:
        path = "/api/v2/auth/access_token/get"
        body = {
            "refresh_token": tokens.refresh_token,
            "shop_id": self._config.shop_id,
            "partner_id": self._config.partner_id,
        }
        response = await send(
            self._client,
            "POST",
            self._base + path,
            platform=PLATFORM,
            params=self._query(path, None),
            json=body,
        )
        try:
            data = raise_for_response(response)
        except TokenExpired as exc:
            raise AuthFailed("refresh token refused", platform=PLATFORM) from exc
        return TokenPair(
            data["access_token"],
            data.get("refresh_token") or tokens.refresh_token,
            time.time() + float(data.get("expire_in", 14400)),
        )

    def _listing(self, item: dict[str, Any]) -> Listing:
        price_info = (item.get("price_info") or [{}])[0]
        stock = ((item.get("stock_info_v2") or {}).get("summary_info") or {}).get(
            "total_available_stock"
        )
        sku = str(item.get("item_sku") or "")
        self._item_ids[sku] = int(item["item_id"])
        if "has_model" in item:
            self._has_model[int(item["item_id"])] = bool(item["has_model"])
        category = item.get("category_id")
        return Listing(
            platform=PLATFORM,
            sku=sku,
            title=str(item.get("item_name") or ""),
            price=int(price_info.get("original_price") or 0),
            stock=stock,
            description=str(item.get("description") or ""),
            images=tuple((item.get("image") or {}).get("image_url_list") or ()),
            listing_id=str(item["item_id"]),
            currency=price_info.get("currency", "IDR"),
            status="active" if item.get("item_status") == "NORMAL" else "inactive",
            category_id=str(category) if category else None,
        )

    async def _models(self, item_id: int) -> tuple[Variant, ...]:
        data = await self._call(
            "GET", "/api/v2/product/get_model_list", params={"item_id": str(item_id)}
        )
        resp = data["response"]
        tiers = resp.get("tier_variation") or []
        out = []
        for m in resp.get("model") or []:
            index = (m.get("tier_index") or [0])[0]
            tier = tiers[0] if tiers else {}
            options = tier.get("option_list") or []
            stock = ((m.get("stock_info_v2") or {}).get("summary_info") or {}).get(
                "total_available_stock"
            )
            out.append(
                Variant(
                    sku=str(m.get("model_sku") or ""),
                    option=str(options[index]["option"]) if index < len(options) else "",
                    price=int((m.get("price_info") or [{}])[0].get("original_price") or 0),
                    stock=stock,
                    attribute=str(tier.get("name") or ""),
                )
            )
        return tuple(out)

    async def list_listings(
        self, *, cursor: str | None = None, page_size: int = 50
    ) -> Page[Listing]:
        """A page of our items (two calls: ids, then base info)."""
        offset = int(cursor or 0)
        data = await self._call(
            "GET",
            "/api/v2/product/get_item_list",
            params={"offset": offset, "page_size": min(page_size, 50), "item_status": "NORMAL"},
        )
        resp = data["response"]
        ids = [str(i["item_id"]) for i in resp.get("item", [])]
        items: list[Listing] = []
        if ids:
            info = await self._call(
                "GET", "/api/v2/product/get_item_base_info", params={"item_id_list": ",".join(ids)}
            )
            items = [self._listing(i) for i in info["response"].get("item_list", [])]
        nxt = str(resp["next_offset"]) if resp.get("has_next_page") else None
        return Page(items=items, next_cursor=nxt, total=resp.get("total_count"))

    async def _item_id(self, sku: str) -> int | None:
        if sku not in self._item_ids:
            data = await self._call("GET", "/api/v2/product/search_item", params={"item_sku": sku})
            ids = data["response"].get("item_id_list") or []
            if not ids:
                return None
            self._item_ids[sku] = int(ids[0])
        return self._item_ids[sku]

    async def _require(self, sku: str) -> int:
        item_id = await self._item_id(sku)
        if item_id is None:
            raise Rejected(f"SKU {sku} is not listed", platform=PLATFORM, status=404)
        return item_id

    async def get_listing(self, sku: str) -> Listing | None:
        item_id = await self._item_id(sku)
        if item_id is None:
            return None
        info = await self._call(
            "GET", "/api/v2/product/get_item_base_info", params={"item_id_list": str(item_id)}
        )
        items = info["response"].get("item_list") or []
        if not items:
            return None
        found = self._listing(items[0])
        if items[0].get("has_model"):  # variants come from their own call
            found = replace(found, variants=await self._models(item_id))
        return found

    async def update_price(
        self, sku: str, price: int, *, idempotency_key: str | None = None
    ) -> None:
        """Price the item; an item with variants is priced per model, every model at
        ``price`` (model_id 0 stands for an item without any)."""
        item_id = await self._require(sku)
        known = self._has_model.get(item_id)

        async def send(models: list[int], key: str | None) -> list[Any]:
            data = await self._call(
                "POST", "/api/v2/product/update_price",
                json={"item_id": item_id, "price_list": [
                    {"model_id": m, "original_price": price} for m in models]},
                idempotency_key=key,
            )  # fmt: skip
            return list(data["response"].get("failure_list") or [])

        failed = await send(await self._model_ids(item_id) if known else [0], idempotency_key)
        if failed and known is None and (models := await self._model_ids(item_id)):
            # Not known to have variants, and it has: once more, model by model.
            failed = await send(models, f"{idempotency_key}:models" if idempotency_key else None)
        if failed:
            raise Rejected(str(failed), platform=PLATFORM)

    async def update_stock(
        self, sku: str, stock: int, *, idempotency_key: str | None = None
    ) -> None:
        """Set the item's stock. An item with variants keeps stock per model, which one
        number cannot say: refused (the catalog sync writes variants' stock through
        ``upsert_listing``, a repair through :meth:`update_variant_stock`)."""
        item_id = await self._require(sku)
        variants = Rejected(f"SKU {sku} has variants on Shopee: its stock is set per variant",
                            platform=PLATFORM)
        if self._has_model.get(item_id):
            raise variants
        data = await self._call(
            "POST", "/api/v2/product/update_stock",
            json={"item_id": item_id,
                  "stock_list": [{"model_id": 0, "seller_stock": [{"stock": stock}]}]},
            idempotency_key=idempotency_key,
        )  # fmt: skip
        failed = data["response"].get("failure_list") or []
        if failed:
            raise variants if await self._model_ids(item_id) else Rejected(
                str(failed), platform=PLATFORM, body=data)

    async def cancel_order(self, order_id: str, *, reason: str = "OUT_OF_STOCK",
                           idempotency_key: str | None = None) -> None:  # fmt: skip
        """Cancel an order as the seller (``v2.order.cancel_order``, cancel_reason
        OUT_OF_STOCK: the shop cannot fill it)."""
        await self._call("POST", "/api/v2/order/cancel_order",
                         json={"order_sn": order_id, "cancel_reason": reason},
                         idempotency_key=idempotency_key)  # fmt: skip

    async def update_variant_stock(
        self, sku: str, stocks: dict[str, int], *, idempotency_key: str | None = None
    ) -> None:
        """Set the stock of an item's variants, by their SKUs (each a model's
        ``model_sku``); a SKU the item has no model for is refused before any write."""
        item_id = await self._require(sku)
        by_sku = await self._model_map(item_id)
        unknown = sorted(set(stocks) - set(by_sku))
        if unknown:
            raise Rejected(f"SKU {sku} has no variant {', '.join(unknown)} on Shopee",
                           platform=PLATFORM)
        body = {"item_id": item_id,
                "stock_list": [{"model_id": by_sku[v], "seller_stock": [{"stock": n}]}
                               for v, n in stocks.items()]}  # fmt: skip
        data = await self._call("POST", "/api/v2/product/update_stock", json=body,
                                idempotency_key=idempotency_key)  # fmt: skip
        if data["response"].get("failure_list"):
            raise Rejected(str(data["response"]["failure_list"]), platform=PLATFORM, body=data)

    async def _model_ids(self, item_id: int) -> list[int]:
        """The item's model ids (none for an item without variants)."""
        return list((await self._model_map(item_id)).values())

    async def _model_map(self, item_id: int) -> dict[str, int]:
        """The item's models, ``model_sku -> model_id`` (empty without variants); read
        once per connector, and again after this connector replaced them."""
        if self._has_model.get(item_id) is False:
            return {}
        if item_id not in self._model_list:
            data = await self._call(
                "GET", "/api/v2/product/get_model_list", params={"item_id": str(item_id)}
            )
            self._model_list[item_id] = {str(m.get("model_sku")): int(m["model_id"])
                                         for m in data["response"].get("model") or []}
            self._has_model[item_id] = bool(self._model_list[item_id])
        return self._model_list[item_id]

    async def upsert_listing(
        self, listing: Listing, *, idempotency_key: str | None = None
    ) -> Listing:
        """update_item when the SKU is listed, else add_item; variants then go to
        init_tier_variation (item without them yet) or update_tier_variation, one tier.
        ``list_listings`` does not read variants back (one more call per item);
        ``get_listing`` does."""
        body: dict[str, Any] = {
            "item_sku": listing.sku,
            "item_name": listing.title,
            "description": listing.description,
            "original_price": listing.price,
            "image": {"image_url_list": list(listing.images)},
        }
        if listing.category_id:
            body["category_id"] = int(listing.category_id)
        if listing.stock is not None:
            body["seller_stock"] = [{"stock": listing.stock}]
        item_id = await self._item_id(listing.sku)
        if item_id is None:
            data = await self._call(
                "POST", "/api/v2/product/add_item", json=body, idempotency_key=idempotency_key
            )
        else:
            data = await self._call(
                "POST",
                "/api/v2/product/update_item",
                json={"item_id": item_id, **body},
                idempotency_key=idempotency_key,
            )
        written = self._listing(data["response"])
        if listing.variants:
            # An item listed without variants (or created by a try whose variants failed)
            # takes init; one that has them, update.
            verb = "update" if data["response"].get("has_model") else "init"
            await self._call(
                "POST",
                f"/api/v2/product/{verb}_tier_variation",
                json=_tiers(int(data["response"]["item_id"]), listing.variants),
                idempotency_key=f"{idempotency_key}:variants" if idempotency_key else None,
            )
            written = replace(written, variants=listing.variants)
            self._has_model[int(data["response"]["item_id"])] = True
            self._model_list.pop(int(data["response"]["item_id"]), None)  # replaced
        return written

    async def upload_image(
        self, data: bytes, *, filename: str, idempotency_key: str | None = None
    ) -> ImageRef:
        body = await self._call(
            "POST",
            "/api/v2/media_space/upload_image",
            files={"image": (filename, data, "image/jpeg")},
            shop_level=False,
            idempotency_key=idempotency_key,
        )
        info = body["response"]["image_info"]
        return ImageRef(PLATFORM, str(info["image_id"]), info["image_url_list"][0]["image_url"])
