"""Lazada Open Platform under ``/lazada/rest/...``; its auth host under ``/lazada-auth/rest``.

System parameters ``app_key``, ``timestamp`` (ms), ``sign_method=sha256``,
``access_token`` and ``sign`` = uppercase hex(HMAC-SHA256(app_secret, api_path +
concat(key + value for every query and form parameter except sign, sorted by key))).
Parameters come in the query, a urlencoded form or, with a file (image upload), the
fields of a multipart body: the official SDK sends them there. Files are not signed.
Writes are posts whose ``payload`` is Lazada's XML (``<Request><Product>...``).
``/product/create`` refuses a SellerSku the shop already has; ``/product/update``
changes one it has (and refuses one it does not). Tokens are refreshed on the auth
host (``auth.lazada.com/rest/auth/token/refresh``), as the SDK does, not the API host.

Success ``{"code": "0", "data", "request_id"}``. Errors keep HTTP 200 like Lazada does,
except 429 (ApiCallLimit) and 5xx: ``{"type": "ISV", "code": "IncompleteSignature" |
"IllegalAccessToken" | "InvalidAppKey" | "MissingParameter" | "InvalidParameter" |
"ProductNotFound" | "ApiCallLimit" | "InternalError", "message", "request_id"}``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from backend.sandbox import shop
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.data.categories import PLATFORM_CATEGORIES
from backend.sandbox.platform import (
    ApiError,
    Platform,
    check_token,
    endpoint,
    error_response,
    json_response,
    state_of,
)
from backend.sandbox.uploads import store_upload

__all__ = ["register", "lazada_sign", "LAZADA", "PREFIX", "AUTH_PREFIX"]

PREFIX = "/lazada/rest"
_JAKARTA = ZoneInfo("Asia/Jakarta")
AUTH_PREFIX = "/lazada-auth/rest"
_ERRORS = {
    "auth": (200, "IllegalAccessToken", "The specified access token is invalid or expired"),
    "expired": (200, "IllegalAccessToken", "The specified access token is invalid or expired"),
    "rate_limited": (429, "ApiCallLimit", "The request has exceeded the limit"),
    "bad_request": (200, "InvalidParameter", "Invalid parameter"),
    "not_found": (200, "ProductNotFound", "Product not found"),
    "forbidden": (200, "IncompleteSignature", "The request signature does not conform"),
    "server": (500, "InternalError", "The request processing has failed"),
}


def lazada_sign(secret: str, api_path: str, params: Mapping[str, str]) -> str:
    """Lazada's signature over the API path and all parameters but ``sign``."""
    base = api_path + "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign")
    return hmac.new(secret.encode(), base.encode(), hashlib.sha256).hexdigest().upper()


def _render(err: ApiError) -> web.Response:
    status, code, default = _ERRORS[err.kind]
    body = {
        "type": "ISV" if status < 500 else "ISP",
        "code": err.code or code,
        "message": err.message if err.message != err.kind else default,
        "request_id": uuid.uuid4().hex[:13],
    }
    return error_response(err, body, status=err.status or status)


LAZADA = Platform("lazada", _render)


def _ok(data: Any = None, **extra: Any) -> web.Response:
    body: dict[str, Any] = {"code": "0", "request_id": uuid.uuid4().hex[:13], **extra}
    if data is not None:
        body["data"] = data
    return json_response(body)


async def _params(request: web.Request) -> dict[str, str]:
    """Query, form and multipart text fields (files are neither parameters nor signed)."""
    params = dict(request.query)
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()  # cached: a later read of the upload sees it too
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params


async def _verify(request: web.Request, *, needs_token: bool) -> dict[str, str]:
    creds = CREDENTIALS["lazada"]
    params = await _params(request)
    if params.get("app_key") != creds["app_key"]:
        raise ApiError("forbidden", "Invalid app key", code="InvalidAppKey")
    ts = params.get("timestamp", "")
    if not ts.isdigit() or abs(time.time() * 1000 - int(ts)) > 300_000:
        raise ApiError("bad_request", "Invalid timestamp", code="InvalidTimestamp")
    if params.get("sign_method", "sha256") != "sha256":
        raise ApiError("bad_request", "Unsupported sign_method", code="InvalidParameter")
    prefix = AUTH_PREFIX if request.path.startswith(AUTH_PREFIX) else PREFIX
    expected = lazada_sign(creds["app_secret"], request.path[len(prefix) :], params)
    if not hmac.compare_digest(expected, params.get("sign", "")):
        raise ApiError("forbidden")
    if needs_token:
        if not params.get("access_token"):
            raise ApiError("bad_request", "Missing access_token", code="MissingParameter")
        check_token(request, "lazada", params["access_token"])
    return params


