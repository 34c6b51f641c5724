"""Sample raw report data of any size (demos, tests and the 1M-row benchmark).

Writes the same files the BI fetch step writes (``rawdata.py``), with the flaws real
exports have in known numbers: repeated orders, orders without a total, amounts in USD,
so the cleaning and the data-quality section have something to find.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from backend.reports.rawdata import RawTables

__all__ = ["write_sample", "SAMPLE_KINDS"]

SAMPLE_KINDS = {"shopee": "marketplace", "tokopedia": "marketplace", "lazada": "marketplace",
                "facebook_ads": "ads", "google_ads": "ads", "tiktok_ads": "ads",
                "google_analytics": "analytics", "crm": "crm", "instagram": "social"}  # fmt: skip
_SHARE = {"shopee": 0.45, "tokopedia": 0.33, "lazada": 0.22}


_PLATFORMS = ["shopee"] * 4 + ["tokopedia"] * 3 + ["lazada"] * 2


def _write_orders(path: Path, plan: list[tuple[date, int]], *, report: date, duplicates: int,
                  seed: int) -> int:
    """Orders of each (day, count) as NDJSON, written by DuckDB (a million rows in about
    a second); the report day's first ``duplicates`` orders appear twice."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    con.execute("CREATE TABLE plan (day DATE, n INTEGER)")
    con.executemany("INSERT INTO plan VALUES (?, ?)", plan)
    platforms = "[" + ", ".join(f"'{p}'" for p in _PLATFORMS) + "]"
    con.execute(f"""
        CREATE TABLE o AS
        SELECT list_extract({platforms}, (r % 9)::INTEGER + 1) AS platform,
               substr(list_extract({platforms}, (r % 9)::INTEGER + 1), 1, 3) || '-'
                 || strftime(day, '%y%m%d') || '-' || r AS order_id,
               strftime(day::TIMESTAMP - INTERVAL 7 HOUR
                        + to_seconds(CAST(86399 * pow(random(), 0.8) AS BIGINT)),
                        '%Y-%m-%dT%H:%M:%S+00:00') AS created_at,
               'C' || (r % 5000) AS customer_id,
               CAST(50000 + 100 * floor(random() * 4500) AS DOUBLE) AS total,
               'IDR' AS currency, 'COMPLETED' AS status, 1 AS items, day, r
        FROM plan, range(n) t(r)""")
    con.execute(f"""COPY (SELECT * EXCLUDE (day, r) FROM o UNION ALL
                         SELECT * EXCLUDE (day, r) FROM o WHERE day = '{report}' AND
                         r < {duplicates}) TO '{path.as_posix()}' (FORMAT JSON)""")
    total = con.execute("SELECT count(*) FROM o").fetchone()[0]  # type: ignore[index]
    con.close()
    return int(total) + duplicates


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
    tables = RawTables(folder)
    tables.reset()
    first = report - timedelta(days=days - 1)
    per_day = max(1, orders // days)
    counts: dict[tuple[str, date], int] = {}
    writer = tables["orders"]
    plan = []
    for i in range(days):
        day = first + timedelta(days=i)
        dip = dip_on_report if day == report else 1.0
        n_day = int((per_day if i < days - 1 else orders - per_day * (days - 1)) * dip)
        plan.append((day, n_day))
        for k, platform in enumerate(_PLATFORMS):
            # order n goes to _PLATFORMS[n % 9]: count the n < n_day with that remainder
            counts[(platform, day)] = counts.get((platform, day), 0) + (n_day - k + 8) // 9
    writer.rows += _write_orders(writer.path, plan, report=report, duplicates=duplicates,
                                 seed=seed)
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
