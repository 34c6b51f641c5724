"""The daily BI report as a PDF (WeasyPrint), in the report's language and time zone.

Page 1 is a cover with the headline figures (sales, orders, ROAS, ad spend, visitors,
conversion) and their change against each comparison day; then the executive summary
and every key figure, the charts on one page, the platforms' tables one after another
(a table never split, many to a page), the top campaigns and a data-quality appendix.

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

from backend.reports import labels
from backend.reports.charts import bar_svg, line_svg
from backend.reports.kpis import metric_kind
from backend.reports.locale import (
    day_long,
    delta,
    lang_of,
    number,
    percent,
    rupiah,
    stamp,
    times,
    zone_label,
)

__all__ = ["render_pdf", "report_html", "fmt_value", "fmt_delta", "HEADLINE"]

_CSS = Path(__file__).with_name("templates") / "bi_report.css"
HEADLINE = ("sales", "orders", "roas", "ad_spend", "visitors", "conversion_rate")


def fmt_value(metric: str, value: Any, *, lang: str = "id") -> str:
    """Rp 1.234.567 for money, 2,50% for rates, 3,40x for ROAS, 1.234 for counts (id)."""
    kind = metric_kind(metric)
    if kind == "pct":
        return percent(value, lang=lang, decimals=2)
    if kind == "times":
        return times(value, lang=lang)
    if kind == "money":
        return rupiah(value, lang=lang)
    return number(value, lang=lang)


def fmt_delta(value: float | None, *, lang: str = "id") -> str:
    return delta(value, lang=lang)


def _delta_cell(value: float | None, lang: str) -> str:
    return f'<td class="{_trend(value)}">{fmt_delta(value, lang=lang)}</td>'


def _kpi_table(values: Mapping[str, Mapping[str, Any]], deltas: Mapping[str, Mapping[str, Any]],
               metrics: Sequence[str], *, lang: str, short: bool = False) -> str:
    windows = list(deltas)
    head = "".join(f"<th>{escape(labels.window(w, lang=lang))}</th><th>Δ</th>" for w in windows)
    rows = []
    for m in metrics:
        if values["report"].get(m) is None:
            continue
        cells = "".join(f"<td>{fmt_value(m, values.get(w, {}).get(m), lang=lang)}</td>"
                        + _delta_cell(deltas[w].get(m), lang) for w in windows)  # fmt: skip
        rows.append(f"<tr><td>{escape(labels.kpi(m, lang=lang, short=short))}</td>"
                    f"<td><b>{fmt_value(m, values['report'][m], lang=lang)}</b></td>"
                    f"{cells}</tr>")  # fmt: skip
    return (f"<table class='kpi-table'><tr><th>{labels.text('metric', lang=lang)}</th>"
            f"<th>{labels.window('report', lang=lang)}</th>{head}</tr>{''.join(rows)}</table>")


def _list(title: str, items: Sequence[str], *, lang: str) -> str:
    if not items:
        return f"<h3>{escape(title)}</h3><p class='muted'>{labels.text('nothing', lang=lang)}</p>"
    lines = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f"<h3>{escape(title)}</h3><ul>{lines}</ul>"


def _cover(data: Mapping[str, Any], *, title: str, job_id: str, lang: str,
           generated: datetime) -> str:
    t = labels.text
    tz = str(data["timezone"])
    report, deltas = data["totals"]["report"], data["deltas"]
    cards = []
    for m in HEADLINE:
        if report.get(m) is None:
            continue
        changes = "".join(
            f"<div class='change'><span class='{_trend(deltas[w].get(m))}'>"
            f"{fmt_delta(deltas[w].get(m), lang=lang)}</span> {escape(labels.vs(w, lang=lang))}"
            "</div>" for w in deltas)  # fmt: skip
        cards.append(f"<div class='kpi'><div class='muted'>{escape(labels.kpi(m, lang=lang))}"
                     f"</div><div class='v'>{fmt_value(m, report[m], lang=lang)}</div>"
                     f"{changes}</div>")  # fmt: skip
    kind = t("report_title", lang=lang)
    subtitle = escape(day_long(data["report_date"], lang=lang))
    if title != kind:  # "Toko Maju" gets "Laporan BI harian · 7 Des 2026" below it
        subtitle = f"{kind} · {subtitle}"
    return (f"<section class='cover'><h1>{escape(title)}</h1>"
            f"<p class='subtitle'>{subtitle}</p>"
            f"<h2>{t('headline', lang=lang)}</h2><div class='kpis'>{''.join(cards)}</div>"
            f"<div class='meta'>{t('timezone', lang=lang)}: {escape(zone_label(tz))} "
            f"({escape(tz)})<br>{t('generated', lang=lang)} "
            f"{escape(stamp(generated, tz=tz, lang=lang))}<br>{t('job', lang=lang)}: "
            f"{escape(job_id)}<br>{t('rows_processed', lang=lang)}: "
            f"{number(data['rows'], lang=lang)}</div></section>")  # fmt: skip


def _trend(value: float | None) -> str:
    if value is None or round(value * 100, 1) == 0:
        return ""
    return "up" if value > 0 else "down"


def _summary(data: Mapping[str, Any], insights: Mapping[str, Any], *, lang: str) -> str:
    t = labels.text
    totals = data["totals"]
    engine = str(insights.get("engine", "offline"))
    engine_name = t(f"engine_{engine}", lang=lang) if engine in ("offline", "llm") else engine
    return (f"<section class='page'><h2>{t('summary', lang=lang)}</h2>"
            + "".join(_list(t(k, lang=lang), insights.get(k, []), lang=lang)
                      for k in ("anomalies", "trends", "recommendations"))
            + f"<p class='muted'>{t('engine', lang=lang)}: {escape(engine_name)}</p>"
            + f"<div class='block'><h2>{t('key_figures', lang=lang)}</h2>"
            + _kpi_table(totals, data["deltas"], list(labels.KPI_ORDER), lang=lang)
            + "</div></section>")  # fmt: skip


def _charts(data: Mapping[str, Any], *, lang: str) -> str:
    s = data["series"]
    t = labels.text
    kpi = labels.kpi
    charts = [
        line_svg(s["dates"], {kpi("sales", lang=lang): s["sales"]},
                 title=f"{t('chart_sales', lang=lang)} (Rp)", lang=lang),
        line_svg(s["dates"], {labels.platform(p): v for p, v in s["sales_by_platform"].items()},
                 title=f"{t('chart_marketplaces', lang=lang)} (Rp)", lang=lang),
        line_svg(s["dates"], {kpi("ad_spend", lang=lang): s["ad_spend"],
                              kpi("ad_revenue", lang=lang): s["ad_revenue"]},
                 title=f"{t('chart_ads', lang=lang)} (Rp)", lang=lang),
        bar_svg([str(h) for h in range(24)], data["hourly_sales"],
                title=t("chart_hours", lang=lang), lang=lang),
    ]  # fmt: skip
    return (f"<section class='page'><h2>{t('charts', lang=lang)}</h2>"
            + "".join(f"<div class='chart'>{c}</div>" for c in charts) + "</section>")


def _kpi_rank(metric: str) -> tuple[int, str]:
    order = labels.KPI_ORDER
    return (order.index(metric) if metric in order else len(order), metric)


def _platforms(data: Mapping[str, Any], *, lang: str) -> str:
    """Every platform's table under one heading: small tables share pages, none is split."""
    blocks = []
    for name, info in data["platforms"].items():
        pv = info["values"]
        if pv["report"]:
            body = _kpi_table(pv, info["deltas"], sorted(pv["report"], key=_kpi_rank),
                              lang=lang, short=True)  # fmt: skip
        else:
            body = f"<p class='warning'>{labels.text('no_data', lang=lang)}</p>"
        shown, kind = labels.platform(name), labels.kind(info["kind"], lang=lang)
        note = "" if kind == shown else f" <span class='muted'>({escape(kind)})</span>"
        blocks.append(f"<div class='block'><h3>{escape(shown)}{note}</h3>{body}</div>")
    return (f"<section class='page'><h2>{labels.text('by_platform', lang=lang)}</h2>"
            + "".join(blocks) + "</section>")


