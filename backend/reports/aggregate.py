"""Clean, normalise and aggregate a report's raw rows with DuckDB.

The raw tables (``rawdata.py``) may hold a million rows or more; DuckDB reads them from
disk, removes duplicates, drops rows missing what a figure needs, converts money to IDR
with the rate of the row's own day, puts order times in the job's time zone, and
reduces everything to per-platform daily numbers. Only those small results come back to
Python, where KPIs (ROAS, CPC, conversion rate ...) and deltas are derived.

Call :func:`open_tables`, then :func:`foreign_currency_days` (fetch those rates), then
:func:`build` with the rates. ``build`` returns the report's data as plain JSON;
:func:`save_for_render` then writes what the render step reads.

The working tables live in an in-memory DuckDB that spills beside the raw files past its
memory limit: writing a million rows into a database file only to read them once cost
more (compression, checkpoint) than the whole cleaning.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from backend.reports import labels
from backend.reports.kpis import delta, derive, kpis_of_day
from backend.reports.rawdata import SCHEMAS

__all__ = ["Windows", "windows_for", "open_tables", "foreign_currency_days", "build",
           "save_for_render", "quality_finding", "RENDER_DB", "ORDERS_CSV"]

MONEY_METRICS = frozenset({"sales", "revenue", "spend", "purchaseRevenue", "avg_order_value"})
HISTORY_DAYS = 35  # trend charts and the insights' 4-week baseline
RENDER_DB = "report.duckdb"  # the report day's rows, for the workbook
ORDERS_CSV = "orders-clean.csv"  # every cleaned order, the full export


@dataclass(frozen=True, slots=True)
class Windows:
    """The report day, the days it is compared with, and the history shown in charts."""

    report: date
    compare: dict[str, date] = field(default_factory=dict)

    @property
    def start(self) -> date:
        return min([self.report - timedelta(days=HISTORY_DAYS), *self.compare.values()])

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.report - self.start).days + 1)]


def _month_back(day: date) -> date:
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def windows_for(report: date, compare_with: list[str]) -> Windows:
    """``yesterday`` = the day before, ``last_week`` = same weekday a week before,
    ``last_month`` = same date a month before."""
    known = {"yesterday": report - timedelta(days=1), "last_week": report - timedelta(days=7),
             "last_month": _month_back(report)}  # fmt: skip
    return Windows(report=report, compare={n: known[n] for n in compare_with if n in known})


def _load(con: duckdb.DuckDBPyConnection, folder: Path, table: str) -> None:
    columns = SCHEMAS[table]
    path = folder / f"{table}.ndjson"
    if path.exists() and path.stat().st_size:
        spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns.items()) + "}"
        con.execute(
            f"CREATE TABLE {table}_raw AS SELECT * FROM read_json("
            f"'{path.as_posix()}', format='newline_delimited', columns={spec})"
        )
    else:
        cols = ", ".join(f"{c} {t}" for c, t in columns.items())
        con.execute(f"CREATE TABLE {table}_raw ({cols})")


def open_tables(folder: Path, *, memory_limit: str = "160MB") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the raw tables of ``folder`` loaded."""
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit, "threads": 2})
    con.execute("SET enable_progress_bar = false")
    # Row order is never relied on (every export that shows rows sorts them); keeping it
    # would make DuckDB buffer whole tables.
    con.execute("SET preserve_insertion_order = false")
    # Past the limit DuckDB spills to disk beside the raw files instead of growing.
    con.execute(f"SET temp_directory = '{(Path(folder) / 'spill').as_posix()}'")
    for table in SCHEMAS:
        _load(con, Path(folder), table)
    return con


def foreign_currency_days(
    con: duckdb.DuckDBPyConnection, *, timezone: str
) -> list[tuple[str, date]]:
    """(currency, day) pairs that need a rate to IDR."""
    rows = con.execute(f"""
        SELECT DISTINCT upper(currency),
               CAST(timezone('{timezone}', CAST(created_at AS TIMESTAMPTZ)) AS DATE)
        FROM orders_raw WHERE currency IS NOT NULL AND upper(currency) <> 'IDR'
          AND created_at IS NOT NULL
        UNION SELECT DISTINCT upper(currency), day FROM ads_raw
        WHERE currency IS NOT NULL AND upper(currency) <> 'IDR'
        UNION SELECT DISTINCT upper(currency), day FROM daily_raw
        WHERE currency IS NOT NULL AND upper(currency) <> 'IDR'
    """).fetchall()  # fmt: skip
    return sorted((str(c), d) for c, d in rows if d is not None)


