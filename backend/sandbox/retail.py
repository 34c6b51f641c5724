"""Website catalog API, Blibli Seller API, Priceza and Idealo merchant APIs.

website  /website/api/v1/products[/{sku}]   Authorization: Bearer <api_key>
blibli   /blibli/proxy/seller/v1/products[/{sku}[/price|/stock]]
         Basic client_id:client_secret + header Api-Seller-Key + ?storeCode=
priceza  /priceza/api/v1/merchants/{merchant_id}/offers[/{sku}]   X-API-Key
idealo   /idealo/api/v2/shops/{shop_id}/offers[/{sku}]   Bearer from
         POST /idealo/api/v2/oauth/token (client credentials, tokens expire)
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from aiohttp import web

from backend.sandbox.catalog_api import Dialect, add_catalog_routes, number
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.platform import (
    ApiError,
    Platform,
    bearer_token,
    check_token,
    endpoint,
    error_headers,
    json_response,
    state_of,
)

__all__ = ["register"]

_STATUS = {
    "auth": 401,
    "expired": 401,
    "rate_limited": 429,
    "bad_request": 400,
    "not_found": 404,
    "forbidden": 403,
    "server": 500,
}


def _basic(request: web.Request) -> tuple[str, str]:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        user, _, password = base64.b64decode(value).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    return user, password


# --- website -------------------------------------------------------------------------
def _website_error(err: ApiError) -> web.Response:
    code = {
        "auth": "unauthorized",
        "expired": "token_expired",
        "rate_limited": "rate_limited",
        "bad_request": "invalid_request",
        "not_found": "not_found",
        "forbidden": "forbidden",
        "server": "server_error",
    }[err.kind]
    return json_response(
        {"error": {"code": code, "message": err.message}},
        status=err.status or _STATUS[err.kind],
        headers=error_headers(err),
    )


WEBSITE = Platform("website", _website_error)


async def _website_auth(request: web.Request) -> str:
    if bearer_token(request) != CREDENTIALS["website"]["api_key"]:
        raise ApiError("auth", "Invalid API key")
    return "website"


def _website_item(x: dict[str, Any], base: str) -> dict[str, Any]:
    return {
        "sku": x["sku"],
        "title": x["title"],
        "description": x.get("description", ""),
        "price": x["price"],
        "currency": "IDR",
        "stock": x.get("stock", 0),
        "images": x.get("images", []),
        "status": x.get("status", "active"),
        "url": f"{base}/website/shop/p/{x['sku']}",
        "updated_at": x.get("updated_at"),
    }


def _plain_fields(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": body.get("title") or body.get("name"),
        "description": body.get("description"),
        "price": number(body.get("price")),
        "stock": body.get("stock"),
        "images": body.get("images") or body.get("image_urls"),
    }


WEBSITE_DIALECT = Dialect(
    platform=WEBSITE,
    auth=_website_auth,
    list_path="/website/api/v1/products",
    item_path="/website/api/v1/products/{sku}",
    upsert_method="PUT",
    patch_path="/website/api/v1/products/{sku}",
    upload_path="/website/api/v1/images",
    render_item=_website_item,
    render_page=lambda items, page, size, total: {
        "data": items,
        "meta": {
            "page": page,
            "per_page": size,
            "total": total,
            "next_page": page + 1 if page * size < total else None,
        },
    },
    parse_upsert=lambda b, sku: (str(b.get("sku") or sku or ""), _plain_fields(b)),
    parse_patch=lambda b: {
        k: v
        for k, v in (("price", number(b.get("price"))), ("stock", b.get("stock")))
        if v is not None
    },
)


async def shop_page(request: web.Request) -> web.Response:
    """The storefront page tracked links land on."""
    return web.Response(
        text="<html><body><h1>SPIO Official Store</h1></body></html>", content_type="text/html"
    )


# --- blibli --------------------------------------------------------------------------
def _blibli_error(err: ApiError) -> web.Response:
    code = {
        "auth": "UNAUTHORIZED",
        "expired": "UNAUTHORIZED",
        "rate_limited": "TOO_MANY_REQUEST",
        "bad_request": "BAD_REQUEST",
        "not_found": "NOT_FOUND",
        "forbidden": "INVALID_SELLER_KEY",
        "server": "SYSTEM_ERROR",
    }[err.kind]
    return json_response(
        {
            "requestId": str(uuid.uuid4()),
            "success": False,
            "errorCode": err.code or code,
            "errorMessage": err.message,
            "content": None,
        },
        status=err.status or _STATUS[err.kind],
        headers=error_headers(err),
    )


BLIBLI = Platform("blibli", _blibli_error)


async def _blibli_auth(request: web.Request) -> str:
    creds = CREDENTIALS["blibli"]
    if _basic(request) != (creds["client_id"], creds["client_secret"]):
        raise ApiError("auth", "Invalid client credentials")
    if request.headers.get("Api-Seller-Key") != creds["api_seller_key"]:
        raise ApiError("forbidden", "Invalid Api-Seller-Key")
    if request.query.get("storeCode") != creds["store_code"]:
        raise ApiError("bad_request", "Unknown storeCode")
    return creds["store_code"]


def _blibli_item(x: dict[str, Any], base: str) -> dict[str, Any]:
    return {
        "gdnSku": f"SPI-60001-{x['item_id'] % 10**6:05d}-00001",
        "merchantSku": x["sku"],
        "productName": x["title"],
        "description": x.get("description", ""),
        "regularPrice": x["price"],
        "salePrice": x["price"],
        "stockAvailable": x.get("stock", 0),
        "images": x.get("images", []),
        "status": "ACTIVE" if x.get("status") == "active" else "INACTIVE",
    }


def _blibli_wrap(content: Any) -> dict[str, Any]:
    return {
        "requestId": str(uuid.uuid4()),
        "success": True,
        "errorCode": None,
        "errorMessage": None,
        "content": content,
    }


BLIBLI_DIALECT = Dialect(
    platform=BLIBLI,
    auth=_blibli_auth,
    list_path="/blibli/proxy/seller/v1/products",
    item_path="/blibli/proxy/seller/v1/products/{sku}",
    upsert_method="POST",
    upsert_path="/blibli/proxy/seller/v1/products",
    patch_path="/blibli/proxy/seller/v1/products/{sku}/price-stock",
    patch_method="PUT",
    upload_path="/blibli/proxy/seller/v1/images",
    render_item=_blibli_item,
    render_page=lambda items, page, size, total: {
        **_blibli_wrap(items),
        "pageMetaData": {"pageNumber": page, "pageSize": size, "totalRecords": total},
    },
    parse_upsert=lambda b, sku: (
        str(b.get("merchantSku") or ""),
        {
            "title": b.get("productName"),
            "description": b.get("description"),
            "price": number(b.get("salePrice") or b.get("regularPrice")),
            "stock": b.get("stock"),
            "images": b.get("images"),
        },
    ),
    parse_patch=lambda b: {
        k: v
        for k, v in (("price", number(b.get("salePrice"))), ("stock", b.get("availableStock")))
        if v is not None
    },
    page_param="page",
    size_param="size",
    first_page=0,
    wrap=_blibli_wrap,
    render_upload=lambda i: _blibli_wrap({"imageId": i["id"], "url": i["url"]}),
)


# --- priceza -------------------------------------------------------------------------
def _priceza_error(err: ApiError) -> web.Response:
    status = err.status or _STATUS[err.kind]
    return json_response(
        {"status": "error", "error": {"code": status, "message": err.message}},
        status=status,
        headers=error_headers(err),
    )


PRICEZA = Platform("priceza", _priceza_error)


async def _priceza_auth(request: web.Request) -> str:
    creds = CREDENTIALS["priceza"]
    if request.headers.get("X-API-Key") != creds["api_key"]:
        raise ApiError("auth", "Invalid API key")
    if request.match_info.get("merchant_id") != creds["merchant_id"]:
        raise ApiError("not_found", "Unknown merchant")
    return creds["merchant_id"]


_PZ = "/priceza/api/v1/merchants/{merchant_id}/offers"
PRICEZA_DIALECT = Dialect(
    platform=PRICEZA,
    auth=_priceza_auth,
    list_path=_PZ,
    item_path=_PZ + "/{sku}",
    upsert_method="PUT",
    patch_path=_PZ + "/{sku}",
    render_item=lambda x, base: {
        "sku": x["sku"],
        "name": x["title"],
        "price": x["price"],
        "currency": "IDR",
        "stock_status": "in_stock" if x.get("stock", 0) > 0 else "out_of_stock",
        "stock": x.get("stock", 0),
        "url": f"{base}/website/shop/p/{x['sku']}",
        "image_url": (x.get("images") or [None])[0],
    },
    render_page=lambda items, page, size, total: {
        "status": "success",
        "data": {"offers": items, "pagination": {"page": page, "limit": size, "total": total}},
    },
    parse_upsert=lambda b, sku: (
        str(b.get("sku") or sku or ""),
        {
            "title": b.get("name"),
            "description": b.get("description"),
            "price": number(b.get("price")),
            "stock": b.get("stock"),
            "images": [b["image_url"]] if b.get("image_url") else None,
        },
    ),
    parse_patch=lambda b: {
        k: v
        for k, v in (("price", number(b.get("price"))), ("stock", b.get("stock")))
        if v is not None
    },
    size_param="limit",
    wrap=lambda x: {"status": "success", "data": x},
)


# --- idealo --------------------------------------------------------------------------
def _idealo_error(err: ApiError) -> web.Response:
    key = {
        "auth": "UNAUTHORIZED",
        "expired": "TOKEN_EXPIRED",
        "rate_limited": "TOO_MANY_REQUESTS",
        "bad_request": "VALIDATION_ERROR",
        "not_found": "NOT_FOUND",
        "forbidden": "FORBIDDEN",
        "server": "INTERNAL_SERVER_ERROR",
    }[err.kind]
    return json_response(
        {"generalErrors": [{"errorKey": key, "message": err.message}], "fieldErrors": []},
        status=err.status or _STATUS[err.kind],
        headers=error_headers(err),
    )


IDEALO = Platform("idealo", _idealo_error)


async def _idealo_auth(request: web.Request) -> str:
    check_token(request, "idealo", bearer_token(request))
    if request.match_info.get("shop_id") != CREDENTIALS["idealo"]["shop_id"]:
        raise ApiError("forbidden", "Token is not valid for this shop")
    return CREDENTIALS["idealo"]["shop_id"]


async def _idealo_client(request: web.Request) -> str:
    creds = CREDENTIALS["idealo"]
    if _basic(request) != (creds["client_id"], creds["client_secret"]):
        raise ApiError("auth", "Bad client credentials")
    return creds["client_id"]


@endpoint(IDEALO, "oauth.token", auth=_idealo_client)
async def idealo_token(request: web.Request, account: str) -> web.Response:
    form = await request.post()
    if form.get("grant_type") != "client_credentials":
        raise ApiError("bad_request", "grant_type must be client_credentials")
    state = state_of(request)
    access, _ = state.tokens.issue("idealo", now=state.now())
    return json_response(
        {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": int(state.tokens.ttl_sec),
            "shop_id": int(CREDENTIALS["idealo"]["shop_id"]),
        }
    )


def _price_text(value: Any) -> str:
    return f"{float(value):.2f}"


_ID = "/idealo/api/v2/shops/{shop_id}/offers"
IDEALO_DIALECT = Dialect(
    platform=IDEALO,
    auth=_idealo_auth,
    list_path=_ID,
    item_path=_ID + "/{sku}",
    upsert_method="PUT",
    patch_path=_ID + "/{sku}",
    render_item=lambda x, base: {
        "sku": x["sku"],
        "title": x["title"],
        "description": x.get("description", ""),
        "price": _price_text(x["price"]),
        "currency": "IDR",
        "quantityPerOrder": x.get("stock", 0),
        "url": f"{base}/website/shop/p/{x['sku']}",
        "imageUrls": x.get("images", []),
        "deliveryTime": "2-3 hari kerja",
    },
    render_page=lambda items, page, size, total: {
        "content": items,
        "page": page,
        "pageSize": size,
        "totalElements": total,
    },
    parse_upsert=lambda b, sku: (
        str(b.get("sku") or sku or ""),
        {
            "title": b.get("title"),
            "description": b.get("description"),
            "price": number(b.get("price")),
            "stock": b.get("quantityPerOrder"),
            "images": b.get("imageUrls"),
        },
    ),
    parse_patch=lambda b: {
        k: v
        for k, v in (("price", number(b.get("price"))), ("stock", b.get("quantityPerOrder")))
        if v is not None
    },
    first_page=0,
    size_param="pageSize",
)


def register(app: web.Application) -> None:
    for dialect in (WEBSITE_DIALECT, BLIBLI_DIALECT, PRICEZA_DIALECT, IDEALO_DIALECT):
        add_catalog_routes(app, dialect)
    app.router.add_post("/idealo/api/v2/oauth/token", idealo_token)
    app.router.add_get("/website/shop", shop_page)
    app.router.add_get("/website/shop/p/{sku}", shop_page)
