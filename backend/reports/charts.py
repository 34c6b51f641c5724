"""Charts of a report: inline SVG for the PDF, Plotly figure JSON for the dashboard.

Plotly's static export needs Kaleido and a browser, neither of which a worker should
depend on, so the PDF's charts are drawn here as plain SVG (WeasyPrint renders it, fonts
set explicitly); the dashboard gets Plotly figures as JSON dicts
(``plotly.io.from_json`` accepts them). Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from backend.reports import labels as words
from backend.reports.locale import lang_of, month_day, number

__all__ = ["line_svg", "bar_svg", "dashboard_figures", "PALETTE", "short_number"]

PALETTE = ("#2563eb", "#f97316", "#16a34a", "#dc2626", "#9333ea", "#0891b2", "#ca8a04")
_FONT = "DejaVu Sans"


# Thousands, millions, billions, trillions: "rb", "jt", "M", "T" in Indonesian.
_SUFFIXES = {"id": ((1e12, " T"), (1e9, " M"), (1e6, " jt"), (1e3, " rb")),
             "en": ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))}  # fmt: skip


def short_number(value: float, *, lang: str = "en") -> str:
    """1.2M, 350K, 12 (en) / 1,2 jt, 350 rb (id): axis labels that fit."""
    lang = lang_of(lang)
    for size, suffix in _SUFFIXES[lang]:
        if abs(value) >= size:
            return number(value / size, lang=lang, decimals=1) + suffix
    return number(value, lang=lang) if abs(value) >= 10 else f"{value:.2g}".replace(
        ".", "," if lang == "id" else ".")  # fmt: skip


def _frame(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_FONT}" font-size="10">',
        f'<text x="4" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]


def line_svg(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    width: int = 640,
    height: int = 200,
    lang: str = "en",
) -> str:
    """A line chart of one or more series over ``labels`` (ISO dates), with a legend."""
    left, right, top, bottom = 56, 10, 24, 34
    values = [v for s in series.values() for v in s if v is not None]
    top_value = max(values, default=1.0) * 1.1 or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels) - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{left + plot_w * i / n:.1f},{top + plot_h * (1 - v / top_value):.1f}"

    out = _frame(width, height, title)
    for k in range(5):
        y = top + plot_h * k / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                   'stroke="#e5e7eb"/>')  # fmt: skip
        out.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">'
                   f"{short_number(top_value * (1 - k / 4), lang=lang)}</text>")  # fmt: skip
    step = max(1, len(labels) // 6)
    for i in range(0, len(labels), step):
        day = escape(month_day(labels[i], lang=lang))
        out.append(f'<text x="{left + plot_w * i / n:.1f}" y="{height - bottom + 14}" '
                   f'text-anchor="middle">{day}</text>')  # fmt: skip
    for idx, (name, points) in enumerate(series.items()):
        colour = PALETTE[idx % len(PALETTE)]
        coords = " ".join(xy(i, v) for i, v in enumerate(points) if v is not None)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.8" '
                   f'points="{coords}"/>')  # fmt: skip
        lx = left + idx * 110
        out.append(f'<rect x="{lx}" y="{height - 12}" width="10" height="8" fill="{colour}"/>'
                   f'<text x="{lx + 14}" y="{height - 4}">{escape(name)}</text>')  # fmt: skip
    out.append("</svg>")
    return "".join(out)


def bar_svg(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    width: int = 640,
    height: int = 200,
    lang: str = "en",
) -> str:
    """Vertical bars, one per label, values written above them."""
    left, right, top, bottom = 56, 10, 24, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max(values, default=1.0) * 1.15 or 1.0
    slot = plot_w / max(len(values), 1)
    out = _frame(width, height, title)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * max(value, 0) / top_value
        x = left + slot * i + slot * 0.15
        y = top + plot_h - h
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                   f'fill="{PALETTE[i % len(PALETTE)]}"/>')  # fmt: skip
        out.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle">'
                   f"{short_number(value, lang=lang)}</text>")  # fmt: skip
        out.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 14}" '
                   f'text-anchor="middle">{escape(label)}</text>')  # fmt: skip
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
               f'y2="{top + plot_h}" stroke="#9ca3af"/></svg>')  # fmt: skip
    return "".join(out)


def dashboard_figures(data: Mapping[str, Any], *, lang: str = "en") -> dict[str, dict[str, Any]]:
    """Plotly figures (as JSON dicts) of the report for the UI dashboard, titled in
    ``lang``."""
    s = data["series"]
    dates = s["dates"]

    def t(key: str) -> str:
        return words.text(key, lang=lang)

    sales, spend = words.kpi("sales", lang=lang), words.kpi("ad_spend", lang=lang)
    layout = {"template": "plotly_white", "margin": {"l": 50, "r": 10, "t": 40, "b": 40},
              "separators": ",." if lang_of(lang) == "id" else ".,"}  # fmt: skip
    figures: dict[str, dict[str, Any]] = {
        "sales_trend": {
            "data": [{"type": "scatter", "mode": "lines", "name": sales, "x": dates,
                      "y": s["sales"]},
                     {"type": "scatter", "mode": "lines", "name": spend, "x": dates,
                      "y": s["ad_spend"], "yaxis": "y2"}],
            "layout": {**layout, "title": {"text": f"{t('chart_sales_spend')} (Rp)"},
                       "yaxis2": {"overlaying": "y", "side": "right"}},
        },
        "sales_by_platform": {
            "data": [{"type": "scatter", "mode": "lines", "stackgroup": "one",
                      "name": words.platform(p), "x": dates, "y": ys}
                     for p, ys in s["sales_by_platform"].items()],
            "layout": {**layout, "title": {"text": f"{t('chart_marketplaces')} (Rp)"}},
        },
        "hourly_sales": {
            "data": [{"type": "bar", "name": sales, "x": list(range(24)),
                      "y": data["hourly_sales"]}],
            "layout": {**layout, "title": {"text": t("chart_hours")}},
        },
    }  # fmt: skip
    ads = {words.platform(p): v["values"]["report"].get("roas")
           for p, v in data["platforms"].items() if v["kind"] == "ads"}  # fmt: skip
    if ads:
        figures["roas_by_channel"] = {
            "data": [{"type": "bar", "x": list(ads), "y": [v or 0 for v in ads.values()]}],
            "layout": {**layout, "title": {"text": t("chart_roas")}},
        }
    return figures
