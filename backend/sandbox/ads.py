"""Ads reporting (Facebook, Google, TikTok) and Google Analytics 4, 90 days of daily rows.

GET  /{version}/act_{id}/insights?time_range={"since","until"}&level=adset
     &time_increment=1&limit=&after=                  Facebook Marketing API (Graph)
POST /google/ads/v17/customers/{customer_id}/googleAds:search  {"query": GAQL,
     "pageSize", "pageToken"}; headers developer-token + Bearer      Google Ads
GET  /tiktok-ads/open_api/v1.3/report/integrated/get/?advertiser_id&start_date
     &end_date&page&page_size; header Access-Token                  TikTok Ads
POST /google/analytics/v1beta/properties/{id}:runReport {dateRanges, dimensions,
     metrics, limit, offset}                                        GA4 Data API
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from datetime import date
from typing import Any

import orjson
from aiohttp import web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.data.marketing import GA_DIMENSIONS, GA_METRICS, ad_rows, ga_rows
from backend.sandbox.data.series import day_range
from backend.sandbox.google import google_error
from backend.sandbox.platform import (
    ApiError,
    Platform,
    bearer_token,
    check_token,
    endpoint,
    error_response,
    json_response,
    read_json,
    state_of,
)
from backend.sandbox.whatsapp import graph_error

__all__ = ["register"]

FACEBOOK_ADS = Platform("facebook_ads", graph_error)
GOOGLE_ADS = Platform("google_ads", google_error)
GOOGLE_ANALYTICS = Platform("google_analytics", google_error)


def _tiktok_error(err: ApiError) -> web.Response:
    code = {
        "auth": 40105,
        "expired": 40104,
        "rate_limited": 40100,
        "bad_request": 40002,
        "not_found": 40001,
        "forbidden": 40001,
        "server": 50000,
    }[err.kind]
    status = err.status or (
        429 if err.kind == "rate_limited" else 500 if err.kind == "server" else 200
    )
    return error_response(err, {
            "code": err.code or code,
            "message": err.message,
            "request_id": uuid.uuid4().hex,
            "data": {},
        }, status=status)


TIKTOK_ADS = Platform("tiktok_ads", _tiktok_error)


def _days(state: Any, start: str | None, end: str | None) -> list[date]:
    try:
        return day_range(now=state.now(), start=start, end=end)
    except ValueError:
        raise ApiError("bad_request", "dates must be YYYY-MM-DD") from None


def _rows(state: Any, platform: str, days: list[date]) -> list[dict[str, Any]]:
    return [row for d in days for row in ad_rows(state.seed, platform, d)]


# --- Facebook ------------------------------------------------------------------------
async def _fb_auth(request: web.Request) -> str:
    creds = CREDENTIALS["facebook_ads"]
    token = bearer_token(request) or request.query.get("access_token", "")
    if token != creds["access_token"]:
        raise ApiError("auth")
    if f"act_{request.match_info['account']}" != creds["ad_account_id"]:
        raise ApiError("not_found", "Unsupported get request. Object does not exist.")
    return creds["ad_account_id"]


@endpoint(FACEBOOK_ADS, "insights", auth=_fb_auth)
async def fb_insights(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    try:
        time_range = orjson.loads(request.query.get("time_range", "{}"))
        limit = int(request.query.get("limit", 100))
    except (orjson.JSONDecodeError, ValueError):
        raise ApiError("bad_request", "(#100) time_range must be JSON") from None
    if not 1 <= limit <= 5000:
        raise ApiError("bad_request", "(#100) limit must be 1..5000")
    rows = _rows(
        state, "facebook_ads", _days(state, time_range.get("since"), time_range.get("until"))
    )
    after = request.query.get("after", "")
    start = int(after) if after.isdigit() else 0
    data = [
        {
            "date_start": r["date"],
            "date_stop": r["date"],
            "campaign_id": r["campaign_id"],
            "campaign_name": r["campaign_name"],
            "adset_id": r["adgroup_id"],
            "adset_name": r["adgroup_name"],
            "spend": f"{r['spend']:.2f}",
            "impressions": str(r["impressions"]),
            "clicks": str(r["clicks"]),
            "actions": [{"action_type": "purchase", "value": str(r["conversions"])}],
            "action_values": [{"action_type": "purchase", "value": f"{r['revenue']:.2f}"}],
            "account_currency": "IDR",
        }
        for r in rows[start : start + limit]
    ]
    paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + limit)}}
    if start + limit < len(rows):
        paging["next"] = str(request.url.update_query(after=str(start + limit)))
    return json_response({"data": data, "paging": paging})


# --- Google Ads ----------------------------------------------------------------------
async def _gads_auth(request: web.Request) -> str:
    creds = CREDENTIALS["google_ads"]
    check_token(request, "google_ads", bearer_token(request))
    if request.headers.get("developer-token") != creds["developer_token"]:
        raise ApiError("forbidden", "The developer token is not valid.")
    if request.match_info["customer_id"] != creds["customer_id"]:
        raise ApiError("forbidden", "User doesn't have permission to access customer.")
    return creds["customer_id"]


_BETWEEN = re.compile(r"segments\.date\s+BETWEEN\s+'([\d-]+)'\s+AND\s+'([\d-]+)'", re.I)


@endpoint(GOOGLE_ADS, "search", auth=_gads_auth)
async def gads_search(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    body = await read_json(request)
    query = str(body.get("query") or "")
    if "FROM" not in query.upper():
        raise ApiError("bad_request", "Error in query: expected FROM clause.")
    m = _BETWEEN.search(query)
    rows = _rows(state, "google_ads", _days(state, *(m.groups() if m else (None, None))))
    size = int(body.get("pageSize") or 1000)
    token = str(body.get("pageToken") or "")
    start = int(token) if token.isdigit() else 0
    results = [
        {
            "campaign": {
                "resourceName": f"customers/{account}/campaigns/{r['campaign_id']}",
                "id": r["campaign_id"],
                "name": r["campaign_name"],
            },
            "adGroup": {"id": r["adgroup_id"], "name": r["adgroup_name"]},
            "segments": {"date": r["date"]},
            "metrics": {
                "costMicros": str(int(r["spend"] * 1_000_000)),
                "impressions": str(r["impressions"]),
                "clicks": str(r["clicks"]),
                "conversions": float(r["conversions"]),
                "conversionsValue": r["revenue"],
            },
        }
        for r in rows[start : start + size]
    ]
    out: dict[str, Any] = {
        "results": results,
        "totalResultsCount": str(len(rows)),
        "fieldMask": "campaign.id,campaign.name,adGroup.id,adGroup.name,"
        "segments.date,metrics.costMicros,metrics.impressions,"
        "metrics.clicks,metrics.conversions,metrics.conversionsValue",
    }
    if start + size < len(rows):
        out["nextPageToken"] = str(start + size)
    return json_response(out)


# --- TikTok Ads ----------------------------------------------------------------------
async def _tt_auth(request: web.Request) -> str:
    creds = CREDENTIALS["tiktok_ads"]
    if request.headers.get("Access-Token") != creds["access_token"]:
        raise ApiError("auth", "Access token is incorrect or has been revoked.")
    if request.query.get("advertiser_id") != creds["advertiser_id"]:
        raise ApiError("forbidden", "No permission to operate advertiser.")
    return creds["advertiser_id"]


@endpoint(TIKTOK_ADS, "report", auth=_tt_auth)
async def tt_report(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    q = request.query
    try:
        page, size = int(q.get("page", 1)), int(q.get("page_size", 100))
    except ValueError:
        raise ApiError("bad_request", "page and page_size must be integers") from None
    if page < 1 or not 1 <= size <= 1000:
        raise ApiError("bad_request", "page >= 1, page_size 1..1000")
    rows = _rows(state, "tiktok_ads", _days(state, q.get("start_date"), q.get("end_date")))
    chunk = rows[(page - 1) * size : page * size]
    data = [
        {
            "dimensions": {"adgroup_id": r["adgroup_id"], "stat_time_day": f"{r['date']} 00:00:00"},
            "metrics": {
                "campaign_name": r["campaign_name"],
                "adgroup_name": r["adgroup_name"],
                "campaign_id": r["campaign_id"],
                "spend": f"{r['spend']:.2f}",
                "impressions": str(r["impressions"]),
                "clicks": str(r["clicks"]),
                "conversion": str(r["conversions"]),
                "total_complete_payment_rate": f"{r['revenue']:.2f}",
            },
        }
        for r in chunk
    ]
    total_pages = (len(rows) + size - 1) // size
    return json_response(
        {
            "code": 0,
            "message": "OK",
            "request_id": uuid.uuid4().hex,
            "data": {
                "list": data,
                "page_info": {
                    "page": page,
                    "page_size": size,
                    "total_number": len(rows),
                    "total_page": total_pages,
                },
            },
        }
    )


# --- Google Analytics 4 --------------------------------------------------------------
async def _ga_auth(request: web.Request) -> str:
    check_token(request, "google_analytics", bearer_token(request))
    if request.match_info["property_id"] != CREDENTIALS["google_analytics"]["property_id"]:
        raise ApiError("forbidden", "User does not have sufficient permissions for this property.")
    return request.match_info["property_id"]


def _ga_metric(name: str, t: list[float]) -> str:
    sessions, users, new_users, views, bounces, conversions, revenue = t
    value = {
        "sessions": sessions,
        "totalUsers": users,
        "newUsers": new_users,
        "screenPageViews": views,
        "conversions": conversions,
        "purchaseRevenue": revenue,
        "bounceRate": bounces / sessions if sessions else 0.0,
        "sessionConversionRate": conversions / sessions if sessions else 0.0,
    }[name]
    return (
        str(round(value, 6))
        if isinstance(value, float) and name in ("bounceRate", "sessionConversionRate")
        else str(int(value))
    )


@endpoint(GOOGLE_ANALYTICS, "runReport", auth=_ga_auth)
async def ga_run_report(request: web.Request, account: str) -> web.Response:
    state = state_of(request)
    body = await read_json(request)
    dims = [d.get("name") for d in body.get("dimensions") or []]
    metrics = [m.get("name") for m in body.get("metrics") or []]
    bad = [d for d in dims if d not in GA_DIMENSIONS] + [m for m in metrics if m not in GA_METRICS]
    if bad or not metrics:
        raise ApiError(
            "bad_request",
            f"Field {bad[0] if bad else 'metrics'} is not a valid dimension or metric.",
        )
    ranges = body.get("dateRanges") or [{}]
    days = _days(state, ranges[0].get("startDate"), ranges[0].get("endDate"))
    groups: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0] * 7)
    for d in days:
        ds = d.strftime("%Y%m%d")
        for row in ga_rows(state.seed, d):
            values = {
                "date": ds,
                "sessionSourceMedium": row[0],
                "deviceCategory": row[1],
                "landingPage": row[2],
            }
            acc = groups[tuple(values[x] for x in dims)]
            for i in range(7):
                acc[i] += row[3 + i]
    keys = sorted(groups)
    offset, limit = int(body.get("offset") or 0), int(body.get("limit") or 10000)
    rows = [
        {
            "dimensionValues": [{"value": v} for v in k],
            "metricValues": [{"value": _ga_metric(m, groups[k])} for m in metrics],
        }
        for k in keys[offset : offset + limit]
    ]
    return json_response(
        {
            "dimensionHeaders": [{"name": d} for d in dims],
            "metricHeaders": [
                {
                    "name": m,
                    "type": "TYPE_FLOAT"
                    if m in ("bounceRate", "sessionConversionRate")
                    else "TYPE_INTEGER",
                }
                for m in metrics
            ],
            "rows": rows,
            "rowCount": len(keys),
            "metadata": {"currencyCode": "IDR", "timeZone": "Asia/Jakarta"},
            "kind": "analyticsData#runReport",
        }
    )


def register(app: web.Application) -> None:
    r = app.router
    r.add_get(r"/{version:v\d+\.\d+}/act_{account:\d+}/insights", fb_insights)
    r.add_post("/google/ads/v17/customers/{customer_id}/googleAds:search", gads_search)
    r.add_get("/tiktok-ads/open_api/v1.3/report/integrated/get/", tt_report)
    r.add_post("/google/analytics/v1beta/properties/{property_id}:runReport", ga_run_report)
