"""Workflow inputs for the watching workflows: BI reports (seed job 3), crisis monitor (job 5)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from backend.ai.planner_details import Details
from backend.ai.planner_inputs import Built, names, report_targets
from backend.ai.planner_platforms import platforms_for
from backend.ai.planner_reading import Reading, Said
from backend.ai.planner_text import normalize

__all__ = ["build_bi_report", "build_crisis_monitor", "METRICS"]

METRICS: dict[str, list[str]] = {
    "marketplace": ["sales", "orders", "visitors"],
    "ads": ["spend", "impressions", "clicks", "conversions"],
    "instagram": ["followers", "engagement", "reach"],
    "social": ["followers", "engagement", "views"],
    "google_analytics": ["sessions", "users", "bounce_rate", "conversion_rate"],
    "crm": ["new_customers", "repeat_customers", "churn"],
}
_DEFAULT_SOURCES = ("shopee", "tokopedia", "lazada", "facebook_ads", "google_ads",
                    "tiktok_ads", "instagram", "tiktok", "google_analytics", "crm")  # fmt: skip
_CATEGORIES = {
    r"marketplace|e-?commerce|semua toko|all (?:our |my )?(?:stores|shops|channels)|"
    r"semua channel": ("shopee", "tokopedia", "lazada"),
    r"\bads\b|iklan|advertis|ad spend": ("facebook_ads", "google_ads", "tiktok_ads"),
    r"social media|media sosial|sosmed|medsos": ("instagram", "tiktok"),
    r"analytics|analitik|traffic|trafik|pengunjung|visitors": ("google_analytics",),
}
_SEED_ACCOUNTS = {"instagram": "brand_official", "twitter": "@brand", "tiktok": "@brand",
                  "facebook": "BrandPage", "youtube": "@brand"}  # fmt: skip
_SOCIAL = ("instagram", "twitter", "tiktok", "facebook", "youtube")
_STORES = ("shopee", "tokopedia", "lazada", "tiktok_shop", "blibli", "website")
_SHOPS = ("shopee", "tokopedia", "lazada", "blibli", "bukalapak", "tiktok_shop", "website")
_SALES = re.compile(r"penjualan|\bsales\b|omzet|omset|revenue|pendapatan|\borders?\b|pesanan|"
                    r"\bgmv\b|transaksi")


def _metrics(platform: str) -> list[str]:
    if platform in ("shopee", "tokopedia", "lazada", "blibli", "bukalapak", "tiktok_shop",
                    "website"):  # fmt: skip
        return METRICS["marketplace"]
    if platform.endswith("_ads"):
        return METRICS["ads"]
    return METRICS.get(platform, METRICS["social"])


def _period(details: Details, reading: Reading) -> str:
    if details.period:
        return details.period
    schedule = reading.schedule
    if schedule and schedule.cron:
        _, _, dom, _, dow = (schedule.cron.split() + ["*"] * 5)[:5]
        if dom != "*":
            return "last_month"
        if dow not in ("*", "1-5", "0-6"):
            return "last_week" if "," not in dow else "yesterday"
    return "yesterday"


def build_bi_report(reading: Reading, details: Details, now: datetime) -> Built:
    """Business-intelligence report from many sources."""
    said: list[Said] = []
    sources: list[str] = list(reading.platforms)
    implied = category_sources(normalize(details.text))
    wanted = reading.counts.platforms
    if implied and wanted and set(implied) <= set(_STORES):  # "dari 5 marketplace": five shops
        implied = list(_STORES[: max(1, min(wanted, len(_STORES)))])
    if implied and not sources:
        sources += implied
        said.append(("platforms", f"sumber data dari kata kategori: {names(implied)}",
                     f"data sources from the category named: {names(implied)}"))  # fmt: skip
    elif implied:
        # Only named platforms are read; a category said beside them is left to the seller.
        said.append(("platforms", f"belum termasuk (tidak disebut namanya): {names(implied)} — "
                     "tambahkan di editor bila perlu", f"not included (not named): "
                     f"{names(implied)} — add them in the editor if needed"))  # fmt: skip
    stated = re.search(r"(\d+)\s*\+?\s*(?:data )?(?:sources?|sumber)", normalize(details.text))
    if sources and stated and int(stated.group(1)) > len(sources):
        extra = [p for p in _DEFAULT_SOURCES if p not in sources]
        sources += extra
        said.append(("platforms", f"sumber tambahan dari bawaan: {names(extra)}",
                     f"more sources from the defaults: {names(extra)}"))  # fmt: skip
    if sources and _SALES.search(normalize(details.text)) and not any(
            p in _SHOPS for p in sources):
        said.append(("platforms", "penjualan/omzet: tidak ada toko yang disebut namanya, jadi "
                     "belum ada sumber penjualan — tambahkan toko Anda di editor", "sales: no "
                     "shop is named, so no sales source is included — add your shops in the "
                     "editor"))  # fmt: skip
    if not sources and reading.counts.platforms:  # "all 4 of our stores": that many shops
        sources = list(_STORES[: max(1, min(reading.counts.platforms, len(_STORES)))])
        said.append(("platforms", f"{len(sources)} toko yang tidak disebut namanya dibaca: "
                     f"{names(sources)} — ganti di editor bila perlu", f"the {len(sources)} "
                     f"unnamed shops read as: {names(sources)} — change them in the editor if "
                     "needed"))  # fmt: skip
    if not sources:
        said.append(("platforms", "sumber data: 10 sumber bawaan (marketplace, iklan, sosial, "
                     "analytics, CRM)", "data sources: the 10 default sources (marketplaces, "
                     "ads, social, analytics, CRM)"))  # fmt: skip
        sources = list(_DEFAULT_SOURCES)
    if len(sources) > len(reading.platforms):  # defaults added: in the seed's order
        order = {p: i for i, p in enumerate(_DEFAULT_SOURCES)}
        sources.sort(key=lambda p: order.get(p, len(order)))
    period = _period(details, reading)
    recipients: list[dict[str, str]] = []
    for r in reading.recipients:
        key = "address" if r.address else "phone" if r.phone else "chat_id"
        recipients.append({"channel": r.channel, key: r.address or r.phone or r.chat_id or ""})
    for channel in reading.channels:
        if not any(r["channel"] == channel for r in recipients):
            recipients.append({"channel": channel, "to": "default"})
            said.append(("recipients", f"{names([channel])}: tujuan bawaan dari Pengaturan",
                         f"{names([channel])}: the default destination from Settings"))
    if not recipients:
        said.append(("recipients", "tanpa penerima: laporan disimpan di halaman Reports",
                     "no recipients: reports are kept on the Reports page"))  # fmt: skip
        said.append(("channels", "tidak dikirim lewat kanal apa pun (email/WA/Telegram): "
                     "tambahkan penerima di editor", "not sent on any channel (email/WhatsApp/"
                     "Telegram): add recipients in the editor"))  # fmt: skip
    formats = list(reading.formats) or ["pdf", "excel", "dashboard"]
    if not reading.formats:
        said.append(("formats", "format: PDF, Excel dan dashboard",
                     "formats: PDF, Excel and dashboard"))  # fmt: skip
    words = {"yesterday": ("kemarin", "yesterday"), "today": ("hari ini", "today"),
             "last_week": ("minggu lalu", "last week"), "last_month": ("bulan lalu",
                                                                       "last month")}[period]
    if not details.period:
        said.append(("window", f"isi laporan: data {words[0]}", f"report covers {words[1]}"))
    if not re.search(r"penjualan|sales|omzet|revenue|order|pesanan|iklan|ads|spend|traffic|"
                     r"pengunjung|visitor|konversi|conversion|kpi|profit|stok|stock|follower|"
                     r"pelanggan|customer", normalize(details.text)):  # fmt: skip
        said.append(("content", "isi: penjualan, pesanan, pengunjung, iklan dan analisis AI",
                     "contents: sales, orders, visitors, ads and AI analysis"))  # fmt: skip
    inputs = {
        "report_date": period,
        "data_sources": [{"platform": p, "metrics": _metrics(p)} for p in sources],
        "ai_analysis": {
            "enabled": not details.no_ai,
            "focus": ["anomalies", "trends", "recommendations"],
            "compare_with": ["yesterday", "last_week", "last_month"],
        },
        "output_formats": formats,
        "recipients": recipients,
    }
    return inputs, said


def category_sources(t: str) -> list[str]:
    """Sources a report prompt implies by category ("iklan", "marketplace") without names;
    a category counts only when the prompt names none of its members."""
    out: list[str] = []
    named = set(platforms_for("bi_report", t))
    for pattern, members in _CATEGORIES.items():
        if re.search(pattern, t) and not named & set(members):
            out.extend(m for m in members if m not in out)
    return out


_REVIEW_WORDS = re.compile(r"\bulasan\b|\breviews?\b|\brating\b|\bbintang\b|\bmarketplace")


def _default_platforms(details: Details, count: int | None = None) -> list[str]:
    """Marketplace reviews when the prompt speaks of reviews, else the social networks
    (the first ``count`` of them when the prompt says how many)."""
    if _REVIEW_WORDS.search(normalize(details.text)):
        pool = ["shopee", "tokopedia", "lazada", "tiktok_shop", "blibli"]
    else:
        pool = ["instagram", "twitter", "tiktok", "facebook", "youtube"][:4 if not count else 5]
    return pool[: max(1, min(count, len(pool)))] if count else pool


def _accounts(reading: Reading, details: Details) -> list[dict[str, str]]:
    platforms = list(reading.platforms) or _default_platforms(details, reading.counts.platforms)
    if details.handles:
        return [{"platform": p, "account": h} for h in details.handles for p in platforms]
    brand = next((k for k in reading.keywords if not k.startswith("#")), None)
    out = []
    for p in platforms:
        account = (brand or _SEED_ACCOUNTS.get(p, "brand")) if p in _SOCIAL else "own_store"
        out.append({"platform": p, "account": account})
    return out


def build_crisis_monitor(reading: Reading, details: Details, now: datetime) -> Built:
    """Brand mentions across social accounts and reviews, sentiment and crisis alerts."""
    said: list[Said] = []
    if not reading.platforms:
        shown = names(_default_platforms(details, reading.counts.platforms))
        said.append(("platforms", f"platform: {shown}", f"platforms: {shown}"))
    if not details.handles:
        said.append(("accounts", "akun yang dipantau: akun contoh per platform — ganti dengan "
                     "akun Anda", "accounts watched: a sample account per platform — replace "
                     "them with yours"))  # fmt: skip
    keywords = list(reading.keywords) or ["brand_name", "product_name", "competitor_names"]
    if not reading.keywords:
        said.append(("keywords", "kata kunci contoh: brand_name, product_name, "
                     "competitor_names — ganti dengan merek Anda", "sample keywords: "
                     "brand_name, product_name, competitor_names — replace with your brand"))
    crisis = {"enabled": True, "spike_threshold": details.spike_threshold or 5.0,
              "negative_threshold": details.negative_threshold or 0.8,
              "volume_threshold": details.volume_threshold or 100}  # fmt: skip
    channels, to = report_targets(reading, ["telegram", "whatsapp", "sms"], said,
                                  what=("peringatan", "alerts"))  # fmt: skip
    alerts = {
        "negative_mention": {"channel": channels[0], "priority": "normal"},
        "crisis_detected": {"channel": channels[min(1, len(channels) - 1)], "priority": "urgent"},
        "viral_negative": {"channel": channels[min(2, len(channels) - 1)],
                           "priority": "critical"},
    }  # fmt: skip
    auto = not details.no_auto_reply
    if not details.auto_reply and auto:
        said.append(("content", "balasan otomatis (template permintaan maaf) untuk postingan "
                     "sangat negatif: aktif", "auto-reply (apology template) to very negative "
                     "posts: on"))  # fmt: skip
    inputs: dict[str, Any] = {
        "channel": "social_media",
        "accounts": _accounts(reading, details),
        "monitor_keywords": keywords,
        "sentiment_analysis": {"enabled": True, "model": "offline",
                               "thresholds": {"negative": 0.7, "very_negative": 0.9}},
        "crisis_detection": crisis,
        "alerts": alerts,
        "auto_response": {"enabled": auto, "for_sentiment_below": 0.3,
                          "response_template": "apology_template_v1"},
    }  # fmt: skip
    if to:
        inputs["alert_to"] = to
    if reading.counts.posts:
        inputs["watch_posts"] = reading.counts.posts
    return inputs, said
