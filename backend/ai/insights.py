"""BI insights from daily aggregates: anomalies, trends and recommendations, with reasons.

Offline rules: a day is an anomaly when it sits far from the 4-week median (robust z-score
on the median absolute deviation) or moves 20%+ against the same weekday a week before;
a trend is the 14-day least-squares slope when it exceeds 5% a week; the weekend pattern
and ad channels' ROAS turn into recommendations. The LLM path may phrase its own, and
falls back to these.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from backend.ai.llm import ask_llm
from backend.core.config import Settings

__all__ = ["Insights", "bi_insights"]

_MONEY = ("sales", "revenue", "spend", "omzet", "gmv")
_NAMES_ID = {"sales": "Penjualan", "orders": "Pesanan", "visitors": "Pengunjung",
             "spend": "Biaya iklan", "ad_spend": "Biaya iklan",
             "conversion_rate": "Tingkat konversi"}  # fmt: skip


class Insights(BaseModel):
    """What stood out, where things are heading, and what to do."""

    anomalies: list[str] = Field(default_factory=list)
    trends: list[str] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)
    engine: Literal["offline", "llm"] = "offline"
    fallback_reason: str | None = None


def _local(text: str, lang: str) -> str:
    """English separators (1,234.5) as the language writes them (1.234,5 in id)."""
    if lang != "id":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _fmt(metric: str, value: float, lang: str = "id") -> str:
    if any(m in metric for m in _MONEY):
        return "Rp " + _local(f"{value:,.0f}", lang)
    if "rate" in metric:
        return _local(f"{value:.2%}" if value <= 1 else f"{value:.2f}%", lang)
    return _local(f"{value:,.0f}", lang)


def _x(value: float, lang: str) -> str:
    """A ROAS: 2,5x (id) / 2.5x (en)."""
    return _local(f"{value:.1f}x", lang)


def _label(metric: str, lang: str) -> str:
    return _NAMES_ID.get(metric, metric.replace("_", " ")) if lang == "id" else \
        metric.replace("_", " ").capitalize()  # fmt: skip


def _slope(values: Sequence[float]) -> float:
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den if den else 0.0


def _anomalies(metric: str, series: list[float], lang: str) -> list[str]:
    out: list[str] = []
    if len(series) < 8:
        return out
    last, history = series[-1], series[-29:-1]
    median = statistics.median(history)
    mad = statistics.median(abs(v - median) for v in history)
    change = (last - median) / median if median else 0.0
    z = 0.6745 * (last - median) / mad if mad else (10.0 if last != median else 0.0)
    name = _label(metric, lang)
    if abs(z) >= 3.5 and abs(change) >= 0.15:
        way = ("di atas" if change > 0 else "di bawah") if lang == "id" else \
            ("above" if change > 0 else "below")  # fmt: skip
        out.append(f"{name} {_fmt(metric, last, lang)}, {abs(change):.0%} {way} median 4 "
                   f"minggu ({_fmt(metric, median, lang)})" if lang == "id" else
                   f"{name} {_fmt(metric, last, lang)}, {abs(change):.0%} {way} the 4-week "
                   f"median ({_fmt(metric, median, lang)})")  # fmt: skip
    week_ago = series[-8]
    if week_ago:
        weekly = (last - week_ago) / week_ago
        if abs(weekly) >= 0.2:
            way = ("naik" if weekly > 0 else "turun") if lang == "id" else \
                ("up" if weekly > 0 else "down")  # fmt: skip
            out.append(f"{name} {way} {abs(weekly):.0%} dibanding minggu lalu" if lang == "id"
                       else f"{name} {way} {abs(weekly):.0%} vs last week")  # fmt: skip
    return out


def _trend(metric: str, series: list[float], lang: str) -> str | None:
    window = series[-14:]
    if len(window) < 7:
        return None
    mean = sum(window) / len(window)
    weekly = _slope(window) * 7 / mean if mean else 0.0
    if abs(weekly) < 0.05:
        return None
    way = ("naik" if weekly > 0 else "turun") if lang == "id" else \
        ("rising" if weekly > 0 else "falling")  # fmt: skip
    return (f"{_label(metric, lang)} {way} sekitar {abs(weekly):.0%} per minggu (14 hari terakhir)"
            if lang == "id" else f"{_label(metric, lang)} {way} about {abs(weekly):.0%} a week "
            "(last 14 days)")  # fmt: skip


def _offline(
    metrics: Mapping[str, Sequence[float]],
    dates: Sequence[date] | None,
    channels: Mapping[str, Mapping[str, float]],
    lang: str,
) -> Insights:
    id_ = lang == "id"
    result = Insights()
    for metric, raw in metrics.items():
        series = [float(v) for v in raw]
        result.anomalies += _anomalies(metric, series, lang)
        trend = _trend(metric, series, lang)
        if trend:
            result.trends.append(trend)
    main = next((m for m in ("sales", "revenue", "orders") if m in metrics), None)
    if main and dates and len(dates) == len(metrics[main]) >= 14:
        # The 4 weeks before the report day: the day itself is judged as a possible anomaly.
        pairs = list(zip(dates, metrics[main], strict=True))[-29:-1]
        weekend = [v for d, v in pairs if d.weekday() >= 5]
        weekday = [v for d, v in pairs if d.weekday() < 5]
        if weekend and weekday:
            ratio = statistics.mean(weekend) / statistics.mean(weekday) - 1
            if abs(ratio) >= 0.2:
                way = ("lebih tinggi" if ratio > 0 else "lebih rendah") if id_ else \
                    ("higher" if ratio > 0 else "lower")  # fmt: skip
                result.trends.append(
                    f"{_label(main, lang)} akhir pekan {abs(ratio):.0%} {way} daripada hari kerja"
                    if id_ else f"Weekend {main} {abs(ratio):.0%} {way} than weekdays")  # fmt: skip
                if ratio > 0:
                    result.recommendations.append(
                        "Jadwalkan promo dan iklan lebih banyak di akhir pekan" if id_ else
                        "Put more promotions and ad budget on weekends")  # fmt: skip
    roas = {name: c["revenue"] / c["spend"] for name, c in channels.items()
            if c.get("spend") and c.get("revenue") is not None}  # fmt: skip
    if len(roas) >= 2:
        best, worst = max(roas, key=roas.__getitem__), min(roas, key=roas.__getitem__)
        if roas[best] >= 1.5 * roas[worst]:
            low, high = _x(roas[worst], lang), _x(roas[best], lang)
            result.recommendations.append(
                f"Pindahkan 20% anggaran dari {worst} (ROAS {low}) ke {best} (ROAS {high})"
                if id_ else f"Move 20% of budget from {worst} (ROAS {low}) to {best} "
                f"(ROAS {high})")  # fmt: skip
    for name, c in channels.items():
        prev_spend, prev_rev = c.get("prev_spend"), c.get("prev_revenue")
        if name in roas and prev_spend and prev_rev is not None:
            before = prev_rev / prev_spend
            if before and roas[name] / before - 1 >= 0.15:
                was, now = _x(before, lang), _x(roas[name], lang)
                result.trends.append(f"ROAS {name} naik dari {was} ke {now}" if id_ else
                                     f"{name} ROAS rising from {was} to {now}")  # fmt: skip
                result.recommendations.append(f"Naikkan anggaran {name} 30%" if id_ else
                                              f"Increase {name} budget by 30%")  # fmt: skip
    main_label = _label(main or "sales", lang)
    down = any(
        any(word in a for word in ("turun", "down", "below", "di bawah"))
        for a in result.anomalies
        if a.startswith(main_label)
    )
    if down and "visitors" in metrics:
        result.recommendations.append(
            "Penjualan turun padahal pengunjung ada: cek stok habis, harga, dan halaman produk"
            if id_ else "Sales fell while visitors held: check stock-outs, prices and product "
            "pages")  # fmt: skip
    return result


class _LLMAnswer(BaseModel):
    anomalies: list[str] = Field(max_length=10)
    trends: list[str] = Field(max_length=10)
    recommendations: list[str] = Field(min_length=1, max_length=10)


def bi_insights(
    *,
    metrics: Mapping[str, Sequence[float]],
    dates: Sequence[date] | None = None,
    channels: Mapping[str, Mapping[str, float]] | None = None,
    language: str = "id",
    use_ai: bool = False,
    settings: Settings | None = None,
) -> Insights:
    """Insights from daily ``metrics`` (oldest first; the last value is the report day)."""
    lang = "en" if language == "en" else "id"
    offline = _offline(metrics, dates, channels or {}, lang)
    if not use_ai:
        return offline
    payload: dict[str, Any] = {"metrics": {k: list(v)[-28:] for k, v in metrics.items()},
                               "channels": channels or {}, "language": lang,
                               "offline_findings": offline.model_dump()}  # fmt: skip
    answer, why = ask_llm(settings, system=_SYSTEM, payload=payload,
                          parse=_LLMAnswer.model_validate)  # fmt: skip
    if answer is None:
        return offline.model_copy(update={"fallback_reason": why})
    return Insights(**answer.model_dump(), engine="llm")


_SYSTEM = (
    "TASK: bi_insights\n"
    "You are a business analyst for an Indonesian online shop. From daily metrics (oldest "
    'first, last = report day) and ad channels, reply with JSON {"anomalies": [..], '
    '"trends": [..], "recommendations": [..]}: short sentences in the given language, '
    "each with the number that supports it."
)
