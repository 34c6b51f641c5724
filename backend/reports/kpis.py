"""KPI arithmetic on one day's numbers: derived ratios, totals over platforms, deltas.

Ratios are derived from sums (ROAS = revenue / spend of the day), never averaged, so a
total is the same whether it is computed per platform first or all at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

__all__ = ["derive", "kpis_of_day", "delta", "metric_kind", "RATIOS", "MONEY"]

RATIOS = frozenset({"conversion_rate", "ctr", "bounce_rate", "engagement_rate"})
MONEY = frozenset({"sales", "ad_spend", "ad_revenue", "spend", "revenue", "cpc",
                   "avg_order_value", "order_value", "purchaseRevenue"})  # fmt: skip


def metric_kind(metric: str) -> str:
    """How a metric's value reads: ``pct`` (ratios), ``times`` (ROAS), ``money`` (IDR)
    or ``count``; the PDF and the workbook format by it."""
    if metric in RATIOS or metric.endswith("_rate"):
        return "pct"
    if "roas" in metric:
        return "times"
    return "money" if metric in MONEY else "count"


def _div(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def derive(kind: str, values: dict[str, float]) -> dict[str, Any]:
    """One platform's day with its ratios added (and GA/CRM names made plain)."""
    v: dict[str, Any] = dict(values)
    if kind == "marketplace":
        v["conversion_rate"] = _div(v.get("orders"), v.get("visitors"))
    elif kind == "ads":
        v["roas"] = _div(v.get("revenue"), v.get("spend"))
        v["cpc"] = _div(v.get("spend"), v.get("clicks"))
        v["ctr"] = _div(v.get("clicks"), v.get("impressions"))
        v["conversion_rate"] = _div(v.get("conversions"), v.get("clicks"))
    elif kind == "analytics":
        v.setdefault("users", v.pop("totalUsers", None))
        v.setdefault("bounce_rate", v.pop("bounceRate", None))
        v.setdefault("conversion_rate", v.pop("sessionConversionRate", None))
    elif kind == "crm":
        v.setdefault("churn", v.pop("churned_customers", None))
    return {k: x for k, x in v.items() if x is not None}


def kpis_of_day(
    per: Mapping[str, Mapping[date, Mapping[str, float]]], kinds: Mapping[str, str], day: date
) -> dict[str, float | None]:
    """The shop's totals of ``day`` over every platform."""
    sums: dict[str, float] = {}

    def add(metric: str, value: float | None) -> None:
        if value is not None:
            sums[metric] = sums.get(metric, 0.0) + value

    for platform, kind in kinds.items():
        v = derive(kind, dict(per.get(platform, {}).get(day, {})))
        if kind == "marketplace":
            for m in ("sales", "orders", "visitors"):
                add(m, v.get(m))
        elif kind == "ads":
            add("ad_spend", v.get("spend"))
            add("ad_revenue", v.get("revenue"))
            for m in ("clicks", "impressions", "conversions"):
                add(m, v.get(m))
        elif kind == "analytics":
            for m in ("sessions", "users"):
                add(m, v.get(m))
            if v.get("bounce_rate") is not None and v.get("sessions"):
                add("_bounces", v["bounce_rate"] * v["sessions"])
        elif kind == "crm":
            for m in ("new_customers", "repeat_customers", "churn"):
                add(m, v.get(m))
        elif kind == "social":
            for m in ("followers", "engagement", "reach", "views"):
                add(m, v.get(m))
    out: dict[str, float | None] = {k: v for k, v in sums.items() if not k.startswith("_")}
    out["conversion_rate"] = _div(sums.get("orders"), sums.get("visitors"))
    out["roas"] = _div(sums.get("sales"), sums.get("ad_spend"))
    out["ad_roas"] = _div(sums.get("ad_revenue"), sums.get("ad_spend"))
    out["cpc"] = _div(sums.get("ad_spend"), sums.get("clicks"))
    out["ctr"] = _div(sums.get("clicks"), sums.get("impressions"))
    out["bounce_rate"] = _div(sums.get("_bounces"), sums.get("sessions"))
    return {k: v for k, v in out.items() if v is not None}


def delta(current: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, float | None]:
    """Relative change per metric (0.12 = +12%); None where the base is zero or missing."""
    out: dict[str, float | None] = {}
    for metric, value in current.items():
        base = previous.get(metric)
        if isinstance(value, int | float) and isinstance(base, int | float) and base:
            out[metric] = value / base - 1
        else:
            out[metric] = None
    return out
