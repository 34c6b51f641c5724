"""The shop's inventory system: list prices and purchase costs of our own products.

    GET /inventory/v1/products?sku=PROD001,PROD002     (up to 200 SKUs)
    GET /inventory/v1/products?limit=100&offset=0      (the catalog in SKU order)

Marketplaces never show our cost; repricing needs it to keep the minimum margin, so the
shop's back office (here: the sandbox) provides it. Header ``X-API-Key`` (the CRM key:
one back-office account). Errors ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.data.catalog import Product, product_index, products
from backend.sandbox.platform import (
    ApiError,
    Platform,
    endpoint,
    json_response,
    plain_error,
    state_of,
)

__all__ = ["register"]




INVENTORY = Platform("inventory", plain_error)


async def _auth(request: web.Request) -> str:
    if request.headers.get("X-API-Key") != CREDENTIALS["crm"]["api_key"]:
        raise ApiError("auth", "Invalid API key")
    return "inventory"


def _row(p: Product) -> dict[str, Any]:
    return {"sku": p.sku, "name": p.name, "list_price": p.price, "cost": p.cost,
            "stock": p.stock, "currency": "IDR"}


@endpoint(INVENTORY, "products", auth=_auth, limit="crm.api")
async def list_products(request: web.Request, account: str) -> web.Response:
    seed = state_of(request).seed
    skus = [s for s in request.query.get("sku", "").split(",") if s]
    if skus:
        if len(skus) > 200:
            raise ApiError("bad_request", "at most 200 SKUs per call")
        index = product_index(seed)
        rows = [_row(index[s]) for s in skus if s in index]
        return json_response({"data": rows, "meta": {"total": len(rows), "next_offset": None}})
    try:
        limit = int(request.query.get("limit", 100))
        offset = int(request.query.get("offset", 0))
    except ValueError:
        raise ApiError("bad_request", "limit and offset must be integers") from None
    if not 1 <= limit <= 1000 or offset < 0:
        raise ApiError("bad_request", "limit 1..1000, offset >= 0")
    catalog = products(seed)
    rows = [_row(p) for p in catalog[offset : offset + limit]]
    nxt = offset + limit if offset + limit < len(catalog) else None
    return json_response({"data": rows, "meta": {"total": len(catalog), "next_offset": nxt}})


def register(app: web.Application) -> None:
    app.router.add_get("/inventory/v1/products", list_products)
