"""The daily BI report as a PDF (WeasyPrint): cover, executive summary, KPI tables,
charts, one section per platform, top campaigns and a data-quality appendix.

HTML is assembled here with every piece of user or platform text escaped (campaign
names, job names and insights come from outside); the stylesheet sits in
``templates/bi_report.css``. Page numbers live in ``@page`` margin boxes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from backend.reports.charts import bar_svg, line_svg
from backend.reports.kpis import KPI_LABELS, RATIOS

__all__ = ["render_pdf", "report_html", "fmt_value", "fmt_delta", "WINDOW_LABELS"]

_CSS = Path(__file__).with_name("templates") / "bi_report.css"
WINDOW_LABELS = {"report": "Report day", "yesterday": "vs yesterday",
                 "last_week": "vs last week", "last_month": "vs last month"}  # fmt: skip
HEADLINE = ("sales", "orders", "visitors", "ad_spend", "roas", "conversion_rate")
_MONEY = ("sales", "spend", "revenue", "cpc", "order_value", "avg_order_value")


def fmt_value(metric: str, value: Any) -> str:
    """Rp 1.234.567 for money, 2.50% for rates, 3.4x for ROAS, 1.234 for counts."""
    if value is None:
        return "–"
    v = float(value)
    if metric in RATIOS or metric.endswith("_rate"):
        return f"{v:.2%}"
    if "roas" in metric:
        return f"{v:.2f}x"
    if any(m in metric for m in _MONEY):
        return "Rp " + f"{v:,.0f}".replace(",", ".")
    return f"{v:,.0f}".replace(",", ".") if abs(v) >= 10 or v == int(v) else f"{v:.2f}"


def fmt_delta(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{'+' if value >= 0 else '−'}{abs(value):.1%}"


def _delta_cell(value: float | None) -> str:
    cls = "" if value is None else ("up" if value >= 0 else "down")
    return f'<td class="{cls}">{fmt_delta(value)}</td>'


def _kpi_table(values: Mapping[str, Mapping[str, Any]], deltas: Mapping[str, Mapping[str, Any]],
               metrics: Sequence[str]) -> str:
    windows = list(deltas)
    head = "".join(f"<th>{escape(w.replace('_', ' '))}</th><th>Δ</th>" for w in windows)
    rows = []
    for m in metrics:
        if values["report"].get(m) is None:
            continue
        cells = "".join(f"<td>{fmt_value(m, values[w].get(m))}</td>"
                        + _delta_cell(deltas[w].get(m)) for w in windows)  # fmt: skip
        rows.append(f"<tr><td>{escape(KPI_LABELS.get(m, m))}</td>"
                    f"<td><b>{fmt_value(m, values['report'][m])}</b></td>{cells}</tr>")  # fmt: skip
    return (f"<table><tr><th>Metric</th><th>Report day</th>{head}</tr>{''.join(rows)}</table>")


def _list(title: str, items: Sequence[str]) -> str:
    if not items:
        return f"<h3>{escape(title)}</h3><p class='muted'>Nothing notable.</p>"
    lines = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f"<h3>{escape(title)}</h3><ul>{lines}</ul>"


def report_html(data: Mapping[str, Any], insights: Mapping[str, Any], *, title: str,
                job_id: str) -> str:
    """The report as one HTML document (what :func:`render_pdf` prints)."""
    totals, deltas = data["totals"], data["deltas"]
    report = totals["report"]
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<section class='cover'><h1>{escape(title)}</h1><div class='meta'>"
             f"Report date: <b>{escape(data['report_date'])}</b> ({escape(data['timezone'])})<br>"
             f"Job: {escape(job_id)}<br>Generated: {generated}<br>"
             f"Rows processed: {fmt_value('rows', data['rows'])}</div></section>"]  # fmt: skip
    cards = []
    for m in HEADLINE:
        if report.get(m) is None:
            continue
        sub = " · ".join(f"{escape(WINDOW_LABELS.get(w, w))} {fmt_delta(deltas[w].get(m))}"
                         for w in deltas)  # fmt: skip
        cards.append(f"<div class='kpi'><div class='muted'>{escape(KPI_LABELS[m])}</div>"
                     f"<div class='v'>{fmt_value(m, report[m])}</div>"
                     f"<div class='muted'>{sub}</div></div>")  # fmt: skip
    engine = insights.get("engine", "offline")
    parts.append("<section class='page'><h2>Executive summary</h2>"
                 f"<div class='kpis'>{''.join(cards)}</div>"
                 + _list("Anomalies", insights.get("anomalies", []))
                 + _list("Trends", insights.get("trends", []))
                 + _list("Recommendations", insights.get("recommendations", []))
                 + f"<p class='muted'>Insights engine: {escape(str(engine))}</p>"
                 + "</section>")  # fmt: skip
    values = {"report": report, **totals}
    parts.append("<section class='page'><h2>Key figures</h2>"
                 + _kpi_table(values, deltas, list(KPI_LABELS)) + "</section>")  # fmt: skip
    s = data["series"]
    charts = [line_svg(s["dates"], {"Sales": s["sales"]}, title="Sales per day (IDR)"),
              line_svg(s["dates"], s["sales_by_platform"], title="Sales by marketplace (IDR)"),
              line_svg(s["dates"], {"Ad spend": s["ad_spend"], "Ad revenue": s["ad_revenue"]},
                       title="Ad spend and ad revenue (IDR)"),
              bar_svg([str(h) for h in range(24)], data["hourly_sales"],
                      title="Report day sales by hour")]  # fmt: skip
    parts.append("<section class='page'><h2>Charts</h2>"
                 + "".join(f"<div class='chart'>{c}</div>" for c in charts) + "</section>")
    for platform, info in data["platforms"].items():
        pv = info["values"]
        metrics = sorted(pv["report"], key=lambda m: (m not in KPI_LABELS, m))
        body = _kpi_table(pv, info["deltas"], metrics) if pv["report"] else \
            "<p class='warning'>No data for the report day.</p>"  # fmt: skip
        parts.append(f"<section class='page'><h2>{escape(platform)} "
                     f"<span class='muted'>({escape(info['kind'])})</span></h2>{body}</section>")
    if data["campaigns"]:
        rows = "".join(f"<tr><td>{escape(c['platform'])}</td><td>{escape(c['campaign'])}</td>"
                       f"<td>{fmt_value('spend', c['spend'])}</td>"
                       f"<td>{fmt_value('revenue', c['revenue'])}</td>"
                       f"<td>{fmt_value('roas', c['roas'])}</td></tr>" for c in data["campaigns"])
        parts.append("<section class='page'><h2>Top campaigns of the day</h2><table><tr>"
                     "<th>Channel</th><th>Campaign</th><th>Spend</th><th>Revenue</th>"
                     f"<th>ROAS</th></tr>{rows}</table></section>")  # fmt: skip
    q = data["quality"]
    checks = "".join(f"<tr><td>{escape(c['check'])}</td><td class='{c['status']}'>"
                     f"{escape(c['status'])}</td><td>{escape(c['detail'])}</td></tr>"
                     for c in q["checks"])  # fmt: skip
    counts = "".join(f"<tr><td>{t}</td><td>{q[t]['rows']:,}</td><td>{q[t]['unique']:,}</td></tr>"
                     for t in ("orders", "ads", "daily")).replace(",", ".")  # fmt: skip
    parts.append("<section class='page'><h2>Appendix: data quality</h2>"
                 "<table><tr><th>Table</th><th>Rows received</th><th>Unique</th></tr>"
                 f"{counts}</table><table><tr><th>Check</th><th>Status</th><th>Detail</th></tr>"
                 f"{checks}</table></section>")  # fmt: skip
    css = _CSS.read_text()
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>"
            f"{escape(title)}</title><style>{css}</style></head><body>"
            + "".join(parts) + "</body></html>")  # fmt: skip


def render_pdf(data: Mapping[str, Any], insights: Mapping[str, Any], *, path: Path, title: str,
               job_id: str) -> int:
    """Write the PDF to ``path``; returns its size in bytes."""
    from weasyprint import HTML  # heavy import: only the render step pays it

    html = report_html(data, insights, title=title, job_id=job_id)
    HTML(string=html, base_url=str(_CSS.parent)).write_pdf(str(path))
    return path.stat().st_size