async def _auth(request: web.Request) -> str:
    """The store of the seller whose token the call carries (each shop has its own)."""
    params = await _verify(request, needs_token=True)
    return shop.store("lazada", state_of(request).tokens.shop_of(params["access_token"]))


async def _app_auth(request: web.Request) -> str:
    await _verify(request, needs_token=False)
    return "app"


def _product(listing: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {
        "item_id": listing["item_id"],
        "primary_category": int(listing.get("category_id") or 10000),
        "status": "Active" if listing.get("status") == "active" else "InActive",
        "attributes": {
            "name": listing["title"],
            "description": listing.get("description", ""),
            "brand": listing.get("brand", "No Brand"),
        },
        "skus": [
            {
                "SellerSku": listing["sku"],
                "SkuId": listing["item_id"] * 10 + 1,
                "price": listing["price"],
                "special_price": listing["price"],
                "quantity": listing.get("stock", 0),
                "Status": "active",
                "Images": [
                    base_url + p if p.startswith("/") else p for p in listing.get("images", [])
                ],
            }
        ],
        "updated_time": str(listing.get("updated_at", 0) * 1000),
    }


def _base(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


@endpoint(LAZADA, "products.get", auth=_auth)
async def products_get(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    params = await _params(request)
    try:
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 20))
    except ValueError:
        raise ApiError("bad_request", "offset and limit must be integers") from None
    if not 1 <= limit <= 50:
        raise ApiError("bad_request", "limit must be 1..50")
    skus = shop.listed_skus(state, account)
    page = [shop.listing(state, account, s) for s in skus[offset : offset + limit]]
    return _ok(
        {"total_products": len(skus), "products": [_product(x, _base(request)) for x in page if x]}
    )


@endpoint(LAZADA, "product.item.get", auth=_auth)
async def item_get(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    params = await _params(request)
    sku = params.get("seller_sku") or (
        shop.sku_of_item(state, account, int(params["item_id"]))
        if params.get("item_id", "").isdigit()
        else None
    )
    listing = shop.listing(state, account, sku) if sku else None
    if listing is None:
        raise ApiError("not_found")
    return _ok(_product(listing, _base(request)))


def _payload(params: Mapping[str, str]) -> ET.Element:
    try:
        root = ET.fromstring(params.get("payload", ""))
    except ET.ParseError:
        raise ApiError("bad_request", "payload is not valid XML", code="InvalidParameter") from None
    if root.tag != "Request" or root.find("Product") is None:
        raise ApiError(
            "bad_request", "payload must be <Request><Product>...", code="InvalidParameter"
        )
    return root


def _text(el: ET.Element | None, *names: str) -> str | None:
    if el is None:
        return None
    for name in names:
        found = el.find(name)
        if found is not None and found.text is not None:
            return found.text.strip()
    return None


@endpoint(LAZADA, "product.price_quantity.update", auth=_auth, mutating=True)
async def price_quantity_update(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    root = _payload(await _params(request))
    skus = root.findall("./Product/Skus/Sku")
    if not skus:
        raise ApiError("bad_request", "No Sku in payload", code="MissingParameter")
    for el in skus:
        sku = _text(el, "SellerSku")
        if not sku or shop.listing(state, account, sku) is None:
            raise ApiError("not_found", f"SellerSku {sku} not found")
        price, qty = _text(el, "Price", "price"), _text(el, "Quantity", "quantity")
        try:
            if price is not None:
                shop.set_price(state, account, sku, int(float(price)))
            if qty is not None:
                shop.set_stock(state, account, sku, int(qty))
        except ValueError:
            raise ApiError("bad_request", "Price/Quantity must be numbers") from None
    return _ok()


async def _upsert(request: web.Request, account: str, *, create: bool) -> web.Response:
    state = state_of(request)
    product = _payload(await _params(request)).find("Product")
    sku_el = product.find("./Skus/Sku") if product is not None else None
    sku = _text(sku_el, "SellerSku")
    name = _text(product.find("Attributes") if product is not None else None, "name")
    if not sku or not name:
        raise ApiError(
            "bad_request", "SellerSku and Attributes/name are required", code="MissingParameter"
        )
    price, qty = _text(sku_el, "price", "Price"), _text(sku_el, "quantity", "Quantity")
    known = shop.listing(state, account, sku) is not None
    if create and known:
        raise ApiError("bad_request", f"SellerSku {sku} already exists; use /product/update",
                       code="500")  # fmt: skip
    if not create and not known:
        raise ApiError("not_found", f"SellerSku {sku} does not exist; use /product/create")
    category = _text(product, "PrimaryCategory") if product is not None else None
    if category and category not in PLATFORM_CATEGORIES["lazada"]:
        raise ApiError("bad_request", f"PrimaryCategory {category} is not a leaf category",
                       code="InvalidCategory")  # fmt: skip
    images = [
        i.text for i in (product.findall("./Images/Image") if product is not None else []) if i.text
    ]
    listing, created = shop.upsert(
        state,
        account,
        sku,
        {
            "title": name,
            "description": _text(
                product.find("Attributes") if product is not None else None, "description"
            ),
            "price": int(float(price)) if price else None,
            "stock": int(qty) if qty else None,
            "images": images or None,
            "category_id": category or None,
        },
    )
    return _ok(
        {
            "item_id": listing["item_id"],
            "created": created,
            "sku_list": [{"seller_sku": sku, "sku_id": listing["item_id"] * 10 + 1}],
        }
    )


@endpoint(LAZADA, "product.create", auth=_auth, mutating=True)
async def product_create(request: web.Request, account: str) -> web.Response:
    return await _upsert(request, account, create=True)


@endpoint(LAZADA, "product.update", auth=_auth, mutating=True)
async def product_update(request: web.Request, account: str) -> web.Response:
    return await _upsert(request, account, create=False)


@endpoint(LAZADA, "image.upload", auth=_auth, mutating=True)
async def image_upload(request: web.Request, account: str) -> web.Response:
    info = await store_upload(request, platform="lazada", field="image")
    return _ok({"image": {"url": info["url"], "hash_code": info["sha256"][:32]}})


_ORDER_STATUS = {"unpaid": "unpaid", "paid": "pending", "cancelled": "canceled"}


def _lazada_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, _JAKARTA).strftime("%Y-%m-%d %H:%M:%S %z")


@endpoint(LAZADA, "orders.get", auth=_auth)
async def orders_get(request: web.Request, account: str) -> web.Response:
    """GetOrders: the shop's orders updated at or after ``update_after`` (ISO 8601),
    oldest change first (``sort_by=updated_at``, ``sort_direction=ASC``), ``offset`` and
    ``limit`` (1..100); statuses unpaid / pending (paid) / canceled."""
    params = await _params(request)
    try:
        after = datetime.fromisoformat(params["update_after"]).timestamp()
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 100))
    except (KeyError, ValueError):
        raise ApiError("bad_request", "update_after (ISO 8601) is required") from None
    if not 1 <= limit <= 100 or offset < 0:
        raise ApiError("bad_request", "limit must be 1..100")
    platform, _shop = shop.split_store(account)
    state = state_of(request)
    found = sorted((o for (p, _), o in state.orders.items()
                    if p == platform and o["updated_at"] >= after),
                   key=lambda o: (o["updated_at"], o["order_id"]))  # fmt: skip
    page = [{"order_id": o["order_id"], "order_number": o["order_id"],
             "statuses": [_ORDER_STATUS.get(o["status"], o["status"])],
             "created_at": _lazada_time(o["created_at"]),
             "updated_at": _lazada_time(o["updated_at"]),
             "price": f"{o['total']:.2f}", "items_count": len(o["items"])}
            for o in found[offset : offset + limit]]  # fmt: skip
    return _ok({"count": len(page), "countTotal": len(found), "orders": page})


