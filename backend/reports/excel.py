"""The daily BI report as an Excel workbook (openpyxl, streaming write-only mode).

Sheets, named in the report's language: Summary (KPIs of the report day and the
comparison days, with deltas), Daily (per-day totals + a native line chart), Platforms
(platform x metric of the report day + a native bar chart), Campaigns, Orders and Ads
(the report day's rows, streamed from DuckDB, capped at ``max_raw_rows``; a cut sheet
says where) and Data quality. Each is a :class:`~backend.reports.sheet.Table`: frozen
header, filter, widths, a number format on every figure, dates as real dates.
Write-only mode keeps memory flat however many raw rows there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from backend.reports import labels
from backend.reports.kpis import metric_kind
from backend.reports.locale import day_long, lang_of, number, stamp, zone_label
from backend.reports.sheet import Column, Table

__all__ = ["render_excel", "sheet_names", "SHEET_KEYS"]

SHEET_KEYS = ("summary", "daily", "platforms", "campaigns", "orders", "ads", "quality")
_DAILY = ("sales", "orders", "visitors", "ad_spend", "ad_revenue", "roas", "conversion_rate",
          "sessions")  # fmt: skip
_PLATFORM_METRICS = ("sales", "orders", "visitors", "conversion_rate", "spend", "revenue",
                     "roas", "cpc", "ctr", "clicks", "impressions", "sessions", "followers",
                     "engagement", "new_customers", "repeat_customers", "churn")  # fmt: skip


def sheet_names(language: str) -> tuple[str, ...]:
    """The sheets' names in ``language``, in order."""
    return tuple(labels.text(f"sheet_{k}", lang=language) for k in SHEET_KEYS)


def _iso(value: str) -> date:
    return date.fromisoformat(value)


def _summary(wb: Workbook, data: Mapping[str, Any], insights: Mapping[str, Any], *,
             lang: str, generated: datetime) -> int:
    totals, deltas = data["totals"], data["deltas"]
    windows = list(deltas)
    tz = data["timezone"]
    t = labels.text
    title = f"{t('report_title', lang=lang)} · {day_long(data['report_date'], lang=lang)}"
    meta = (f"{t('timezone', lang=lang)}: {zone_label(tz)} ({tz}) · "
            f"{t('generated', lang=lang)} {stamp(generated, tz=tz, lang=lang)}")
    columns = [Column(labels.text("metric", lang=lang), width=36),
               *[Column(labels.window(w, lang=lang), "count", 17) for w in ("report", *windows)],
               *[Column(labels.text("delta_vs", lang=lang,
                                    window=labels.window(w, lang=lang).lower()), "delta", 15)
                 for w in windows]]  # fmt: skip
    table = Table(wb, title=labels.text("sheet_summary", lang=lang), columns=columns, lang=lang,
                  top=[[title], [meta]])
    for metric in labels.KPI_ORDER:
        value = totals["report"].get(metric)
        if value is None:
            continue
        kind = metric_kind(metric)
        table.add([labels.kpi(metric, lang=lang), value,
                   *[totals[w].get(metric) for w in windows],
                   *[deltas[w].get(metric) for w in windows]],
                  kinds=[None, *[kind] * (len(windows) + 1), *["delta"] * len(windows)])
    table.close()
    table.note()
    table.note(labels.text("report_date", lang=lang), table.cell(_iso(data["report_date"]), "date"))
    for section in ("anomalies", "trends", "recommendations"):
        for line in insights.get(section, []):
            table.note(labels.text(section, lang=lang), line)
    return table.rows


def _daily(wb: Workbook, data: Mapping[str, Any], *, lang: str) -> int:
    s = data["series"]
    table = Table(wb, title=labels.text("sheet_daily", lang=lang), lang=lang,
                  columns=[Column(labels.text("date", lang=lang), "date"),
                           *[Column(labels.kpi(m, lang=lang), metric_kind(m)) for m in _DAILY]])
    table.add_all([_iso(day), *[s[m][i] for m in _DAILY]] for i, day in enumerate(s["dates"]))
    table.close()
    rows = table.rows
    chart = LineChart()
    chart.title, chart.height, chart.width = labels.text("chart_sales", lang=lang), 8, 18
    chart.y_axis.title = "Rp"
    chart.x_axis.number_format = "d mmm"
    chart.add_data(Reference(table.ws, min_col=2, min_row=1, max_row=rows + 1),
                   titles_from_data=True)  # fmt: skip
    chart.set_categories(Reference(table.ws, min_col=1, min_row=2, max_row=rows + 1))
    table.ws.add_chart(chart, "K2")
    return rows


