"""The daily BI report as an Excel workbook (openpyxl, streaming write-only mode).

Sheets: Summary (KPIs with deltas), Daily (per-day totals + a native line chart),
Platforms (pivot: platform x metric of the report day + a native bar chart), Campaigns,
Orders and Ads (raw rows of the report day, streamed from DuckDB, capped at
``max_raw_rows``) and Data quality. Write-only mode keeps memory flat however many raw
rows there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font

from backend.reports.kpis import KPI_LABELS, RATIOS

__all__ = ["render_excel", "SHEETS"]

SHEETS = ("Summary", "Daily", "Platforms", "Campaigns", "Orders", "Ads", "Data quality")
_DAILY = ("sales", "orders", "visitors", "ad_spend", "ad_revenue", "roas", "conversion_rate",
          "sessions")  # fmt: skip
_PLATFORM_METRICS = ("sales", "orders", "visitors", "conversion_rate", "spend", "revenue",
                     "roas", "cpc", "ctr", "clicks", "impressions", "sessions", "followers",
                     "engagement", "new_customers", "repeat_customers", "churn")  # fmt: skip


def _fmt(metric: str) -> str:
    if metric in RATIOS or metric.endswith("_rate"):
        return "0.00%"
    if "roas" in metric:
        return '0.00"x"'
    return "#,##0"


def _header(ws: Any, names: Sequence[str]) -> list[Any]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _num(ws: Any, value: Any, fmt: str) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = fmt
    return cell


def render_excel(
    data: Mapping[str, Any],
    insights: Mapping[str, Any],
    *,
    path: Path,
    orders: Iterable[Sequence[Any]] = (),
    ads: Iterable[Sequence[Any]] = (),
    max_raw_rows: int = 100_000,
) -> dict[str, int]:
    """Write the workbook; ``orders``/``ads`` yield raw rows of the report day
    (order: platform, order_id, local time, status, items, total IDR; ad: platform,
    campaign, clicks, impressions, conversions, spend, revenue). Returns rows per sheet."""
    wb = Workbook(write_only=True)
    written: dict[str, int] = {}
    totals, deltas = data["totals"], data["deltas"]
    windows = list(deltas)

    ws = wb.create_sheet("Summary")
    ws.append([f"Daily BI report {data['report_date']} ({data['timezone']})"])
    ws.append([])
    ws.append(_header(ws, ["Metric", "Report day", *[f"{w} value" for w in windows],
                           *[f"Δ vs {w}" for w in windows]]))  # fmt: skip
    n = 0
    for metric, label in KPI_LABELS.items():
        value = totals["report"].get(metric)
        if value is None:
            continue
        f = _fmt(metric)
        ws.append([label, _num(ws, value, f), *[_num(ws, totals[w].get(metric), f)
                                                 for w in windows],
                   *[_num(ws, deltas[w].get(metric), "+0.0%;-0.0%") for w in windows]])
        n += 1
    ws.append([])
    for section in ("anomalies", "trends", "recommendations"):
        for line in insights.get(section, []):
            ws.append([section.capitalize(), line])
    written["Summary"] = n

    ws = wb.create_sheet("Daily")
    s = data["series"]
    ws.append(_header(ws, ["Date", *[KPI_LABELS.get(m, m) for m in _DAILY]]))
    for i, day in enumerate(s["dates"]):
        ws.append([day, *[_num(ws, s[m][i], _fmt(m)) for m in _DAILY]])
    rows = len(s["dates"])
    chart = LineChart()
    chart.title, chart.y_axis.title, chart.height, chart.width = "Sales per day", "IDR", 8, 18
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows + 1))
    ws.add_chart(chart, "K2")
    written["Daily"] = rows

    ws = wb.create_sheet("Platforms")
    platforms = data["platforms"]
    ws.append(_header(ws, ["Platform", "Kind", *[KPI_LABELS.get(m, m) for m in
                                                 _PLATFORM_METRICS]]))  # fmt: skip
    for name, info in platforms.items():
        v = info["values"]["report"]
        ws.append([name, info["kind"], *[_num(ws, v.get(m), _fmt(m)) for m in _PLATFORM_METRICS]])
    bars = BarChart()
    bars.title, bars.height, bars.width = "Sales by platform (report day)", 8, 18
    bars.add_data(Reference(ws, min_col=3, min_row=1, max_row=len(platforms) + 1),
                  titles_from_data=True)  # fmt: skip
    bars.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(platforms) + 1))
    ws.add_chart(bars, "B" + str(len(platforms) + 4))
    written["Platforms"] = len(platforms)

    ws = wb.create_sheet("Campaigns")
    ws.append(_header(ws, ["Channel", "Campaign", "Spend (IDR)", "Revenue (IDR)", "ROAS"]))
    for c in data["campaigns"]:
        ws.append([c["platform"], c["campaign"], _num(ws, c["spend"], "#,##0"),
                   _num(ws, c["revenue"], "#,##0"), _num(ws, c["roas"], '0.00"x"')])
    written["Campaigns"] = len(data["campaigns"])

    for title, header, source in (
        ("Orders", ["Platform", "Order", "Local time", "Status", "Items", "Total (IDR)"], orders),
        ("Ads", ["Channel", "Campaign", "Clicks", "Impressions", "Conversions", "Spend (IDR)",
                 "Revenue (IDR)"], ads),
    ):  # fmt: skip
        ws = wb.create_sheet(title)
        ws.append(_header(ws, header))
        count = 0
        for row in source:
            if count >= max_raw_rows:
                ws.append([f"… cut at {max_raw_rows:,} rows; the CSV export has them all"])
                break
            ws.append([str(x) if hasattr(x, "isoformat") else x for x in row])
            count += 1
        written[title] = count

    ws = wb.create_sheet("Data quality")
    ws.append(_header(ws, ["Check", "Status", "Detail"]))
    for c in data["quality"]["checks"]:
        ws.append([c["check"], c["status"], c["detail"]])
    written["Data quality"] = len(data["quality"]["checks"])
    wb.save(str(path))
    return written