def _clean(
    con: duckdb.DuckDBPyConnection, tz: str, rates: dict[tuple[str, date], float]
) -> dict[str, Any]:
    con.execute("CREATE OR REPLACE TABLE rates (currency VARCHAR, day DATE, rate DOUBLE)")
    if rates:
        con.executemany("INSERT INTO rates VALUES (?, ?, ?)",
                        [(c, d, r) for (c, d), r in rates.items()])  # fmt: skip
    q: dict[str, Any] = {}
    rows, missing_total, missing_time, missing_currency, complete = con.execute("""
        SELECT count(*), count(*) FILTER (total IS NULL), count(*) FILTER (created_at IS NULL),
               count(*) FILTER (currency IS NULL),
               count(*) FILTER (total IS NOT NULL AND created_at IS NOT NULL) FROM orders_raw"""
                                                                       ).fetchone() or (0,) * 5
    # Repeated orders are rare: find their keys on a 64-bit hash (a hash table of fixed-
    # width integers is several times cheaper than one of a million strings; a collision
    # only adds a candidate), merge just those, and pass every other row straight on.
    usable = "total IS NOT NULL AND created_at IS NOT NULL"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE repeated AS
        SELECT DISTINCT platform, order_id FROM orders_raw
        WHERE {usable} AND hash(platform, order_id) IN (
            SELECT hash(platform, order_id) FROM orders_raw WHERE {usable}
            GROUP BY 1 HAVING count(*) > 1)""")
    con.execute(f"""
        CREATE TABLE orders_clean AS
        WITH once AS (
            SELECT platform, order_id, status, items, total, currency, created_at
            FROM orders_raw o ANTI JOIN repeated USING (platform, order_id) WHERE {usable}
            UNION ALL
            SELECT platform, order_id, any_value(status), any_value(items), any_value(total),
                   any_value(currency), min(created_at)
            FROM orders_raw o SEMI JOIN repeated USING (platform, order_id) WHERE {usable}
            GROUP BY platform, order_id),
        g AS (
            SELECT platform, order_id, status, items, total,
                   coalesce(upper(currency), 'IDR') AS cur,
                   timezone('{tz}', CAST(created_at AS TIMESTAMPTZ)) AS local_ts FROM once)
        SELECT g.platform, g.order_id, g.status, g.items, g.local_ts,
               CAST(g.local_ts AS DATE) AS day,
               g.total * CASE WHEN g.cur = 'IDR' THEN 1 ELSE r.rate END AS total_idr
        FROM g LEFT JOIN rates r ON r.currency = g.cur AND r.day = CAST(g.local_ts AS DATE)""")
    unique, no_rate = con.execute(
        "SELECT count(*), count(*) FILTER (total_idr IS NULL) FROM orders_clean").fetchone() \
        or (0, 0)  # fmt: skip
    q["orders"] = {"rows": rows, "unique": rows - (complete - unique),
                   "missing_total": missing_total, "missing_time": missing_time,
                   "missing_currency": missing_currency, "no_rate": no_rate}  # fmt: skip
    q["ads"] = dict(zip(("rows", "unique", "negative", "clicks_over_impressions"), con.execute("""
        SELECT count(*), count(DISTINCT (platform, day, adgroup_id)),
               count(*) FILTER (spend < 0 OR clicks < 0 OR impressions < 0),
               count(*) FILTER (clicks > impressions) FROM ads_raw""").fetchone() or (),
                        strict=True))  # fmt: skip
    con.execute("""
        CREATE TABLE ads_clean AS
        SELECT a.platform, a.day, a.campaign_name, a.clicks, a.impressions, a.conversions,
               a.spend * m.f AS spend, a.revenue * m.f AS revenue
        FROM (SELECT * FROM ads_raw WHERE spend >= 0 AND clicks >= 0 AND impressions >= 0
              AND day IS NOT NULL QUALIFY row_number() OVER (
                  PARTITION BY platform, day, adgroup_id ORDER BY spend DESC) = 1) a
        JOIN (SELECT DISTINCT a2.platform, a2.day, coalesce(upper(a2.currency), 'IDR') cur,
                     CASE WHEN coalesce(upper(a2.currency), 'IDR') = 'IDR' THEN 1 ELSE r.rate END f
              FROM ads_raw a2 LEFT JOIN rates r
                ON r.currency = upper(a2.currency) AND r.day = a2.day) m
          ON m.platform = a.platform AND m.day = a.day
             AND m.cur = coalesce(upper(a.currency), 'IDR')
        WHERE m.f IS NOT NULL""")
    q["daily"] = dict(zip(("rows", "unique", "missing_value"), con.execute("""
        SELECT count(*), count(DISTINCT (source, platform, day, metric)),
               count(*) FILTER (value IS NULL) FROM daily_raw""").fetchone() or (),
                          strict=True))  # fmt: skip
    money = ", ".join(f"'{m}'" for m in sorted(MONEY_METRICS))
    con.execute(f"""
        CREATE TABLE daily_clean AS
        SELECT d.source, d.platform, d.day, d.metric,
               d.value * CASE WHEN d.metric NOT IN ({money})
                               OR coalesce(upper(d.currency), 'IDR') = 'IDR' THEN 1
                              ELSE r.rate END AS value
        FROM (SELECT * FROM daily_raw WHERE value IS NOT NULL AND day IS NOT NULL
              QUALIFY row_number() OVER (PARTITION BY source, platform, day, metric) = 1) d
        LEFT JOIN rates r ON r.currency = upper(d.currency) AND r.day = d.day""")
    return q


def build(
    con: duckdb.DuckDBPyConnection,
    *,
    windows: Windows,
    timezone: str,
    rates: dict[tuple[str, date], float] | None = None,
    kinds: dict[str, str],
) -> dict[str, Any]:
    """The report's numbers: totals and per-platform KPIs of the report day and each
    comparison day, deltas, daily series, the report day's order pattern, top campaigns
    and the data-quality findings. ``kinds`` maps platform -> marketplace/ads/social/
    analytics/crm."""
    quality = _clean(con, timezone, rates or {})
    start, end = windows.start, windows.report
    # per platform, day: {metric: value}
    per: dict[str, dict[date, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for platform, day, metric, value in con.execute(
        "SELECT platform, day, metric, sum(value) FROM daily_clean WHERE day BETWEEN ? AND ? "
        "GROUP BY ALL", [start, end]).fetchall():  # fmt: skip
        per[platform][day][metric] = float(value)
    for row in con.execute("""
        SELECT platform, day, sum(spend), sum(revenue), sum(clicks), sum(impressions),
               sum(conversions) FROM ads_clean WHERE day BETWEEN ? AND ? GROUP BY ALL""",
                           [start, end]).fetchall():  # fmt: skip
        platform, day, *vals = row
        per[platform][day].update(zip(("spend", "revenue", "clicks", "impressions",
                                       "conversions"), map(float, vals), strict=True))  # fmt: skip
    detail: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for platform, day, n, value, cancelled in con.execute("""
        SELECT platform, day, count(*), sum(total_idr), count(*) FILTER (status = 'CANCELLED')
        FROM orders_clean WHERE total_idr IS NOT NULL GROUP BY ALL""").fetchall():  # fmt: skip
        detail[platform][day.isoformat()] = {"orders": n, "order_value": float(value or 0),
                                             "cancelled": cancelled}  # fmt: skip
    days = windows.days
    named = {"report": windows.report, **windows.compare}
    totals_by_day = {d: kpis_of_day(per, kinds, d) for d in days}
    totals = {n: totals_by_day[d] for n, d in named.items()}
    platforms: dict[str, Any] = {}
    for platform in sorted(set(per) | set(kinds)):
        if platform not in kinds:
            continue
        by_window = {n: derive(kinds[platform], dict(per[platform].get(d, {})))
                     for n, d in named.items()}  # fmt: skip
        platforms[platform] = {
            "kind": kinds[platform],
            "values": by_window,
            "deltas": {n: delta(by_window["report"], by_window[n]) for n in windows.compare},
            "orders_detail": detail.get(platform, {}),
        }
    hourly = [0.0] * 24
    for hour, value in con.execute("""
        SELECT hour(local_ts), sum(total_idr) FROM orders_clean WHERE day = ? GROUP BY 1""",
                                   [windows.report]).fetchall():  # fmt: skip
        hourly[int(hour)] = float(value or 0)
    campaigns = [
        {"platform": p, "campaign": c, "spend": float(s), "revenue": float(r),
         "roas": float(r) / float(s) if s else None}
        for p, c, s, r in con.execute("""
            SELECT platform, campaign_name, sum(spend) s, sum(revenue) FROM ads_clean
            WHERE day = ? GROUP BY ALL ORDER BY s DESC LIMIT 10""", [windows.report]).fetchall()
    ]  # fmt: skip
    quality["checks"] = _checks(quality, platforms, kinds, windows)
    series_metrics = ("sales", "orders", "visitors", "ad_spend", "ad_revenue", "roas",
                      "conversion_rate", "sessions")  # fmt: skip
    return {
        "report_date": windows.report.isoformat(),
        "timezone": timezone,
        "windows": {n: d.isoformat() for n, d in named.items()},
        "totals": totals,
        "deltas": {n: delta(totals["report"], totals[n]) for n in windows.compare},
        "platforms": platforms,
        "series": {"dates": [d.isoformat() for d in days],
                   **{m: [totals_by_day[d].get(m) for d in days] for m in series_metrics},
                   "sales_by_platform": {p: [per[p].get(d, {}).get("sales", 0.0) for d in days]
                                         for p, k in kinds.items() if k == "marketplace"}},
        "hourly_sales": hourly,
        "campaigns": campaigns,
        "quality": quality,
        "rows": sum(int(quality[t]["rows"]) for t in ("orders", "ads", "daily")),
    }  # fmt: skip


def quality_finding(code: str, *, ok: bool = False, **args: Any) -> dict[str, Any]:
    """A data-quality finding: its ``code`` and numbers (``args``), which a report words in
    its language (``labels.check``), and the English words as ``check``/``detail``."""
    finding: dict[str, Any] = {"code": code, "args": args, "status": "ok" if ok else "warning"}
    finding["check"], finding["detail"] = labels.check(finding, lang="en")
    return finding


def _checks(quality: dict[str, Any], platforms: dict[str, Any], kinds: dict[str, str],
            windows: Windows) -> list[dict[str, Any]]:
    """Integrity findings (:func:`quality_finding`), each ok / warning."""
    out: list[dict[str, Any]] = []

    def add(code: str, ok: bool, **args: Any) -> None:
        out.append(quality_finding(code, ok=ok, **args))

    o, a, d = quality["orders"], quality["ads"], quality["daily"]
    dup = o["rows"] - o["unique"]
    add("duplicate_orders", dup == 0, dup=dup, rows=o["rows"])
    add("orders_incomplete", not (o["missing_total"] or o["missing_time"]),
        no_total=o["missing_total"], no_time=o["missing_time"])
    add("orders_no_currency", not o["missing_currency"], n=o["missing_currency"])
    add("no_rate", not o["no_rate"], n=o["no_rate"])
    add("duplicate_ads", a["rows"] == a["unique"], n=a["rows"] - a["unique"])
    add("impossible_ads", not (a["negative"] or a["clicks_over_impressions"]),
        negative=a["negative"], over=a["clicks_over_impressions"])
    repeated = d["rows"] - d["missing_value"] - d["unique"]
    add("daily_gaps", d["missing_value"] == 0 and repeated == 0, missing=d["missing_value"],
        repeated=d["rows"] - d["unique"])
    for platform, kind in sorted(kinds.items()):
        if kind != "marketplace":
            continue
        info = platforms.get(platform)
        if info is None or not info["values"]["report"]:
            add("platform_no_data", False, platform=platform)
            continue
        for day, counted in sorted(info["orders_detail"].items()):
            if date.fromisoformat(day) not in (windows.report, *windows.compare.values()):
                continue
            stated = _stated_orders(info, day, windows)
            if stated is None:
                continue
            add("orders_match", stated == counted["orders"], platform=platform, day=day,
                listed=counted["orders"], stated=round(stated))
    return out


def _stated_orders(info: dict[str, Any], day: str, windows: Windows) -> float | None:
    named = {"report": windows.report, **windows.compare}
    for name, d in named.items():
        if d.isoformat() == day:
            value = info["values"][name].get("orders")
            return float(value) if value is not None else None
    return None


def save_for_render(con: duckdb.DuckDBPyConnection, *, folder: Path, day: date,
                    language: str = "id", timezone: str = "Asia/Jakarta") -> dict[str, Path]:
    """Write what the render step reads after :func:`build` (it may run in another process
    after a retry): every cleaned order as CSV (the full export, so nobody copies a million
    rows twice) and a small DuckDB file with the report day's orders and the ad rows."""
    from backend.reports.exports import export_orders_csv

    csv, db = Path(folder) / ORDERS_CSV, Path(folder) / RENDER_DB
    export_orders_csv(con, csv, language=language, timezone=timezone)
    db.unlink(missing_ok=True)
    con.execute(f"ATTACH '{db.as_posix()}' AS render_db")
    try:
        con.execute("CREATE TABLE render_db.orders_clean AS SELECT * FROM orders_clean "
                    "WHERE day = ?", [day])  # fmt: skip
        con.execute("CREATE TABLE render_db.ads_clean AS SELECT * FROM ads_clean")
    finally:
        con.execute("DETACH render_db")
    return {"csv": csv, "database": db}
