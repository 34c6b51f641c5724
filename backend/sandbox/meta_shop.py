"""Instagram Shop and Facebook Shop: Meta commerce catalogs through the Graph API.

    GET  /{version}/{catalog_id}/products?fields=&limit=&after=
    POST /{version}/{catalog_id}/items_batch
         {"item_type": "PRODUCT_ITEM", "requests": [{"method": "CREATE"|"UPDATE",
          "data": {"id": <sku>, "title", "description", "price": "150000 IDR",
                   "availability", "inventory", "image_link", "link"}}]}

Bearer token; Graph error shape (see whatsapp.graph_error). Each catalog belongs to one
shop: 880011 is Instagram's, 880022 Facebook's (see credentials).
"""

from __future__ import annotations

import hashlib
from typing import Any

from aiohttp import web

from backend.sandbox import shop
from backend.sandbox.catalog_api import absolute, number
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.platform import (
    ApiError,
    Platform,
    bearer_token,
    check_token,
    endpoint,
    json_response,
    read_json,
    state_of,
)
from backend.sandbox.whatsapp import graph_error

__all__ = ["register"]


def _routes(name: str) -> list[tuple[str, str, Any]]:
    platform = Platform(name, graph_error)
    catalog_id = CREDENTIALS[name]["catalog_id"]

    async def auth(request: web.Request) -> str:
        check_token(request, name, bearer_token(request))
        return catalog_id

    def item(request: web.Request, x: dict[str, Any]) -> dict[str, Any]:
        images = absolute(request, list(x.get("images") or []))
        return {
            "id": str(x["item_id"]),
            "retailer_id": x["sku"],
            "name": x["title"],
            "description": x.get("description", ""),
            "price": f"IDR{x['price']:,.0f}",
            "currency": "IDR",
            "inventory": x.get("stock", 0),
            "availability": "in stock" if x.get("stock", 0) > 0 else "out of stock",
            "image_url": images[0] if images else None,
            "additional_image_urls": images[1:],
        }

    @endpoint(platform, "products.list", auth=auth)
    async def products(request: web.Request, account: str) -> web.Response:
        state = state_of(request)
        limit = int(request.query.get("limit", 25))
        if not 1 <= limit <= 500:
            raise ApiError("bad_request", "(#100) limit must be 1..500")
        after = request.query.get("after", "")
        start = int(after) if after.isdigit() else 0
        skus = shop.listed_skus(state, name)
        page = [shop.listing(state, name, s) for s in skus[start : start + limit]]
        body: dict[str, Any] = {
            "data": [item(request, x) for x in page if x],
            "paging": {"cursors": {"before": str(start), "after": str(start + limit)}},
        }
        if start + limit < len(skus):
            body["paging"]["next"] = (
                f"{request.scheme}://{request.host}{request.path}"
                f"?limit={limit}&after={start + limit}"
            )
        return json_response(body)

    @endpoint(platform, "items_batch", auth=auth, mutating=True)
    async def items_batch(request: web.Request, account: str) -> web.Response:
        state = state_of(request)
        body = await read_json(request)
        requests = body.get("requests")
        if not isinstance(requests, list) or not requests:
            raise ApiError("bad_request", "(#100) requests must be a non-empty list")
        if len(requests) > 5000:
            raise ApiError("bad_request", "(#100) at most 5000 requests per batch")
        statuses = []
        for req in requests:
            data = req.get("data") or {}
            sku = str(data.get("id") or data.get("retailer_id") or "")
            method = req.get("method")
            if not sku or method not in ("CREATE", "UPDATE"):
                statuses.append(
                    {
                        "retailer_id": sku,
                        "errors": [{"message": "id and method CREATE/UPDATE are required"}],
                    }
                )
                continue
            if method == "UPDATE" and shop.listing(state, name, sku) is None:
                statuses.append(
                    {
                        "retailer_id": sku,
                        "errors": [{"message": "Product does not exist; use CREATE"}],
                    }
                )
                continue
            images = [data["image_link"]] if data.get("image_link") else None
            fields = {
                "title": data.get("title"),
                "description": data.get("description"),
                "price": number(data.get("price")),
                "stock": data.get("inventory"),
                "images": images,
            }
            shop.upsert(state, name, sku, fields)
            statuses.append({"retailer_id": sku, "errors": [], "warnings": []})
        handle = hashlib.sha1(repr(requests).encode()).hexdigest()[:20]
        return json_response({"handles": [handle], "validation_status": statuses})

    v = r"/{version:v\d+\.\d+}/" + catalog_id
    return [("GET", v + "/products", products), ("POST", v + "/items_batch", items_batch)]


def register(app: web.Application) -> None:
    for name in ("instagram_shop", "facebook_shop"):
        for method, path, handler in _routes(name):
            app.router.add_route(method, path, handler)
