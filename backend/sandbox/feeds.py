"""Priceza and Idealo merchant APIs (price-comparison offers keyed by SKU).

priceza  /priceza/api/v1/merchants/{merchant_id}/offers[/{sku}]   X-API-Key
idealo   /idealo/api/v2/shops/{shop_id}/offers[/{sku}]   Bearer from
         POST /idealo/api/v2/oauth/token (client credentials, tokens expire)
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from backend.sandbox.catalog_api import Dialect, add_catalog_routes, number
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.platform import (
    STATUS,
    ApiError,
    Platform,
    bearer_token,
    check_token,
    endpoint,
    error_response,
    json_response,
    state_of,
)
from backend.sandbox.retail import basic_auth

__all__ = ["register"]


# --- priceza -------------------------------------------------------------------------
def _priceza_error(err: ApiError) -> web.Response:
    status = err.status or STATUS[err.kind]
    body = {"status": "error", "error": {"code": status, "message": err.message}}
    return error_response(err, body, status=status)


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
    return error_response(err, {"generalErrors": [{"errorKey": key, "message": err.message}],
                                "fieldErrors": []})


IDEALO = Platform("idealo", _idealo_error)


async def _idealo_auth(request: web.Request) -> str:
    check_token(request, "idealo", bearer_token(request))
    if request.match_info.get("shop_id") != CREDENTIALS["idealo"]["shop_id"]:
        raise ApiError("forbidden", "Token is not valid for this shop")
    return CREDENTIALS["idealo"]["shop_id"]


async def _idealo_client(request: web.Request) -> str:
    creds = CREDENTIALS["idealo"]
    if basic_auth(request) != (creds["client_id"], creds["client_secret"]):
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
    for dialect in (PRICEZA_DIALECT, IDEALO_DIALECT):
        add_catalog_routes(app, dialect)
    app.router.add_post("/idealo/api/v2/oauth/token", idealo_token)
