"""Every word a report shows, in Indonesian and English (one of them per report).

``text(key, lang)`` for fixed words, ``kpi(metric, lang)`` for a figure's name (an
unknown metric gets a readable name, never its snake_case key), ``platform``/``kind``
for sources, ``window``/``vs`` for comparison days and ``check`` for a data-quality
finding (stored as a code and its numbers by ``aggregate``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.reports.locale import day_long, lang_of, number

__all__ = ["text", "kpi", "platform", "kind", "window", "vs", "check", "KPI_ORDER", "CHECKS",
           "PLATFORM_KEYS"]

# (id, en) per metric; the order is the order of the key-figures table.
_KPI: dict[str, tuple[str, str]] = {
    "sales": ("Penjualan", "Sales"), "orders": ("Pesanan", "Orders"),
    "visitors": ("Pengunjung", "Visitors"),
    "conversion_rate": ("Tingkat konversi", "Conversion rate"),
    "ad_spend": ("Biaya iklan", "Ad spend"), "ad_revenue": ("Pendapatan iklan", "Ad revenue"),
    "roas": ("ROAS (penjualan / biaya iklan)", "ROAS (sales / ad spend)"),
    "ad_roas": ("ROAS iklan (pendapatan / biaya iklan)", "Ad ROAS (ad revenue / spend)"),
    "cpc": ("Biaya per klik", "Cost per click"), "ctr": ("Rasio klik (CTR)", "Click rate (CTR)"),
    "clicks": ("Klik", "Clicks"), "impressions": ("Impresi", "Impressions"),
    "conversions": ("Konversi iklan", "Ad conversions"), "sessions": ("Sesi", "Sessions"),
    "users": ("Pengguna", "Users"), "bounce_rate": ("Rasio pentalan", "Bounce rate"),
    "new_customers": ("Pelanggan baru", "New customers"),
    "repeat_customers": ("Pelanggan berulang", "Repeat customers"),
    "churn": ("Pelanggan berhenti", "Churned customers"),
    "followers": ("Pengikut", "Followers"), "engagement": ("Interaksi", "Engagement"),
    "reach": ("Jangkauan", "Reach"), "views": ("Tayangan", "Views"),
    "spend": ("Biaya", "Spend"), "revenue": ("Pendapatan", "Revenue"),
    "avg_order_value": ("Rata-rata nilai pesanan", "Average order value"),
    # What the platforms report beside those (shops' stats, GA4, CRM, social insights).
    "completed_orders": ("Pesanan selesai", "Completed orders"),
    "cancelled_orders": ("Pesanan dibatalkan", "Cancelled orders"),
    "page_views": ("Tampilan halaman", "Page views"),
    "screenPageViews": ("Tampilan halaman", "Page views"),
    "newUsers": ("Pengguna baru", "New users"),
    "purchaseRevenue": ("Pendapatan pembelian", "Purchase revenue"),
    "active_customers": ("Pelanggan aktif", "Active customers"),
    "engagement_rate": ("Tingkat interaksi", "Engagement rate"),
}  # fmt: skip
KPI_ORDER = tuple(_KPI)

_PLATFORMS = {
    "shopee": "Shopee", "tokopedia": "Tokopedia", "lazada": "Lazada", "blibli": "Blibli",
    "tiktok_shop": "TikTok Shop", "facebook_ads": "Facebook Ads", "google_ads": "Google Ads",
    "tiktok_ads": "TikTok Ads", "instagram": "Instagram", "tiktok": "TikTok",
    "facebook": "Facebook", "twitter": "X (Twitter)", "youtube": "YouTube",
    "google_analytics": "Google Analytics",
    "crm": "CRM", "website": "Web",
}  # fmt: skip
PLATFORM_KEYS = tuple(_PLATFORMS)
_KINDS = {"marketplace": ("marketplace", "marketplace"), "ads": ("iklan", "ads"),
          "social": ("media sosial", "social media"), "analytics": ("analitik", "analytics"),
          "crm": ("CRM", "CRM")}  # fmt: skip
_WINDOWS = {"report": ("Hari laporan", "Report day"), "yesterday": ("Kemarin", "Yesterday"),
            "last_week": ("Minggu lalu", "Last week"),
            "last_month": ("Bulan lalu", "Last month")}  # fmt: skip

_TEXT: dict[str, tuple[str, str]] = {
    "report_title": ("Laporan BI harian", "Daily BI report"),
    "report_date": ("Tanggal laporan", "Report date"), "timezone": ("Zona waktu", "Time zone"),
    "generated": ("Dibuat", "Generated"), "job": ("Job", "Job"),
    "rows_processed": ("Baris data diolah", "Rows processed"),
    "headline": ("Angka utama hari ini", "The day at a glance"),
    "summary": ("Ringkasan eksekutif", "Executive summary"),
    "key_figures": ("Semua angka", "Key figures"), "charts": ("Grafik", "Charts"),
    "by_platform": ("Per platform", "By platform"),
    "campaigns": ("Kampanye teratas hari ini", "Top campaigns of the day"),
    "appendix": ("Lampiran: kualitas data", "Appendix: data quality"),
    "anomalies": ("Anomali", "Anomalies"), "trends": ("Tren", "Trends"),
    "recommendations": ("Rekomendasi", "Recommendations"),
    "nothing": ("Tidak ada yang menonjol.", "Nothing notable."),
    "engine": ("Analisis oleh", "Insights by"),
    "engine_offline": ("aturan bawaan", "built-in rules"), "engine_llm": ("LLM", "LLM"),
    "no_data": ("Tidak ada data untuk hari laporan.", "No data for the report day."),
    "metric": ("Metrik", "Metric"), "date": ("Tanggal", "Date"), "kind": ("Jenis", "Kind"),
    "platform": ("Platform", "Platform"), "channel": ("Kanal", "Channel"),
    "campaign": ("Kampanye", "Campaign"), "order_id": ("No. pesanan", "Order number"),
    "local_time": ("Waktu", "Local time"), "status": ("Status", "Status"),
    "items": ("Jumlah barang", "Items"), "total": ("Total", "Total"),
    "table": ("Tabel", "Table"), "rows_received": ("Baris diterima", "Rows received"),
    "unique": ("Unik", "Unique"), "check": ("Pemeriksaan", "Check"),
    "detail": ("Rincian", "Detail"), "ok": ("OK", "OK"), "warning": ("Peringatan", "Warning"),
    "orders_table": ("Pesanan", "Orders"), "ads_table": ("Iklan", "Ads"),
    "daily_table": ("Metrik harian", "Daily metrics"),
    "page": ("Halaman", "Page"), "of": ("dari", "of"),
    "cut_orders": ("Dipotong pada {n} baris; file CSV pesanan berisi semuanya.",
                   "Cut at {n} rows; the orders CSV file has them all."),
    "cut_rows": ("Dipotong pada {n} baris.", "Cut at {n} rows."),
    "chart_sales": ("Penjualan per hari", "Sales per day"),
    "chart_marketplaces": ("Penjualan per marketplace", "Sales by marketplace"),
    "chart_ads": ("Biaya dan pendapatan iklan", "Ad spend and ad revenue"),
    "chart_hours": ("Penjualan per jam pada hari laporan", "Report day sales by hour"),
    "chart_roas": ("ROAS per kanal iklan", "ROAS by ad channel"),
    "chart_sales_spend": ("Penjualan dan biaya iklan", "Sales and ad spend"),
    "vs": ("vs {window}", "vs {window}"),
    "delta_vs": ("Δ vs {window}", "Δ vs {window}"),
    "sheet_summary": ("Ringkasan", "Summary"), "sheet_daily": ("Harian", "Daily"),
    "sheet_platforms": ("Platform", "Platforms"), "sheet_campaigns": ("Kampanye", "Campaigns"),
    "sheet_orders": ("Pesanan", "Orders"), "sheet_ads": ("Iklan", "Ads"),
    "sheet_quality": ("Kualitas data", "Data quality"),
    # File names (a download, an email attachment): no spaces, no accents.
    "file_report": ("laporan-bi", "bi-report"), "file_orders": ("pesanan", "orders"),
}  # fmt: skip

# A data-quality finding: (name, detail) per language, filled from its numbers.
CHECKS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "duplicate_orders": (("Pesanan ganda dihapus", "{dup} dari {rows} baris pesanan"),
                         ("Duplicate orders removed", "{dup} of {rows} order rows")),
    "orders_incomplete": (("Pesanan tanpa total atau waktu",
                           "{no_total} tanpa total, {no_time} tanpa waktu (dibuang)"),
                          ("Orders missing total or time",
                           "{no_total} without total, {no_time} without time (dropped)")),
    "orders_no_currency": (("Pesanan tanpa mata uang", "{n} dianggap Rupiah"),
                           ("Orders without currency", "{n} assumed IDR")),
    "no_rate": (("Jumlah tanpa kurs", "{n} pesanan tidak dihitung"),
                ("Amounts without an exchange rate", "{n} orders left out")),
    "duplicate_ads": (("Baris iklan ganda dihapus", "{n} baris"),
                      ("Duplicate ad rows removed", "{n} rows")),
    "impossible_ads": (("Baris iklan dengan nilai mustahil",
                        "{negative} negatif, {over} dengan klik > impresi"),
                       ("Ad rows with impossible values",
                        "{negative} negative, {over} with clicks > impressions")),
    "daily_gaps": (("Metrik harian hilang atau berulang", "{missing} hilang, {repeated} berulang"),
                   ("Daily metrics missing or repeated", "{missing} missing, {repeated} repeated")),
    "platform_no_data": (("{platform}: data tersedia", "tidak ada angka untuk hari laporan"),
                         ("{platform}: data present", "no numbers for the report day")),
    "orders_match": (("{platform} {day}: pesanan cocok dengan statistik toko",
                      "{listed} pesanan tercatat, {stated} di statistik"),
                     ("{platform} {day}: orders match the shop's stats",
                      "{listed} orders listed, {stated} in stats")),
    "source_failed": (("{platform}: sumber diambil", "gagal: {error}"),
                      ("{platform}: source fetched", "failed: {error}")),
}  # fmt: skip


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang_of(lang) == "id" else pair[1]


def text(key: str, *, lang: str, **values: Any) -> str:
    return _pick(_TEXT[key], lang).format(**values)


def kpi(metric: str, *, lang: str, short: bool = False) -> str:
    """The figure's name; an unknown metric ("totalUsers", "avg_watch_time") is spelled
    out. ``short`` drops the explanation in brackets: a platform's own ROAS is its ad
    revenue over its spend, not the shop's sales over all ad spend."""
    if metric in _KPI:
        name = _pick(_KPI[metric], lang)
        return name.split(" (")[0] if short else name
    spaced = "".join(f" {c.lower()}" if c.isupper() else c for c in metric).replace("_", " ")
    return spaced.strip().capitalize()


