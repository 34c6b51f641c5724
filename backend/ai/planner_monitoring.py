"""Input builders for the watching workflows: BI reports (seed job 3), crisis monitor (job 5)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from backend.ai import planner_vocab as vocab
from backend.ai.planner_extract import Facts

__all__ = ["build_bi_report", "build_crisis_monitor", "METRICS"]

Built = tuple[dict[str, Any], list[tuple[str, str]]]

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
    r"marketplace|e-?commerce|toko online": ("shopee", "tokopedia", "lazada"),
    r"\bads\b|iklan|advertis": ("facebook_ads", "google_ads", "tiktok_ads"),
    r"social media|media sosial|sosmed|medsos": ("instagram", "tiktok"),
    r"analytics|analitik|traffic|trafik": ("google_analytics",),
    r"\bcrm\b|pelanggan|customers?": ("crm",),
}
_SEED_ACCOUNTS = {"instagram": "brand_official", "twitter": "@brand", "tiktok": "@brand",
                  "facebook": "BrandPage"}  # fmt: skip


def _metrics(platform: str) -> list[str]:
    if platform in ("shopee", "tokopedia", "lazada", "blibli", "bukalapak", "tiktok_shop",
                    "website"):  # fmt: skip
        return METRICS["marketplace"]
    if platform in vocab.AD_PLATFORMS:
        return METRICS["ads"]
    if platform in METRICS:
        return METRICS[platform]
    return METRICS["social"]


def build_bi_report(facts: Facts, text: str, now: datetime) -> Built:
    """Daily business-intelligence report from many sources."""
    said: list[tuple[str, str]] = []
    t = text.lower()
    sources = [p for p in facts.platforms if p not in ("instagram_shop", "facebook_shop")]
    for pattern, members in _CATEGORIES.items():
        # A category word adds its platforms only when none of them was named ("Facebook
        # Ads and Google Ads" must not add TikTok Ads).
        if re.search(pattern, t) and not any(m in sources for m in members):
            sources.extend(m for m in members if m not in sources)
    if not sources or facts.counts.get("sources", 0) > len(sources):
        sources += [s for s in _DEFAULT_SOURCES if s not in sources]
        said.append(("sumber data: 10 sumber bawaan (marketplace, iklan, sosial, analytics, CRM)",
                     "data sources: the 10 default sources (marketplaces, ads, social, "
                     "analytics, CRM)"))  # fmt: skip
    period = ("today" if re.search(r"hari ini|today", t) else
              "last_week" if re.search(r"minggu lalu|last week|mingguan|weekly", t) else
              "last_month" if re.search(r"bulan lalu|last month|bulanan|monthly", t) else
              "yesterday")  # fmt: skip
    recipients: list[dict[str, str]] = [{"channel": "email", "address": e} for e in facts.emails]
    recipients += [{"channel": "telegram", "chat_id": c} for c in facts.chat_ids]
    phone_channel = (
        "sms" if "sms" in facts.channels and "whatsapp" not in facts.channels else "whatsapp"
    )
    recipients += [{"channel": phone_channel, "phone": p} for p in facts.phones]
    for channel in facts.channels:
        if not any(r["channel"] == channel for r in recipients):
            recipients.append({"channel": channel, "to": "default"})
            said.append(
                (
                    f"{channel}: tujuan bawaan dari Pengaturan",
                    f"{channel}: the default destination from Settings",
                )
            )
    if not recipients:
        said.append(
            (
                "tanpa penerima: laporan disimpan di halaman Reports",
                "no recipients: reports are kept on the Reports page",
            )
        )
    formats = facts.formats or ["pdf", "excel", "dashboard"]
    if not facts.formats:
        said.append(("format: PDF, Excel dan dashboard", "formats: PDF, Excel and dashboard"))
    inputs = {
        "report_date": period,
        "data_sources": [{"platform": p, "metrics": _metrics(p)} for p in sources],
        "ai_analysis": {
            "enabled": "ai" not in facts.negations,
            "focus": ["anomalies", "trends", "recommendations"],
            "compare_with": ["yesterday", "last_week", "last_month"],
        },
        "output_formats": formats,
        "recipients": recipients,
    }
    return inputs, said


def _accounts(facts: Facts, text: str) -> list[dict[str, str]]:
    social = [p for p in facts.platforms if p in vocab.SOCIAL_PLATFORMS]
    if not facts.handles:
        return [{"platform": p, "account": _SEED_ACCOUNTS[p]}
                for p in (social or vocab.SOCIAL_PLATFORMS)]  # fmt: skip
    t = text.lower()
    accounts = []
    for handle in facts.handles:
        # The platform named closest before the handle ("ig @toko_a, twitter @toko_b").
        at = t.find(handle.lower())
        before = [(t.rfind(name, 0, at), p) for p in vocab.SOCIAL_PLATFORMS
                  for name in (p, {"instagram": "ig", "twitter": "x"}.get(p, p))]  # fmt: skip
        found = max((b for b in before if b[0] >= 0), default=None)
        platforms = [found[1]] if found else (social or ["instagram", "twitter"])
        accounts += [{"platform": p, "account": handle} for p in platforms]
    return accounts


def build_crisis_monitor(facts: Facts, text: str, now: datetime) -> Built:
    """Brand mentions across social accounts, sentiment and crisis alerts."""
    said: list[tuple[str, str]] = []
    t = text.lower()
    accounts = _accounts(facts, text)
    if not facts.handles:
        said.append(
            (
                "akun contoh (brand_official, @brand, BrandPage): ganti dengan akun Anda",
                "sample accounts (brand_official, @brand, BrandPage): replace with yours",
            )
        )
    keywords = facts.keywords or ["brand_name", "product_name", "competitor_names"]
    if not facts.keywords:
        said.append(
            (
                "kata kunci contoh: brand_name, product_name, competitor_names",
                "sample keywords: brand_name, product_name, competitor_names",
            )
        )
    crisis = {"enabled": True, "spike_threshold": 5.0, "negative_threshold": 0.8,
              "volume_threshold": 100}  # fmt: skip
    spike = re.search(r"(\d+(?:[.,]\d+)?)\s*(?:x|kali(?: lipat)?)\b", t)
    if spike:
        crisis["spike_threshold"] = float(spike.group(1).replace(",", "."))
    negative = re.search(r"(?:negatif|negative)\D{0,45}?(\d{1,3})\s*%|(\d{1,3})\s*%\s*(?:negatif|"
                         r"negative)", t)  # fmt: skip
    if negative:
        crisis["negative_threshold"] = int(negative.group(1) or negative.group(2)) / 100
    volume = re.search(r"(\d+)\s*(?:mention|sebutan|posts?)", t)
    if volume:
        crisis["volume_threshold"] = int(volume.group(1))
    ch = facts.channels
    alerts = {
        "negative_mention": {"channel": ch[0] if ch else "telegram", "priority": "normal"},
        "crisis_detected": {"channel": ch[min(1, len(ch) - 1)] if ch else "whatsapp",
                            "priority": "urgent"},
        "viral_negative": {"channel": ch[min(2, len(ch) - 1)] if ch else "sms",
                           "priority": "critical"},
    }  # fmt: skip
    if not ch:
        said.append(
            (
                "peringatan: Telegram (negatif), WhatsApp (krisis), SMS (viral)",
                "alerts: Telegram (negative), WhatsApp (crisis), SMS (viral)",
            )
        )
    inputs = {
        "channel": "social_media",
        "accounts": accounts,
        "monitor_keywords": keywords,
        "sentiment_analysis": {"enabled": True, "model": "offline",
                               "thresholds": {"negative": 0.7, "very_negative": 0.9}},
        "crisis_detection": crisis,
        "alerts": alerts,
        "auto_response": {"enabled": "auto_response" not in facts.negations,
                          "for_sentiment_below": 0.3,
                          "response_template": "apology_template_v1"},
    }  # fmt: skip
    return inputs, said
