"""The report pipeline on sample data with known flaws: cleaning finds them, money ends
in IDR at the day's rate, deltas and anomalies come out right, and no text from outside
reaches the HTML unescaped."""

from __future__ import annotations

from datetime import date

import plotly.io
import pypdf
import pytest
from openpyxl import load_workbook

from backend.ai.insights import bi_insights
from backend.reports import exports
from backend.reports.charts import dashboard_figures
from backend.reports.excel import render_excel, sheet_names
from backend.reports.pdf import fmt_value, render_pdf, report_html
from tests.reports.conftest import DAY, RATE


def test_cleaning_removes_duplicates_and_incomplete_rows(built):
    info, con, data, _ = built
    q = data["quality"]["orders"]
    assert q["rows"] - q["unique"] == 7 and q["missing_total"] == 3
    flagged = {c["check"]: c["status"] for c in data["quality"]["checks"]}
    assert flagged["Duplicate orders removed"] == "warning"
    assert flagged["Orders missing total or time"] == "warning"
    # After cleaning, the listed orders agree with the shops' stats on every checked day.
    assert all(s == "ok" for c, s in flagged.items() if "match the shop's stats" in c)


def test_foreign_amounts_are_converted_at_the_days_rate(built):
    _, con, data, _ = built
    usd = con.execute("SELECT sum(total_idr) FROM orders_clean WHERE order_id LIKE 'usd-%'")
    assert usd.fetchone()[0] == pytest.approx(5 * 10.0 * RATE)
    lazada = data["platforms"]["lazada"]["orders_detail"][DAY.isoformat()]
    plain = con.execute("SELECT sum(total_idr) FROM orders_clean WHERE platform = 'lazada' "
                        "AND day = ? AND order_id NOT LIKE 'usd-%'", [DAY]).fetchone()[0]
    assert lazada["order_value"] == pytest.approx(plain + 5 * 10.0 * RATE)


def test_kpis_deltas_and_the_anomaly_of_the_report_day(built):
    _, _, data, _ = built
    t = data["totals"]["report"]
    assert t["roas"] == pytest.approx(t["sales"] / t["ad_spend"])
    assert t["cpc"] == pytest.approx(t["ad_spend"] / t["clicks"])
    assert t["conversion_rate"] == pytest.approx(t["orders"] / t["visitors"])
    # The sample's report day: 250 x 0.75 orders + the 5 in USD, against 250 a week before.
    assert data["deltas"]["last_week"]["orders"] == pytest.approx((187 + 5) / 250 - 1)
    s = data["series"]
    found = bi_insights(metrics={"sales": s["sales"], "orders": s["orders"]},
                        dates=[date.fromisoformat(d) for d in s["dates"]], language="en")
    assert "Orders down 23% vs last week" in found.anomalies
    assert any("Weekend" in t for t in found.trends)


def test_pdf_and_workbook_read_back(built, tmp_path):
    _, con, data, _ = built
    insights = {"anomalies": ["Orders down 25% vs last week"], "trends": [],
                "recommendations": ["Check stock"], "engine": "offline"}
    render_pdf(data, insights, path=tmp_path / "r.pdf", title="Daily BI", job_id="bi")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "r.pdf").pages)
    assert fmt_value("sales", data["totals"]["report"]["sales"]) in text
    assert "Orders down 25% vs last week" in text and "Halaman 3 dari" in text
    rows = render_excel(data, insights, path=tmp_path / "r.xlsx",
                        orders=exports.day_orders(con, DAY), ads=exports.day_ads(con, DAY),
                        max_raw_rows=100)
    wb = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert tuple(wb.sheetnames) == sheet_names("id")
    orders = list(wb["Pesanan"].iter_rows(min_row=2, values_only=True))
    assert rows["orders"] == 100 and len(orders) == 101 and "pada 100 baris" in orders[-1][0]
    daily = list(wb["Harian"].iter_rows(min_row=2, values_only=True))
    assert daily[-1][0].date() == DAY and daily[-1][1] == data["totals"]["report"]["sales"]


def test_outside_text_is_escaped_in_the_report(built):
    _, _, data, _ = built
    evil = "<script>alert(1)</script>"
    data = {**data, "campaigns": [{"platform": "google_ads", "campaign": evil, "spend": 1.0,
                                   "revenue": 2.0, "roas": 2.0}]}
    html = report_html(data, {"anomalies": [evil]}, title=f"Report {evil}", job_id=evil)
    assert evil not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_dashboard_figures_are_valid_plotly(built):
    _, _, data, _ = built
    figures = dashboard_figures(data)
    assert {"sales_trend", "sales_by_platform", "hourly_sales", "roas_by_channel"} <= set(figures)
    for figure in figures.values():
        plotly.io.from_json(plotly.io.to_json(figure))  # raises on an invalid figure