def platform(name: str) -> str:
    """Shopee, Google Ads ... (brand names are the same in both languages); a second shop
    of a platform (``shopee@toko-b``) is "Shopee (toko-b)"."""
    base, _, shop = name.partition("@")
    label = _PLATFORMS.get(base, base)
    return f"{label} ({shop})" if shop else label


def kind(name: str, *, lang: str) -> str:
    return _pick(_KINDS[name], lang) if name in _KINDS else name


def window(name: str, *, lang: str) -> str:
    """Minggu lalu / Last week; an unknown window keeps its name, spelled out."""
    return _pick(_WINDOWS[name], lang) if name in _WINDOWS else name.replace("_", " ")


def vs(name: str, *, lang: str) -> str:
    """vs minggu lalu / vs last week."""
    return text("vs", lang=lang, window=window(name, lang=lang).lower())


def _arg(key: str, value: Any, lang: str) -> str:
    if isinstance(value, int | float):
        return number(value, lang=lang)
    if key == "platform":
        return platform(str(value))
    return day_long(str(value), lang=lang) if key == "day" else str(value)


def check(finding: Mapping[str, Any], *, lang: str) -> tuple[str, str]:
    """(name, detail) of a data-quality finding in ``lang``; a finding without a known
    code (an older report) keeps its stored words."""
    code = finding.get("code")
    if code not in CHECKS:
        return str(finding.get("check", "")), str(finding.get("detail", ""))
    args = {k: _arg(k, v, lang) for k, v in (finding.get("args") or {}).items()}
    name, detail = CHECKS[code][0 if lang_of(lang) == "id" else 1]
    return name.format(**args), detail.format(**args)