@endpoint(LAZADA, "auth.token.refresh", auth=_app_auth)
async def token_refresh(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    params = await _params(request)
    if state.tokens.refresh.get(params.get("refresh_token", "")) != "lazada":
        raise ApiError("bad_request", "Invalid refresh token", code="IllegalRefreshToken")
    access, refresh = state.tokens.issue(
        "lazada", now=state.now(), shop=state.tokens.shop_of(params["refresh_token"]))
    return _ok(
        None,
        access_token=access,
        refresh_token=refresh,
        expires_in=int(state.tokens.ttl_sec),
        refresh_expires_in=30 * 86400,
        country="id",
        account_platform="seller_center",
    )


def register(app: web.Application) -> None:
    r = app.router
    r.add_get(PREFIX + "/products/get", products_get)
    r.add_get(PREFIX + "/orders/get", orders_get)
    r.add_get(PREFIX + "/product/item/get", item_get)
    r.add_post(PREFIX + "/product/price_quantity/update", price_quantity_update)
    r.add_post(PREFIX + "/product/create", product_create)
    r.add_post(PREFIX + "/product/update", product_update)
    r.add_post(PREFIX + "/image/upload", image_upload)
    r.add_post(AUTH_PREFIX + "/auth/token/refresh", token_refresh)
    r.add_get(AUTH_PREFIX + "/auth/token/refresh", token_refresh)
