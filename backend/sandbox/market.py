"""Marketplace-wide data that is not the shop's own catalog API.

    GET /market/{platform}/search?sku=PROD001[,PROD002..]&seller=competitor_a
        public competitor listings and prices (they move every 5 minutes)
    GET /market/{platform}/orders?date=YYYY-MM-DD&cursor=&limit=     (Bearer shop token)
    GET /market/{platform}/stats/daily?start=&end=                   (Bearer shop token)

``platform`` is shopee, tokopedia, lazada, tiktok (or tiktok_shop), blibli; orders and
stats also accept website. Errors: ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.data.prices import MARKETPLACES, competitor_offers
from backend.sandbox.data.series import SHOP_CHANNELS, daily_stats, day_range, orders_for_day
from backend.sandbox.platform import (
    ApiError,
    Platform,
    bearer_token,
    check_token,
    endpoint,
    error_headers,
    json_response,
    state_of,
    take_limit,
)

__all__ = ["register", "MARKET"]

_STATUS = {
    "auth": 401,
    "expired": 401,
    "rate_limited": 429,
    "bad_request": 400,
    "not_found": 404,
    "forbidden": 403,
    "server": 500,
}
_TOKEN_PLATFORM = {"tiktok": "tiktok_shop", "website": "website"}


def _render(err: ApiError) -> web.Response:
    return json_response(
        {"error": {"code": err.kind, "message": err.message}},
        status=err.status or _STATUS[err.kind],
        headers=error_headers(err),
    )


MARKET = Platform("market", _render)


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
    else:
        check_token(request, token_platform, token)
    return name


@endpoint(MARKET, "search", limit="market.unlimited")
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


@endpoint(MARKET, "orders", auth=_shop_auth)
async def orders(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    name = "tiktok_shop" if account == "tiktok" else account
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
            "platform": name,
            "date": day.isoformat(),
            "total": len(all_orders),
            "orders": page,
            "next_cursor": str(nxt) if nxt else None,
        }
    )


@endpoint(MARKET, "stats", auth=_shop_auth)
async def stats(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    name = "tiktok_shop" if account == "tiktok" else account
    try:
        days = day_range(
            now=state.now(), start=request.query.get("start"), end=request.query.get("end")
        )
    except ValueError:
        raise ApiError("bad_request", "start/end must be YYYY-MM-DD") from None
    return json_response(
        {
            "platform": name,
            "currency": "IDR",
            "rows": [daily_stats(state.seed, name, d) for d in days],
        }
    )


def register(app: web.Application) -> None:
    app.router.add_get("/market/{platform}/search", search)
    app.router.add_get("/market/{platform}/orders", orders)
    app.router.add_get("/market/{platform}/stats/daily", stats)