def _campaigns_and_quality(data: Mapping[str, Any], *, lang: str) -> str:
    t = labels.text
    parts = ["<section class='page'>"]
    if data["campaigns"]:
        rows = "".join(f"<tr><td>{escape(labels.platform(c['platform']))}</td>"
                       f"<td>{escape(c['campaign'])}</td>"
                       f"<td>{fmt_value('spend', c['spend'], lang=lang)}</td>"
                       f"<td>{fmt_value('revenue', c['revenue'], lang=lang)}</td>"
                       f"<td>{fmt_value('roas', c['roas'], lang=lang)}</td></tr>"
                       for c in data["campaigns"])  # fmt: skip
        parts.append(f"<div class='block'><h2>{t('campaigns', lang=lang)}</h2><table><tr>"
                     f"<th>{t('channel', lang=lang)}</th><th>{t('campaign', lang=lang)}</th>"
                     f"<th>{labels.kpi('spend', lang=lang)}</th>"
                     f"<th>{labels.kpi('revenue', lang=lang)}</th><th>ROAS</th></tr>{rows}"
                     "</table></div>")  # fmt: skip
    q = data["quality"]
    checks = []
    for finding in q["checks"]:
        name, detail = labels.check(finding, lang=lang)
        status = str(finding.get("status", ""))
        shown = t(status, lang=lang) if status in ("ok", "warning") else status
        checks.append(f"<tr><td>{escape(name)}</td><td class='{escape(status)}'>"
                      f"{escape(shown)}</td><td>{escape(detail)}</td></tr>")  # fmt: skip
    counts = "".join(f"<tr><td>{t(f'{n}_table', lang=lang)}</td>"
                     f"<td>{number(q[n]['rows'], lang=lang)}</td>"
                     f"<td>{number(q[n]['unique'], lang=lang)}</td></tr>"
                     for n in ("orders", "ads", "daily") if n in q)  # fmt: skip
    parts.append(f"<div><h2>{t('appendix', lang=lang)}</h2>"
                 f"<table><tr><th>{t('table', lang=lang)}</th>"
                 f"<th>{t('rows_received', lang=lang)}</th><th>{t('unique', lang=lang)}</th>"
                 f"</tr>{counts}</table><table><tr><th>{t('check', lang=lang)}</th>"
                 f"<th>{t('status', lang=lang)}</th><th>{t('detail', lang=lang)}</th></tr>"
                 f"{''.join(checks)}</table></div></section>")  # fmt: skip
    return "".join(parts)


