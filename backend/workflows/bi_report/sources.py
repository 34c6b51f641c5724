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
import functools
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from backend.connectors.base import ConnectorError
from backend.connectors.registry import ADS_PLATFORMS
from backend.connectors.runtime import Platforms
from backend.connectors.shops import job_stores
from backend.core.errors import NonRetryableError
from backend.domain.shops import split_store, store_key
from backend.reports.aggregate import Windows
from backend.reports.rawdata import RawTables

__all__ = ["classify", "fetch_sources", "detail_days_for", "with_shops", "MARKETPLACES"]

MARKETPLACES = frozenset({"shopee", "tokopedia", "lazada", "tiktok_shop", "blibli", "website"})
ADS = frozenset(ADS_PLATFORMS)
T = TypeVar("T")
SOCIAL = frozenset({"instagram", "tiktok", "facebook", "twitter", "youtube"})
# The brand's own accounts (the sandbox's); a source may name its own with "account".
DEFAULT_ACCOUNTS = {"instagram": "brand_official", "twitter": "@brand", "tiktok": "@brand",
                    "facebook": "BrandPage", "youtube": "@brand"}  # fmt: skip
_GA_METRICS = ["sessions", "totalUsers", "bounceRate", "sessionConversionRate", "conversions",
               "purchaseRevenue"]  # fmt: skip


def with_shops(sources: list[dict[str, Any]], accounts: Any) -> list[dict[str, Any]]:
    """The sources with each marketplace source once per shop the job reads
    (``inputs.accounts``, default every live account, else the sandbox's shop), its
    ``platform`` the store key (``shopee``, ``shopee@toko-b``): every figure of the report
    names its shop."""
    out: list[dict[str, Any]] = []
    for source in sources:
        platform = str(source.get("platform", ""))
        if classify(source) != "marketplace":
            out.append(source)
            continue
        name = "tiktok_shop" if platform == "tiktok" else platform
        out += [{**source, "platform": store_key(platform, split_store(store)[1])}
                for store in job_stores([name], accounts)]  # fmt: skip
    return out


def classify(source: dict[str, Any]) -> str:
    """marketplace / ads / social / analytics / crm for one data source of the job."""
    platform = split_store(str(source.get("platform", "")))[0]
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


