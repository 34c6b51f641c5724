"""Marketplace-wide data that is not the shop's own catalog API.

    GET /market/{platform}/search?sku=PROD001[,PROD002..]&seller=competitor_a
        public competitor listings and prices (they move every 5 minutes)
    GET /market/{platform}/shops/{seller}/items?page=&page_size=
        one competitor's whole shop (competitor_a .. competitor_e)
    GET /market/{platform}/orders?date=YYYY-MM-DD&cursor=&limit=     (Bearer shop token)
    GET /market/{platform}/stats/daily?start=&end=                   (Bearer shop token)

``platform`` is shopee, tokopedia, lazada, tiktok (or tiktok_shop), blibli; orders and
stats also accept website. Errors: ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from backend.sandbox.credentials import CREDENTIALS, DEFAULT_SHOP
from backend.sandbox.data.catalog import products
from backend.sandbox.data.prices import MARKETPLACES, competitor_offers
from backend.sandbox.data.series import SHOP_CHANNELS, daily_stats, day_range, orders_for_day
from backend.sandbox.data.words import COMPETITORS
from backend.sandbox.platform import (
    ApiError,
    Platform,
    bearer_token,
    check_token,
    endpoint,
    json_response,
    plain_error,
    state_of,
    take_limit,
)

__all__ = ["register", "MARKET"]

_TOKEN_PLATFORM = {"tiktok": "tiktok_shop", "website": "website"}



MARKET = Platform("market", plain_error)


def _platform(request: web.Request, allowed: tuple[str, ...] | set[str]) -> str:
    name = request.match_info["platform"]
    if name not in allowed:
        raise ApiError("not_found", f"Unknown platform {name}")
    return name


async def _shop_auth(request: web.Request) -> str:
    name = _platform(request, set(SHOP_CHANNELS) | {"tiktok"})
    token_platform = _TOKEN_PLATFORM.get(name, name)
    token = bearer_token(request)
    if token_platform == "website":
        if token != CREDENTIALS["website"]["api_key"]:
            raise ApiError("auth", "Invalid token")
        return name
    check_token(request, token_platform, token)
    shop = state_of(request).tokens.shop_of(token)  # a second shop's token: its own data
    return name if shop == DEFAULT_SHOP else f"{name}@{shop}"


def _store(account: str) -> str:
    """The series name of what ``_shop_auth`` returned (``tiktok`` is TikTok Shop)."""
    name, sep, shop = account.partition("@")
    return ("tiktok_shop" if name == "tiktok" else name) + sep + shop


@endpoint(MARKET, "competitor_search", limit="market.unlimited")
async def search(request: web.Request, account: str) -> web.Response:
    name = _platform(request, MARKETPLACES)
    take_limit(request, MARKET, "market.search", name)  # per marketplace
    state = state_of(request)
    state.counters.requests[f"market.search.{name}"] += 1
    skus = [s for s in request.query.get("sku", "").split(",") if s]
    if not 1 <= len(skus) <= 50:
        raise ApiError("bad_request", "sku must list 1 to 50 SKUs")
    now = state.now()
    seller = request.query.get("seller") or None
    items: list[dict[str, Any]] = []
    for sku in skus:
        items.extend(competitor_offers(state.seed, platform=name, sku=sku, now=now, seller=seller))
    return json_response({"platform": name, "observed_at": int(now), "items": items})


@endpoint(MARKET, "shop_items", limit="market.unlimited")
async def shop_items(request: web.Request, account: str) -> web.Response:
    """A competitor's whole shop on one marketplace, paginated by SKU order."""
    name = _platform(request, MARKETPLACES)
    seller = request.match_info["seller"]
    if seller not in COMPETITORS:
        raise ApiError("not_found", f"Unknown shop {seller}")
    take_limit(request, MARKET, "market.search", name)
    state = state_of(request)
    try:
        page, size = int(request.query.get("page", 1)), int(request.query.get("page_size", 100))
    except ValueError:
        raise ApiError("bad_request", "page and page_size must be integers") from None
    if page < 1 or not 1 <= size <= 200:
        raise ApiError("bad_request", "page >= 1 and page_size 1..200")
    now = state.now()
    items: list[dict[str, Any]] = []
    catalog = products(state.seed)
    start = (page - 1) * size
    # Walk the catalog from where this page starts until it is full.
    index = 0
    for product in catalog:
        offers = competitor_offers(
            state.seed, platform=name, sku=product.sku, now=now, seller=seller
        )
        if not offers:
            continue
        if index >= start:
            items.extend(offers)
        index += 1
        if len(items) >= size:
            break
    more = len(items) == size and index < len(catalog)
    return json_response(
        {
            "platform": name,
            "seller": seller,
            "shop_name": COMPETITORS[seller],
            "observed_at": int(now),
            "page": page,
            "items": items,
            "next_page": page + 1 if more else None,
        }
    )


@endpoint(MARKET, "orders", auth=_shop_auth)
async def orders(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    name = _store(account)
    try:
        day = date.fromisoformat(request.query.get("date", ""))
        limit = int(request.query.get("limit", 500))
        cursor = int(request.query.get("cursor") or 0)
    except ValueError:
        raise ApiError("bad_request", "date (YYYY-MM-DD), limit, cursor required") from None
    if not 1 <= limit <= 1000:
        raise ApiError("bad_request", "limit must be 1..1000")
    if day not in day_range(now=state.now(), start=None, end=None):
        raise ApiError("bad_request", "date must be within the last 90 days, before today")
    all_orders = orders_for_day(state.seed, name, day)
    page = list(all_orders[cursor : cursor + limit])
    nxt = cursor + limit if cursor + limit < len(all_orders) else None
    return json_response(
        {
            "platform": name.partition("@")[0],
            "shop": name.partition("@")[2] or DEFAULT_SHOP,
            "date": day.isoformat(),
            "total": len(all_orders),
            "orders": page,
            "next_cursor": str(nxt) if nxt else None,
        }
    )


@endpoint(MARKET, "stats", auth=_shop_auth)
async def stats(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    name = _store(account)
    try:
        days = day_range(
            now=state.now(), start=request.query.get("start"), end=request.query.get("end")
        )
    except ValueError:
        raise ApiError("bad_request", "start/end must be YYYY-MM-DD") from None
    return json_response(
        {
            "platform": name.partition("@")[0],
            "shop": name.partition("@")[2] or DEFAULT_SHOP,
            "currency": "IDR",
            "rows": [daily_stats(state.seed, name, d) for d in days],
        }
    )


def register(app: web.Application) -> None:
    app.router.add_get("/market/{platform}/search", search)
    app.router.add_get("/market/{platform}/shops/{seller}/items", shop_items)
    app.router.add_get("/market/{platform}/orders", orders)
    app.router.add_get("/market/{platform}/stats/daily", stats)