def report_html(data: Mapping[str, Any], insights: Mapping[str, Any], *, title: str,
                job_id: str, language: str = "id", generated_at: datetime | None = None) -> str:
    """The report as one HTML document (what :func:`render_pdf` prints)."""
    lang = lang_of(language)
    generated = generated_at or datetime.now(UTC)
    body = (_cover(data, title=title, job_id=job_id, lang=lang, generated=generated)
            + _summary(data, insights, lang=lang) + _charts(data, lang=lang)
            + _platforms(data, lang=lang) + _campaigns_and_quality(data, lang=lang))  # fmt: skip
    page = (f'@page {{ @bottom-center {{ content: "{labels.text("page", lang=lang)} " '
            f'counter(page) " {labels.text("of", lang=lang)} " counter(pages); }} }}')
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>"
            f"{escape(title)}</title><style>{_CSS.read_text()}{page}</style></head><body>"
            f"{body}</body></html>")


def render_pdf(data: Mapping[str, Any], insights: Mapping[str, Any], *, path: Path, title: str,
               job_id: str, language: str = "id", generated_at: datetime | None = None) -> int:
    """Write the PDF to ``path``; returns its size in bytes."""
    from weasyprint import HTML  # heavy import: only the render step pays it

    html = report_html(data, insights, title=title, job_id=job_id, language=language,
                       generated_at=generated_at)  # fmt: skip
    HTML(string=html, base_url=str(_CSS.parent)).write_pdf(str(path))
    return path.stat().st_size