def _platforms(wb: Workbook, data: Mapping[str, Any], *, lang: str) -> int:
    platforms = data["platforms"]
    table = Table(wb, title=labels.text("sheet_platforms", lang=lang), lang=lang,
                  columns=[Column(labels.text("platform", lang=lang), width=18),
                           Column(labels.text("kind", lang=lang), width=14),
                           *[Column(labels.kpi(m, lang=lang, short=True), metric_kind(m))
                             for m in _PLATFORM_METRICS]])  # fmt: skip
    for name, info in platforms.items():
        v = info["values"]["report"]
        table.add([labels.platform(name), labels.kind(info["kind"], lang=lang),
                   *[v.get(m) for m in _PLATFORM_METRICS]])  # fmt: skip
    table.close()
    bars = BarChart()
    bars.title, bars.height, bars.width = labels.text("chart_marketplaces", lang=lang), 8, 18
    bars.add_data(Reference(table.ws, min_col=3, min_row=1, max_row=len(platforms) + 1),
                  titles_from_data=True)  # fmt: skip
    bars.set_categories(Reference(table.ws, min_col=1, min_row=2, max_row=len(platforms) + 1))
    table.ws.add_chart(bars, "B" + str(len(platforms) + 4))
    return table.rows


def _campaigns(wb: Workbook, data: Mapping[str, Any], *, lang: str) -> int:
    t = labels.text
    table = Table(wb, title=t("sheet_campaigns", lang=lang), lang=lang,
                  columns=[Column(t("channel", lang=lang), width=16),
                           Column(t("campaign", lang=lang), width=34),
                           Column(labels.kpi("spend", lang=lang), "money"),
                           Column(labels.kpi("revenue", lang=lang), "money"),
                           Column("ROAS", "times")])  # fmt: skip
    table.add_all([labels.platform(c["platform"]), c["campaign"], c["spend"], c["revenue"],
                   c["roas"]] for c in data["campaigns"])  # fmt: skip
    table.close()
    return table.rows


def _detail(wb: Workbook, *, key: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]],
            cap: int, cut_note: str, lang: str) -> int:
    table = Table(wb, title=labels.text(f"sheet_{key}", lang=lang), columns=columns, lang=lang)
    cut = False
    for row in rows:
        if table.rows >= cap:
            cut = True
            break
        table.add((labels.platform(row[0]), *row[1:]))  # "facebook_ads" -> "Facebook Ads"
    table.close()
    if cut:  # below the filtered rows, so sorting never moves it into the data
        table.note(labels.text(cut_note, lang=lang, n=number(cap, lang=lang)))
    return table.rows


def _quality(wb: Workbook, data: Mapping[str, Any], *, lang: str) -> int:
    t = labels.text
    q = data["quality"]
    table = Table(wb, title=t("sheet_quality", lang=lang), lang=lang,
                  columns=[Column(t("check", lang=lang), width=44),
                           Column(t("status", lang=lang), width=12),
                           Column(t("detail", lang=lang), width=52)])  # fmt: skip
    for finding in q["checks"]:
        name, detail = labels.check(finding, lang=lang)
        status = finding.get("status", "")
        table.add([name, t(status, lang=lang) if status in ("ok", "warning") else status, detail])
    table.close()
    table.note()
    table.note(t("table", lang=lang), t("rows_received", lang=lang), t("unique", lang=lang))
    for name in ("orders", "ads", "daily"):
        if name in q:
            table.note(t(f"{name}_table", lang=lang), table.cell(q[name]["rows"], "count"),
                       table.cell(q[name]["unique"], "count"))
    return table.rows


def render_excel(
    data: Mapping[str, Any],
    insights: Mapping[str, Any],
    *,
    path: Path,
    orders: Iterable[Sequence[Any]] = (),
    ads: Iterable[Sequence[Any]] = (),
    max_raw_rows: int = 100_000,
    language: str = "id",
    generated_at: datetime | None = None,
) -> dict[str, int]:
    """Write the workbook; ``orders``/``ads`` yield raw rows of the report day
    (order: platform, order_id, local time as a datetime, status, items, total IDR; ad:
    platform, campaign, clicks, impressions, conversions, spend, revenue). Returns rows
    per sheet (by ``SHEET_KEYS``)."""
    lang = lang_of(language)
    t = labels.text
    wb = Workbook(write_only=True)
    written = {"summary": _summary(wb, data, insights, lang=lang,
                                   generated=generated_at or datetime.now(UTC)),
               "daily": _daily(wb, data, lang=lang),
               "platforms": _platforms(wb, data, lang=lang),
               "campaigns": _campaigns(wb, data, lang=lang)}  # fmt: skip
    zone = zone_label(data["timezone"])
    written["orders"] = _detail(wb, key="orders", rows=orders, cap=max_raw_rows, lang=lang,
                                cut_note="cut_orders", columns=[
        Column(t("platform", lang=lang), width=13), Column(t("order_id", lang=lang), width=24),
        Column(f"{t('local_time', lang=lang)} ({zone})", "datetime"),
        Column(t("status", lang=lang), width=14), Column(t("items", lang=lang), "count"),
        Column(t("total", lang=lang), "money")])  # fmt: skip
    written["ads"] = _detail(wb, key="ads", rows=ads, cap=max_raw_rows, lang=lang,
                             cut_note="cut_rows", columns=[
        Column(t("channel", lang=lang), width=16), Column(t("campaign", lang=lang), width=34),
        *[Column(labels.kpi(m, lang=lang), metric_kind(m))
          for m in ("clicks", "impressions", "conversions", "spend", "revenue")]])  # fmt: skip
    written["quality"] = _quality(wb, data, lang=lang)
    wb.save(str(path))
    return written