class _Fetch:
    """One fetch of every source into the raw tables, at most ``concurrency`` calls in
    flight; each source kind has its reader below."""

    def __init__(self, platforms: Platforms, *, windows: Windows, tables: RawTables,
                 detail_days: list[date], concurrency: int,
                 on_page: Callable[[str], Awaitable[None]] | None) -> None:  # fmt: skip
        self.platforms, self.tables, self.detail_days = platforms, tables, detail_days
        self.start, self.end = windows.start, windows.report
        self.gate = asyncio.Semaphore(concurrency)
        self.on_page = on_page

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        async with self.gate:
            return await fn()

    async def marketplace(self, platform: str) -> int:
        """One shop's figures and orders (``platform``: its store key), named by it."""
        base, account = split_store(platform)
        name = "tiktok_shop" if base == "tiktok" else base
        market = self.platforms.market(name, account=account)
        stats = await self.call(lambda: market.daily_stats(name, start=self.start, end=self.end))
        n = self.tables["daily"].write(_daily_rows("market", platform, stats))
        days = await asyncio.gather(*(self.orders_of(platform, name, d) for d in self.detail_days))
        return n + sum(days)

    async def orders_of(self, platform: str, name: str, day: date) -> int:
        market = self.platforms.market(name, account=split_store(platform)[1])
        got, cursor = 0, None
        while True:
            page = await self.call(functools.partial(market.orders, name, day=day, cursor=cursor))
            got += self.tables["orders"].write(
                {"platform": platform, "order_id": o.order_id,
                 "created_at": o.created_at.isoformat(), "customer_id": o.customer_id,
                 "total": o.total, "currency": "IDR", "status": o.status,
                 "items": len(o.items)} for o in page.items)  # fmt: skip
            if self.on_page:
                await self.on_page(platform)
            if not page.next_cursor:
                return got
            cursor = page.next_cursor

    async def ads(self, platform: str) -> int:
        conn = self.platforms.ads(platform)
        rows = await self.call(lambda: conn.daily_rows(start=self.start, end=self.end))
        return self.tables["ads"].write(
            {"platform": platform, "day": r.day, "campaign_id": r.campaign_id,
             "campaign_name": r.campaign_name, "adgroup_id": r.adgroup_id, "spend": r.spend,
             "impressions": r.impressions, "clicks": r.clicks, "conversions": r.conversions,
             "revenue": r.revenue, "currency": "IDR"} for r in rows)  # fmt: skip

    async def analytics(self, platform: str) -> int:
        ga = self.platforms.analytics()
        rows = await self.call(lambda: ga.report(start=self.start, end=self.end,
                                                 dimensions=["date"], metrics=_GA_METRICS))
        out = []
        for r in rows:
            d = r.dimensions["date"]
            day = date(int(d[:4]), int(d[4:6]), int(d[6:8]))
            out += [{"source": "analytics", "platform": platform, "day": day, "metric": m,
                     "value": v, "currency": "IDR"} for m, v in r.metrics.items()]  # fmt: skip
        return self.tables["daily"].write(out)

    async def crm(self, platform: str) -> int:
        crm = self.platforms.crm()
        stats = await self.call(lambda: crm.daily_metrics(start=self.start, end=self.end))
        return self.tables["daily"].write(_daily_rows("crm", platform, stats))

    async def social(self, platform: str, account: str) -> int:
        social = self.platforms.social()
        stats = await self.call(lambda: social.insights(platform, account, start=self.start,
                                                        end=self.end))  # fmt: skip
        return self.tables["daily"].write(_daily_rows("social", platform, stats))

    async def source(self, source: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """One source's rows, or the error that kept them (``fatal``: it refused us)."""
        platform = str(source["platform"])
        kind = classify(source)
        try:
            if kind == "marketplace":
                rows = await self.marketplace(platform)
            elif kind in ("ads", "analytics", "crm"):
                rows = await getattr(self, kind)(platform)
            else:
                account = str(source.get("account") or DEFAULT_ACCOUNTS.get(platform, ""))
                rows = await self.social(platform, account)
            return platform, {"kind": kind, "rows": rows, "error": None}
        except ConnectorError as exc:
            return platform, {"kind": kind, "rows": 0, "error": f"{type(exc).__name__}: {exc}"}
        except NonRetryableError as exc:
            return platform, {"kind": kind, "rows": 0, "error": f"{type(exc).__name__}: {exc}",
                              "fatal": True}  # fmt: skip


async def fetch_sources(
    platforms: Platforms,
    *,
    sources: list[dict[str, Any]],
    windows: Windows,
    tables: RawTables,
    detail_days: list[date],
    concurrency: int = 8,
    on_page: Callable[[str], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """Fetch all sources; returns per-platform status (rows, error) and the retries the
    call policy made."""
    retried = platforms.stats()["retried_total"]
    fetch = _Fetch(platforms, windows=windows, tables=tables, detail_days=detail_days,
                   concurrency=concurrency, on_page=on_page)  # fmt: skip
    status = dict(await asyncio.gather(*(fetch.source(s) for s in sources)))
    return {"sources": status, "retries": platforms.stats()["retried_total"] - retried}


def detail_days_for(windows: Windows, scope: str) -> list[date]:
    """Days whose orders are fetched row by row: every day of the window ("all") or only
    the report and comparison days ("compare")."""
    if scope == "compare":
        return sorted({windows.report, *windows.compare.values()})
    return [windows.start + timedelta(days=i)
            for i in range((windows.report - windows.start).days + 1)]  # fmt: skip
