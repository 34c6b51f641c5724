"""Website catalog API and Blibli Seller API.

website  /website/api/v1/products[/{sku}]   Authorization: Bearer <api_key>
blibli   /blibli/proxy/seller/v1/products[/{sku}[/price-stock]]
         Basic client_id:client_secret + header Api-Seller-Key + ?storeCode=
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from aiohttp import web

from backend.sandbox import shop
from backend.sandbox.catalog_api import Dialect, add_catalog_routes, number
from backend.sandbox.credentials import CREDENTIALS, shop_credentials, shop_names
from backend.sandbox.platform import (
    ApiError,
    Platform,
    bearer_token,
    error_response,
)

__all__ = ["register", "basic_auth"]



def basic_auth(request: web.Request) -> tuple[str, str]:
    """(user, password) of an HTTP Basic Authorization header, or empty strings."""
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
    return error_response(err, {"error": {"code": code, "message": err.message}})


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
        "tags": x.get("tags", []),
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


def _website_fields(body: dict[str, Any]) -> dict[str, Any]:
    tags = body.get("tags")
    if tags is not None and (not isinstance(tags, list) or len(tags) > 20 or not all(
            isinstance(t, str) and 0 < len(t) <= 50 for t in tags)):
        raise ApiError("bad_request", "tags: up to 20 strings of 1-50 characters")
    return {**_plain_fields(body), "tags": tags}


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
    parse_upsert=lambda b, sku: (str(b.get("sku") or sku or ""), _website_fields(b)),
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
    return error_response(err, {
            "requestId": str(uuid.uuid4()),
            "success": False,
            "errorCode": err.code or code,
            "errorMessage": err.message,
            "content": None,
        })


BLIBLI = Platform("blibli", _blibli_error)


async def _blibli_auth(request: web.Request) -> str:
    """The store of the shop the ``storeCode`` names, whose seller key the call carries."""
    creds = CREDENTIALS["blibli"]
    if basic_auth(request) != (creds["client_id"], creds["client_secret"]):
        raise ApiError("auth", "Invalid client credentials")
    code = request.query.get("storeCode")
    named = [s for s in shop_names("blibli")
             if (shop_credentials("blibli", s) or {}).get("store_code") == code]  # fmt: skip
    if not named:
        raise ApiError("bad_request", "Unknown storeCode")
    own = shop_credentials("blibli", named[0]) or {}
    if request.headers.get("Api-Seller-Key") != own.get("api_seller_key"):
        raise ApiError("forbidden", "Invalid Api-Seller-Key")
    return shop.store("blibli", named[0])


def _blibli_item(x: dict[str, Any], base: str) -> dict[str, Any]:
    return {
        # The shop's store code (SPI-60001, a second shop's SPI-60002), then the item.
        "gdnSku": f"SPI-{60001 + x['item_id'] // 10**8 % 100}-{x['item_id'] % 10**6:05d}-00001",
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


def register(app: web.Application) -> None:
    for dialect in (WEBSITE_DIALECT, BLIBLI_DIALECT):
        add_catalog_routes(app, dialect)
    app.router.add_get("/website/shop", shop_page)
    app.router.add_get("/website/shop/p/{sku}", shop_page)
