"""TikTok Shop Partner API (products 202309, search also 202502, edit also 202509), also
serving Tokopedia (same API since the merger).

Mounted twice: ``/tiktok-shop/...`` and ``/tokopedia/...``, each with its own app
credentials. Every call has query ``app_key``, ``timestamp``, ``sign`` and header
``x-tts-access-token``; shop-scoped calls also ``shop_cipher`` (image upload is not
shop-scoped and takes none, as TikTok's API reference has it). The sign is
hex(HMAC-SHA256(app_secret, app_secret + path + sorted(k + v for query params except
sign/access_token) + body + app_secret)); multipart bodies are left out. ``path``
excludes the sandbox prefix.

Tokens live on their own host, as on the platform: ``tiktok_auth.py``. A token refresh
sent to the open-API prefix is a 404, as it would be on the open-API host.

Success ``{"code": 0, "message": "Success", "request_id", "data"}``; errors use the same
envelope with: 106001 invalid sign, 106002 invalid app_key, 105001 invalid token,
105002 token expired, 36009003 too many requests (HTTP 429), 12052048 not found,
40006 invalid parameter, 50000 server error.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from typing import Any

from aiohttp import web

from backend.sandbox import shop, shop_orders
from backend.sandbox.credentials import CREDENTIALS, shop_credentials, shop_names
from backend.sandbox.data.categories import PLATFORM_CATEGORIES
from backend.sandbox.platform import (
    ApiError,
    Platform,
    check_token,
    endpoint,
    error_response,
    json_response,
    read_json,
    state_of,
)
from backend.sandbox.uploads import store_upload

__all__ = ["register", "tts_sign"]

_ERRORS = {
    "auth": (401, 105001, "Invalid access token."),
    "expired": (401, 105002, "Access token is expired, please refresh it."),
    "rate_limited": (429, 36009003, "Too many requests."),
    "bad_request": (400, 40006, "Invalid parameter."),
    "not_found": (404, 12052048, "Product does not exist."),
    "forbidden": (401, 106001, "Invalid signature."),
    "server": (500, 50000, "Internal error, please retry."),
}
_PREFIXES = {"tiktok_shop": "/tiktok-shop", "tokopedia": "/tokopedia"}


def tts_sign(secret: str, path: str, query: dict[str, str], body: bytes) -> str:
    """The TikTok Shop signature (connectors and the sandbox share this definition)."""
    parts = "".join(f"{k}{query[k]}" for k in sorted(query) if k not in ("sign", "access_token"))
    base = secret + path + parts + body.decode("utf-8", "replace") + secret
    return hmac.new(secret.encode(), base.encode(), hashlib.sha256).hexdigest()


def _render(err: ApiError) -> web.Response:
    status, code, default = _ERRORS[err.kind]
    body = {
        "code": err.code or code,
        "message": err.message if err.message != err.kind else default,
        "request_id": uuid.uuid4().hex,
        "data": None,
    }
    return error_response(err, body, status=err.status or status)


def _ok(data: Any) -> web.Response:
    return json_response(
        {"code": 0, "message": "Success", "request_id": uuid.uuid4().hex, "data": data}
    )


def _build(name: str) -> tuple[Platform, list[tuple[str, str, Any]]]:
    platform = Platform(name, _render)
    prefix = _PREFIXES[name]
    creds = CREDENTIALS[name]

    async def auth(request: web.Request) -> str:
        """The store of the shop the call names (its cipher), whose token it must carry."""
        await app_auth(request)
        cipher = request.query.get("shop_cipher")
        shops = [s for s in shop_names(name)
                 if (shop_credentials(name, s) or {}).get("shop_cipher") == cipher]  # fmt: skip
        if not shops:
            raise ApiError("bad_request", "Invalid shop_cipher.", code=106004)
        token = request.headers.get("x-tts-access-token", "")
        if state_of(request).tokens.shop_of(token) != shops[0]:
            raise ApiError("auth", "The access token is not of this shop.")
        return shop.store(name, shops[0])

    async def app_auth(request: web.Request) -> str:
        """App-level calls (image upload): signed, with a token, no shop_cipher."""
        q = dict(request.query)
        if q.get("app_key") != creds["app_key"]:
            raise ApiError("forbidden", "Invalid app_key.", code=106002)
        ts = q.get("timestamp", "")
        if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
            raise ApiError("bad_request", "Timestamp is invalid or expired.", code=106003)
        body = b"" if request.content_type.startswith("multipart/") else await request.read()
        expected = tts_sign(creds["app_secret"], request.path[len(prefix) :], q, body)
        if not hmac.compare_digest(expected, q.get("sign", "")):
            raise ApiError("forbidden")
        check_token(request, name, request.headers.get("x-tts-access-token", ""))
        return "app"

    def summary(listing: dict[str, Any]) -> dict[str, Any]:
        """A product as search returns it: no description, images or categories (those
        come from the product itself, GET /products/{id})."""
        pid = str(listing["item_id"])
        return {
            "id": pid,
            "title": listing["title"],
            "status": "ACTIVATE" if listing.get("status") == "active" else "DEACTIVATED",
            "skus": [
                {
                    "id": str(int(pid) + 7),
                    "seller_sku": listing["sku"],
                    "price": {
                        "currency": "IDR",
                        "sale_price": str(listing["price"]),
                        "tax_exclusive_price": str(listing["price"]),
                    },
                    "inventory": [
                        {"quantity": listing.get("stock", 0), "warehouse_id": "7000714532876273420"}
                    ],
                }
            ],
            "sales_regions": ["ID"],
            "create_time": listing.get("created_at", listing.get("updated_at", 0)),
            "update_time": listing.get("updated_at", 0),
        }

    def product(listing: dict[str, Any], base_url: str) -> dict[str, Any]:
        return {
            **summary(listing),
            "description": listing.get("description", ""),
            "category_chains": [{"id": str(listing["category_id"]), "is_leaf": True}]
            if listing.get("category_id") else [],
            "main_images": [
                {"uri": p.rsplit("/", 1)[-1], "urls": [base_url + p if p.startswith("/") else p]}
                for p in listing.get("images", [])
            ],
        }

    def find(request: web.Request, store: str) -> str:
        sku = shop.sku_of_item(state_of(request), store, int(request.match_info["product_id"]))
        if sku is None:
            raise ApiError("not_found")
        return sku

    def base_url(request: web.Request) -> str:
        return f"{request.scheme}://{request.host}"

    @endpoint(platform, "products.search", auth=auth)
    async def search(request: web.Request, account: str) -> web.Response:
        state = state_of(request)
        body = await read_json(request)
        size = int(request.query.get("page_size", "20") or 20)
        if not 1 <= size <= 100:
            raise ApiError("bad_request", "page_size must be 1..100.")
        token = request.query.get("page_token", "")
        offset = int(token) if token.isdigit() else 0
        skus = shop.listed_skus(state, account)
        wanted = body.get("seller_skus")
        if wanted:
            skus = [s for s in skus if s in set(wanted)]
        page = [shop.listing(state, account, s) for s in skus[offset : offset + size]]
        nxt = str(offset + size) if offset + size < len(skus) else ""
        return _ok(
            {
                "products": [summary(x) for x in page if x],
                "next_page_token": nxt,
                "total_count": len(skus),
            }
        )

    @endpoint(platform, "products.get", auth=auth)
    async def get_product(request: web.Request, account: str) -> web.Response:
        listing = shop.listing(state_of(request), account, find(request, account))
        assert listing is not None
        return _ok(product(listing, base_url(request)))

    @endpoint(platform, "products.prices_update", auth=auth, mutating=True)
    async def update_price(request: web.Request, account: str) -> web.Response:
        sku = find(request, account)
        body = await read_json(request)
        try:
            amount = float(body["skus"][0]["price"]["amount"])
        except (KeyError, IndexError, TypeError, ValueError):
            raise ApiError("bad_request", "skus[0].price.amount is required.") from None
        if amount <= 0:
            raise ApiError("bad_request", "Price must be positive.")
        shop.set_price(state_of(request), account, sku, int(amount))
        return _ok({})

    @endpoint(platform, "products.inventory_update", auth=auth, mutating=True)
    async def update_inventory(request: web.Request, account: str) -> web.Response:
        sku = find(request, account)
        body = await read_json(request)
        try:
            qty = int(body["skus"][0]["inventory"][0]["quantity"])
        except (KeyError, IndexError, TypeError, ValueError):
            raise ApiError("bad_request", "skus[0].inventory[0].quantity is required.") from None
        shop.set_stock(state_of(request), account, sku, qty)
        return _ok({})

    def fields(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        try:
            sku_body = body["skus"][0]
            sku = str(sku_body["seller_sku"])
        except (KeyError, IndexError, TypeError):
            raise ApiError("bad_request", "skus[0].seller_sku is required.") from None
        if not body.get("title"):
            raise ApiError("bad_request", "title is required.")
        price = (sku_body.get("price") or {}).get("amount")
        inventory = sku_body.get("inventory") or [{}]
        category = body.get("category_id")
        if category is not None and str(category) not in PLATFORM_CATEGORIES[name]:
            raise ApiError("bad_request", f"category_id {category} is not a leaf category.")
        return sku, {
            "category_id": str(category) if category is not None else None,
            "title": body.get("title"),
            "description": body.get("description"),
            "price": int(float(price)) if price not in (None, "") else None,
            "stock": inventory[0].get("quantity"),
            "images": [img.get("uri") for img in body.get("main_images") or []] or None,
        }

    @endpoint(platform, "products.create", auth=auth, mutating=True)
    async def create(request: web.Request, account: str) -> web.Response:
        sku, data = fields(await read_json(request))
        listing, created = shop.upsert(state_of(request), account, sku, data)
        return _ok(
            {
                "product_id": str(listing["item_id"]),
                "created": created,
                "skus": [{"id": str(listing["item_id"] + 7), "seller_sku": sku}],
            }
        )

    @endpoint(platform, "products.edit", auth=auth, mutating=True)
    async def edit(request: web.Request, account: str) -> web.Response:
        find(request, account)
        sku, data = fields(await read_json(request))
        listing, _ = shop.upsert(state_of(request), account, sku, data)
        return _ok(
            {
                "product_id": str(listing["item_id"]),
                "skus": [{"id": str(listing["item_id"] + 7), "seller_sku": sku}],
            }
        )

    @endpoint(platform, "images.upload", auth=app_auth, mutating=True)
    async def upload(request: web.Request, account: str) -> web.Response:
        info = await store_upload(request, platform=name, field="data")
        return _ok(
            {
                "uri": info["id"],
                "url": info["url"],
                "width": info["width"],
                "height": info["height"],
                "use_case": "MAIN_IMAGE",
            }
        )

    @endpoint(platform, "orders.cancel", auth=auth, mutating=True)
    async def cancel(request: web.Request, account: str) -> web.Response:
        """The seller cancels an order it cannot fill; its units go back to the listing."""
        body = await read_json(request)
        order_id = str(body.get("order_id") or "")
        state = state_of(request)
        if shop_orders.order_of(state, name, order_id) is None:
            raise ApiError("not_found", f"order {order_id} not found.", code=21011001)
        shop_orders.apply_status(state, platform=name, order_id=order_id, status="CANCELLED",
                                 shop_id="")
        return _ok({"cancel_id": f"C{order_id}", "cancel_status": "CANCELLATION_REQUEST_COMPLETE"})

    p = prefix + "/product/202309"
    routes = [
        ("POST", prefix + "/return_refund/202309/cancellations", cancel),
        ("POST", p + "/products/search", search),
        ("POST", prefix + "/product/202502/products/search", search),
        ("GET", p + r"/products/{product_id:\d+}", get_product),
        ("POST", p + r"/products/{product_id:\d+}/prices/update", update_price),
        ("POST", p + r"/products/{product_id:\d+}/inventory/update", update_inventory),
        ("POST", p + "/products", create),
        ("PUT", p + r"/products/{product_id:\d+}", edit),
        ("PUT", prefix + r"/product/202509/products/{product_id:\d+}", edit),
        ("POST", p + "/images/upload", upload),
    ]
    return platform, routes


def register(app: web.Application) -> None:
    for name in _PREFIXES:
        _, routes = _build(name)
        for method, path, handler in routes:
            app.router.add_route(method, path, handler)
