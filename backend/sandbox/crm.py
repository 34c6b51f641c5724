"""The shop's CRM: customers (consent, channel, segment, histories), orders, daily metrics.

    GET /crm/api/v1/customers?page=&per_page=&segment=&consent=&channel=
    GET /crm/api/v1/customers/{id}
    GET /crm/api/v1/orders?date=YYYY-MM-DD&page=&per_page=    (all shop channels)
    GET /crm/api/v1/orders/{platform}/{order_id}             (a marketplace order, live)
    GET /crm/api/v1/metrics/daily?start=&end=
Header ``X-API-Key``. Lists: ``{"data": [...], "meta": {page, per_page, total,
next_page}}``; errors ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from backend.sandbox import shop_orders
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.data.customers import CUSTOMER_COUNT, customer_index, customers
from backend.sandbox.data.series import SHOP_CHANNELS, crm_daily, day_range, orders_for_day
from backend.sandbox.platform import (
    ApiError,
    Platform,
    endpoint,
    json_response,
    plain_error,
    state_of,
)

__all__ = ["register"]




CRM = Platform("crm", plain_error)


async def _auth(request: web.Request) -> str:
    if request.headers.get("X-API-Key") != CREDENTIALS["crm"]["api_key"]:
        raise ApiError("auth", "Invalid API key")
    return "crm"


def _paging(request: web.Request, *, max_size: int = 1000) -> tuple[int, int]:
    try:
        page, size = int(request.query.get("page", 1)), int(request.query.get("per_page", 100))
    except ValueError:
        raise ApiError("bad_request", "page and per_page must be integers") from None
    if page < 1 or not 1 <= size <= max_size:
        raise ApiError("bad_request", f"page >= 1 and per_page 1..{max_size}")
    return page, size


def _page(items: list[Any], page: int, size: int) -> dict[str, Any]:
    chunk = items[(page - 1) * size : page * size]
    more = page * size < len(items)
    return {
        "data": chunk,
        "meta": {
            "page": page,
            "per_page": size,
            "total": len(items),
            "next_page": page + 1 if more else None,
        },
    }


@endpoint(CRM, "customers.list", auth=_auth)
async def list_customers(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    page, size = _paging(request)
    q = request.query
    items: list[dict[str, Any]] = list(customers(state.seed, state.customer_count))
    if q.get("segment"):
        items = [c for c in items if c["segment_hint"] == q["segment"]]
    if q.get("consent"):
        items = [c for c in items if c["consent"].get(q["consent"])]
    if q.get("channel"):
        items = [c for c in items if c["preferred_channel"] == q["channel"]]
    return json_response(_page(items, page, size))


@endpoint(CRM, "customers.get", auth=_auth)
async def get_customer(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    found = customer_index(state.seed, state.customer_count).get(request.match_info["id"])
    if found is None:
        raise ApiError("not_found", "Customer not found")
    return json_response({"data": found})


@endpoint(CRM, "orders.list", auth=_auth)
async def list_orders(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    page, size = _paging(request)
    try:
        day = date.fromisoformat(request.query.get("date", ""))
    except ValueError:
        raise ApiError("bad_request", "date must be YYYY-MM-DD") from None
    if day not in day_range(now=state.now(), start=None, end=None):
        raise ApiError("bad_request", "date must be within the last 90 days, before today")
    items = [o for p in SHOP_CHANNELS for o in orders_for_day(state.seed, p, day)]
    return json_response(_page(items, page, size))


@endpoint(CRM, "orders.get", auth=_auth)
async def get_order(request: web.Request, account: str) -> web.Response:
    """One marketplace order as it stands now (placed through ``/_admin/orders``)."""
    found = shop_orders.order_of(state_of(request), request.match_info["platform"],
                                 request.match_info["order_id"])
    if found is None:
        raise ApiError("not_found", "Order not found")
    return json_response({"data": found})


@endpoint(CRM, "metrics.daily", auth=_auth)
async def daily_metrics(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    try:
        days = day_range(
            now=state.now(), start=request.query.get("start"), end=request.query.get("end")
        )
    except ValueError:
        raise ApiError("bad_request", "start/end must be YYYY-MM-DD") from None
    return json_response({"data": [crm_daily(state.seed, d) for d in days]})


_MAX_CUSTOMERS = 1_000_000


async def set_size(request: web.Request) -> web.Response:
    """``POST /_admin/crm {"customers": 10000-1000000}``: a bigger shop (the first 10,000
    customers stay the seed's; a reset returns to 10,000)."""
    body = await request.json() if request.can_read_body else {}
    wanted = body.get("customers")
    if not isinstance(wanted, int) or not CUSTOMER_COUNT <= wanted <= _MAX_CUSTOMERS:
        return json_response(
            {"error": f"customers: a whole number {CUSTOMER_COUNT}-{_MAX_CUSTOMERS}"}, status=400)
    state_of(request).customer_count = wanted
    return json_response({"customers": wanted})


def register(app: web.Application) -> None:
    r = app.router
    r.add_post("/_admin/crm", set_size)
    r.add_get("/crm/api/v1/customers", list_customers)
    r.add_get("/crm/api/v1/customers/{id}", get_customer)
    r.add_get("/crm/api/v1/orders", list_orders)
    r.add_get("/crm/api/v1/orders/{platform}/{order_id}", get_order)
    r.add_get("/crm/api/v1/metrics/daily", daily_metrics)
