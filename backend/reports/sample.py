"""Sample raw report data of any size (demos, tests and the 1M-row benchmark).

Writes the same files the BI fetch step writes (``rawdata.py``), with the flaws real
exports have in known numbers: repeated orders, orders without a total, amounts in USD,
so the cleaning and the data-quality section have something to find.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from backend.reports.rawdata import RawTables

__all__ = ["write_sample", "SAMPLE_KINDS"]

SAMPLE_KINDS = {"shopee": "marketplace", "tokopedia": "marketplace", "lazada": "marketplace",
                "facebook_ads": "ads", "google_ads": "ads", "tiktok_ads": "ads",
                "google_analytics": "analytics", "crm": "crm", "instagram": "social"}  # fmt: skip
_SHARE = {"shopee": 0.45, "tokopedia": 0.33, "lazada": 0.22}


def write_sample(
    folder: Path,
    *,
    report: date,
    days: int = 36,
    orders: int = 10_000,
    duplicates: int = 7,
    missing_totals: int = 3,
    usd_orders: int = 5,
    seed: int = 1,
    dip_on_report: float = 0.75,
) -> dict[str, Any]:
    """Write ``orders`` order rows spread over ``days`` days ending at ``report`` (plus
    the flaws), daily stats that agree with them, ads, analytics, CRM and social rows.
    The report day has ``dip_on_report`` times the usual orders (an anomaly to find).
    Returns what was written (counts and flaws)."""
    rng = random.Random(seed)
    tables = RawTables(folder)
    tables.reset()
    first = report - timedelta(days=days - 1)
    per_day = max(1, orders // days)
    counts: dict[tuple[str, date], int] = {}
    platforms = ["shopee"] * 4 + ["tokopedia"] * 3 + ["lazada"] * 2
    dupes: list[bytes] = []
    writer = tables["orders"]
    with writer.path.open("ab") as fh:
        for i in range(days):
            day = first + timedelta(days=i)
            # Orders of a Jakarta day are stamped in UTC: 17:00 the evening before onwards.
            start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=7)
            dip = dip_on_report if day == report else 1.0
            n_day = int((per_day if i < days - 1 else orders - per_day * (days - 1)) * dip)
            lines = []
            for n in range(n_day):
                platform = platforms[n % 9]
                counts[(platform, day)] = counts.get((platform, day), 0) + 1
                sec = int(86_399 * rng.random() ** 0.8)
                stamp = (start + timedelta(seconds=sec)).isoformat()
                total = 50_000 + rng.randrange(0, 450_000, 100)
                lines.append(
                    f'{{"platform":"{platform}","order_id":"{platform[:3]}-{day:%y%m%d}-{n}",'
                    f'"created_at":"{stamp}","customer_id":"C{n % 5000}","total":{total},'
                    f'"currency":"IDR","status":"COMPLETED","items":1}}'.encode()
                )
            if day == report:
                dupes = lines[:duplicates]  # the export repeats a few orders verbatim
            fh.write(b"\n".join(lines + dupes if day == report else lines) + b"\n")
            writer.rows += len(lines) + (len(dupes) if day == report else 0)
    written = writer.rows
    last = datetime(report.year, report.month, report.day, tzinfo=UTC)
    tables["orders"].write(
        [{"platform": "shopee", "order_id": f"nototal-{k}", "created_at": last.isoformat(),
          "currency": "IDR"} for k in range(missing_totals)]
        + [{"platform": "lazada", "order_id": f"usd-{k}", "created_at": last.isoformat(),
            "total": 10.0, "currency": "USD", "status": "COMPLETED"} for k in range(usd_orders)]
    )  # fmt: skip
    daily: list[dict[str, Any]] = []
    ads: list[dict[str, Any]] = []
    for i in range(days):
        day = first + timedelta(days=i)
        boost = 1.3 if day.weekday() >= 5 else 1.0
        for platform in _SHARE:
            n = counts.get((platform, day), 0) + (usd_orders if platform == "lazada" and
                                                  day == report else 0)  # fmt: skip
            visitors = int(n / 0.025) + 1
            for metric, value in (("sales", n * 250_000.0 * boost), ("orders", float(n)),
                                  ("visitors", float(visitors))):  # fmt: skip
                daily.append({"source": "market", "platform": platform, "day": day,
                              "metric": metric, "value": value, "currency": "IDR"})  # fmt: skip
        for platform, roas in (("facebook_ads", 3.0), ("google_ads", 5.0), ("tiktok_ads", 2.0)):
            for g in range(8):
                spend = 150_000.0 * (1 + g / 8)
                ads.append({"platform": platform, "day": day, "campaign_id": f"c{g // 4}",
                            "campaign_name": f"Campaign {g // 4}", "adgroup_id": f"g{g}",
                            "spend": spend, "impressions": 40_000, "clicks": 400,
                            "conversions": 12.0, "revenue": spend * roas,
                            "currency": "IDR"})  # fmt: skip
        for metric, value in (("sessions", 9000.0 * boost), ("totalUsers", 7000.0),
                              ("bounceRate", 0.42), ("sessionConversionRate", 0.021)):
            daily.append({"source": "analytics", "platform": "google_analytics", "day": day,
                          "metric": metric, "value": value})  # fmt: skip
        for metric, value in (("new_customers", 30.0), ("repeat_customers", 190.0),
                              ("churned_customers", 12.0)):  # fmt: skip
            daily.append({"source": "crm", "platform": "crm", "day": day, "metric": metric,
                          "value": value})  # fmt: skip
        for metric, value in (("followers", 182_000.0 + i * 40), ("engagement", 1500.0),
                              ("reach", 30_000.0)):  # fmt: skip
            daily.append({"source": "social", "platform": "instagram", "day": day,
                          "metric": metric, "value": value})  # fmt: skip
    tables["daily"].write(daily)
    tables["ads"].write(ads)
    return {"orders": written, "duplicates": duplicates, "missing_totals": missing_totals,
            "usd_orders": usd_orders, "rows": tables.counts(),
            "orders_by_platform_day": {f"{p}:{d}": n for (p, d), n in counts.items()}}  # fmt: skip
