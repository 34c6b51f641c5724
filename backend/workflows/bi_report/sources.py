"""Fetch every data source of a BI report into raw files, concurrently within limits.

Each source of the job (``{"platform": "shopee", "metrics": [...]}``) is classified
(marketplace, ads, social, analytics, CRM) and fetched for the whole window (history
plus comparison days) with its connector; marketplaces also page through the orders of
the detail days. Pages are appended to the raw files as they arrive. A source that
still fails after retries is reported, not hidden: the caller decides to retry the run
or to publish with a warning.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx

from backend.connectors.base import ConnectorError
from backend.connectors.crm import CrmConnector
from backend.connectors.facebook_ads import FacebookAdsConnector
from backend.connectors.google_ads import GoogleAdsConnector
from backend.connectors.google_analytics import GoogleAnalyticsConnector
from backend.connectors.market import MarketConnector
from backend.connectors.social import SocialConnector
from backend.connectors.tiktok_ads import TikTokAdsConnector
from backend.core.errors import NonRetryableError
from backend.reports.aggregate import Windows
from backend.reports.rawdata import RawTables
from backend.workflows.common.concurrency import call_with_retries

__all__ = ["classify", "fetch_sources", "detail_days_for", "MARKETPLACES"]

MARKETPLACES = frozenset({"shopee", "tokopedia", "lazada", "tiktok_shop", "blibli", "website"})
ADS = {"facebook_ads": FacebookAdsConnector, "google_ads": GoogleAdsConnector,
       "tiktok_ads": TikTokAdsConnector}  # fmt: skip
SOCIAL = frozenset({"instagram", "tiktok", "facebook", "twitter"})
# The brand's own accounts (the sandbox's); a source may name its own with "account".
DEFAULT_ACCOUNTS = {"instagram": "brand_official", "twitter": "@brand", "tiktok": "@brand",
                    "facebook": "BrandPage"}  # fmt: skip
_GA_METRICS = ["sessions", "totalUsers", "bounceRate", "sessionConversionRate", "conversions",
               "purchaseRevenue"]  # fmt: skip


def classify(source: dict[str, Any]) -> str:
    """marketplace / ads / social / analytics / crm for one data source of the job."""
    platform = str(source.get("platform", ""))
    metrics = set(source.get("metrics") or ())
    if platform == "tiktok" and metrics & {"sales", "orders"}:
        return "marketplace"  # TikTok Shop named "tiktok" in a sales context
    if platform in MARKETPLACES:
        return "marketplace"
    if platform in ADS:
        return "ads"
    if platform in SOCIAL:
        return "social"
    if platform == "google_analytics":
        return "analytics"
    if platform == "crm":
        return "crm"
    raise NonRetryableError(f"data source {platform!r} is not supported: use one of "
                            f"{sorted(MARKETPLACES | set(ADS) | SOCIAL)}, google_analytics, crm")


def _daily_rows(source: str, platform: str, stats: list[Any]) -> list[dict[str, Any]]:
    return [{"source": source, "platform": platform, "day": s.day, "metric": m, "value": v,
             "currency": "IDR"} for s in stats for m, v in s.metrics.items()]  # fmt: skip


async def fetch_sources(
    client: httpx.AsyncClient,
    *,
    sources: list[dict[str, Any]],
    windows: Windows,
    tables: RawTables,
    detail_days: list[date],
    concurrency: int = 8,
    on_page: Callable[[str], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """Fetch all sources; returns per-platform status (rows, error) and retry counts."""
    start, end = windows.start, windows.report
    gate = asyncio.Semaphore(concurrency)
    status: dict[str, dict[str, Any]] = {}
    retries = 0

    def count_retry(_: BaseException) -> None:
        nonlocal retries
        retries += 1

    async def call(fn: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await call_with_retries(fn, on_retry=count_retry)

    market = MarketConnector(client=client)
    social = SocialConnector(client=client)

    async def marketplace(platform: str) -> int:
        name = "tiktok_shop" if platform == "tiktok" else platform
        stats = await call(lambda: market.daily_stats(name, start=start, end=end))
        n = tables["daily"].write(_daily_rows("market", platform, stats))

        async def orders_of(day: date) -> int:
            got, cursor = 0, None
            while True:
                page = await call(lambda c=cursor: market.orders(name, day=day, cursor=c))
                got += tables["orders"].write(
                    {"platform": platform, "order_id": o.order_id,
                     "created_at": o.created_at.isoformat(), "customer_id": o.customer_id,
                     "total": o.total, "currency": "IDR", "status": o.status,
                     "items": len(o.items)} for o in page.items)  # fmt: skip
                if on_page:
                    await on_page(platform)
                if not page.next_cursor:
                    return got
                cursor = page.next_cursor

        return n + sum(await asyncio.gather(*(orders_of(d) for d in detail_days)))

    async def ads(platform: str) -> int:
        conn = ADS[platform](client=client)
        rows = await call(lambda: conn.daily_rows(start=start, end=end))
        return tables["ads"].write(
            {"platform": platform, "day": r.day, "campaign_id": r.campaign_id,
             "campaign_name": r.campaign_name, "adgroup_id": r.adgroup_id, "spend": r.spend,
             "impressions": r.impressions, "clicks": r.clicks, "conversions": r.conversions,
             "revenue": r.revenue, "currency": "IDR"} for r in rows)  # fmt: skip

    async def analytics(platform: str) -> int:
        ga = GoogleAnalyticsConnector(client=client)
        rows = await call(lambda: ga.report(start=start, end=end, dimensions=["date"],
                                            metrics=_GA_METRICS))  # fmt: skip
        out = []
        for r in rows:
            d = r.dimensions["date"]
            day = date(int(d[:4]), int(d[4:6]), int(d[6:8]))
            out += [{"source": "analytics", "platform": platform, "day": day, "metric": m,
                     "value": v, "currency": "IDR"} for m, v in r.metrics.items()]  # fmt: skip
        return tables["daily"].write(out)

    async def crm(platform: str) -> int:
        conn = CrmConnector(client=client)
        stats = await call(lambda: conn.daily_metrics(start=start, end=end))
        return tables["daily"].write(_daily_rows("crm", platform, stats))

    async def social_source(platform: str, account: str) -> int:
        stats = await call(lambda: social.insights(platform, account, start=start, end=end))
        return tables["daily"].write(_daily_rows("social", platform, stats))

    async def one(source: dict[str, Any]) -> None:
        platform = str(source["platform"])
        kind = classify(source)
        try:
            if kind == "marketplace":
                rows = await marketplace(platform)
            elif kind == "ads":
                rows = await ads(platform)
            elif kind == "analytics":
                rows = await analytics(platform)
            elif kind == "crm":
                rows = await crm(platform)
            else:
                account = str(source.get("account") or DEFAULT_ACCOUNTS.get(platform, ""))
                rows = await social_source(platform, account)
            status[platform] = {"kind": kind, "rows": rows, "error": None}
        except ConnectorError as exc:
            status[platform] = {"kind": kind, "rows": 0, "error": f"{type(exc).__name__}: {exc}"}
        except NonRetryableError as exc:
            status[platform] = {"kind": kind, "rows": 0, "error": f"{type(exc).__name__}: {exc}",
                                "fatal": True}  # fmt: skip

    await asyncio.gather(*(one(s) for s in sources))
    return {"sources": status, "retries": retries}


def detail_days_for(windows: Windows, scope: str) -> list[date]:
    """Days whose orders are fetched row by row: every day of the window ("all") or only
    the report and comparison days ("compare")."""
    if scope == "compare":
        return sorted({windows.report, *windows.compare.values()})
    return [windows.start + timedelta(days=i)
            for i in range((windows.report - windows.start).days + 1)]  # fmt: skip
