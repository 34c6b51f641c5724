"""Workflow inputs from the facts of a prompt: one builder per built-in workflow.

Every builder returns the inputs and the assumptions it made, as (Indonesian, English)
pairs, so the planner can explain its defaults in the prompt's language.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backend.ai import planner_vocab as vocab
from backend.ai.planner_extract import Facts
from backend.ai.planner_monitoring import build_bi_report, build_crisis_monitor
from backend.core.errors import ErrorItem, InvalidInput

__all__ = ["Built", "BUILDERS", "campaign_event"]

Built = tuple[dict[str, Any], list[tuple[str, str]]]
_MARKET_ALIAS = {"tiktok_shop": "tiktok"}
_CATALOG_ALIAS = {"tiktok": "tiktok_shop", "instagram": "instagram_shop",
                  "facebook": "facebook_shop"}  # fmt: skip


def _pct(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def build_price_intelligence(facts: Facts, text: str, now: datetime) -> Built:
    """Competitor price monitoring and repricing (seed job 1)."""
    said: list[tuple[str, str]] = []
    count = facts.counts.get("products")
    if count is None:
        count = 100
        said.append(("memantau 100 produk pertama di katalog", "watches the first 100 products"))
    named = [_MARKET_ALIAS.get(p, p) for p in facts.platforms]
    markets = [p for p in dict.fromkeys(named) if p in (*vocab.MARKETPLACES, "bukalapak")]
    if not markets:
        wanted = min(facts.counts.get("marketplaces", len(vocab.MARKETPLACES)), 5)
        markets = list(vocab.MARKETPLACES[:wanted])
        said.append((f"marketplace: {', '.join(markets)}", f"marketplaces: {', '.join(markets)}"))
    if facts.monitor_only:
        strategy = "monitor_only"
    elif facts.match_lowest:
        strategy = "match_lowest"
    elif facts.undercut_percent is not None:
        strategy = f"undercut_by_{_pct(facts.undercut_percent)}_percent"
    else:
        strategy = "undercut_by_5_percent"
        said.append(
            (
                "strategi: 5% di bawah harga kompetitor termurah",
                "strategy: 5% below the cheapest competitor",
            )
        )
    inputs: dict[str, Any] = {
        "products": {"source": "catalog", "limit": count},
        "marketplaces": markets,
        "competitor_accounts": facts.handles or ["competitor_a", "competitor_b", "competitor_c"],
        "pricing_strategy": strategy,
        "min_margin_percent": facts.min_margin_percent or 15,
        "max_discount_percent": facts.max_discount_percent or 20,
        "ai_analysis": {"enabled": "ai" not in facts.negations},
        "report_channels": facts.channels or ["telegram", "email"],
    }
    if not facts.handles:
        said.append(
            (
                "kompetitor: semua penjual lain di listing yang sama",
                "competitors: every other seller on the same listings",
            )
        )
    if facts.min_margin_percent is None:
        said.append(("margin minimal 15%", "minimum margin 15%"))
    if facts.max_discount_percent is None:
        said.append(("diskon maksimal 20%", "maximum discount 20%"))
    if not facts.channels:
        said.append(("laporan dikirim ke Telegram dan email", "report sent by Telegram and email"))
    return inputs, said


_EVENTS = (
    (r"black\s*friday", "Black Friday"), (r"harbolnas|12[./]12", "Harbolnas 12.12"),
    (r"11[./]11", "11.11"), (r"cyber\s*monday", "Cyber Monday"),
    (r"ramadh?an", "Ramadan Sale"), (r"lebaran|idul fitri", "Lebaran Sale"),
)  # fmt: skip

_SEGMENTS = (
    ("vip", r"\bvip\b|loyal|high[- ]value"),
    ("new", r"pelanggan baru|new customers?|pembeli baru"),
    ("inactive", r"tidak aktif|inactive|lama tidak|dormant"),
)


def campaign_event(text: str, now: datetime) -> tuple[str, datetime | None] | None:
    """(name, day) of a named shopping event in ``text``; the day when it is fixed."""
    t = text.lower()
    for pattern, name in _EVENTS:
        if not re.search(pattern, t):
            continue
        year = now.year
        if name == "Black Friday":
            for y in (year, year + 1):
                first = datetime(y, 11, 1, tzinfo=now.tzinfo)
                thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
                day = thursday + timedelta(days=1)  # the day after the 4th Thursday
                if day.date() >= now.date():
                    return f"{name} {y}", day
        fixed = {"Harbolnas 12.12": (12, 12), "11.11": (11, 11)}.get(name)
        if fixed:
            day = datetime(year, *fixed, tzinfo=now.tzinfo)
            if day.date() < now.date():
                day = day.replace(year=year + 1)
            return f"{name} {day.year}", day
        return f"{name} {year}", None
    return None


def build_campaign(facts: Facts, text: str, now: datetime) -> Built:
    """A personalised multi-channel promotion (seed job 2)."""
    said: list[tuple[str, str]] = []
    t = text.lower()
    local = now.astimezone(ZoneInfo("Asia/Jakarta"))
    event = campaign_event(text, local)
    promo = re.search(r"\b((?:[A-Z][\w.]*\s+){1,3})(?:promo|sale|campaign)\b", text)
    if promo is None:
        promo = re.search(r"(?:promo|campaign|kampanye)\s+(?!(?:ke|to|via|untuk|for)\b)"
                          r"([\w .%-]{3,40}?)(?:\s+(?:ke|to|via|untuk|for|dengan|with|lewat|by|"
                          r"on)\b|[,.]|$)", text, flags=re.IGNORECASE)  # fmt: skip
    if (
        event is None
        and promo is None
        and not facts.discount_range
        and not facts.max_discount_percent
    ):
        raise InvalidInput([ErrorItem(
            "prompt", "a campaign needs something to announce: name the promo or event "
            "(e.g. 'Black Friday', 'promo Ramadan') or a discount ('diskon 30-70%')",
        )])  # fmt: skip
    name = event[0] if event else (promo.group(1).strip().title() if promo else "Promo")
    campaign: dict[str, Any] = {"name": name}
    if facts.discount_range:
        campaign["discount_range"] = facts.discount_range
    elif facts.max_discount_percent:
        campaign["discount_range"] = f"0-{_pct(facts.max_discount_percent)}%"
    if event and event[1] is not None:
        day = event[1].astimezone(ZoneInfo("Asia/Jakarta")).replace(hour=0, minute=0, second=0,
                                                                    microsecond=0)  # fmt: skip
        campaign["start_date"] = day.isoformat()
        campaign["end_date"] = day.replace(hour=23, minute=59, second=59).isoformat()
    segment = next((name for name, pattern in _SEGMENTS if re.search(pattern, t)), "all")
    audience: dict[str, Any] = {"segment": segment, "consent_required": True}
    if "customers" in facts.counts:
        audience["limit"] = facts.counts["customers"]
    else:
        said.append(("semua pelanggan yang memberi izin", "every customer who gave consent"))
    channels = facts.channels or ["whatsapp", "telegram", "email"]
    if not facts.channels:
        said.append(("kanal: WhatsApp, Telegram dan email", "channels: WhatsApp, Telegram, email"))
    if facts.rate_per_minute is None:
        said.append(("batas 100 pesan per menit per kanal", "limit 100 messages/minute/channel"))
    if facts.tone is None:
        said.append(("gaya bahasa: ramah dan mendesak", "tone: friendly and urgent"))
    inputs = {
        "campaign": campaign,
        "audience": audience,
        "channels": channels,
        "rate_limit_per_minute": facts.rate_per_minute or 100,
        "personalization": {
            "use_ai": "ai" not in facts.negations,
            "include_purchase_history": True,
            "include_browsing_history": True,
            "tone": facts.tone or "friendly_urgent",
            "unique_discount_code": True,
        },
        "tracking": {"track_opens": True, "track_clicks": True, "track_conversions": True},
    }
    return inputs, said


def build_catalog_sync(facts: Facts, text: str, now: datetime) -> Built:
    """Product catalog sync to many platforms with images and copy (seed job 4)."""
    said: list[tuple[str, str]] = []
    t = text.lower()
    count = facts.counts.get("products")
    if count is None:
        count = 1000
        said.append(
            (
                "hingga 1.000 produk yang berubah sejak sync terakhir",
                "up to 1,000 products changed since the last sync",
            )
        )
    named = [_CATALOG_ALIAS.get(p, p) for p in facts.platforms]
    sellable = (*vocab.CATALOG_PLATFORMS, "blibli", "bukalapak")
    platforms = [p for p in dict.fromkeys(named) if p in sellable]
    if not platforms:
        wanted = min(facts.counts.get("platforms", len(vocab.CATALOG_PLATFORMS)), 10)
        platforms = list(vocab.CATALOG_PLATFORMS[:wanted])
        said.append((f"platform: {', '.join(platforms)}", f"platforms: {', '.join(platforms)}"))
    only_stock = bool(re.search(r"(?:hanya|cuma|only)\s+(?:stok|stock|inventory)|"
                                r"(?:stok|stock|inventory)\s+(?:saja|aja|only)", t))  # fmt: skip
    only_price = bool(re.search(r"(?:hanya|cuma|only)\s+(?:harga|prices?)|"
                                r"(?:harga|prices?)\s+(?:saja|aja|only)", t))  # fmt: skip
    narrow = only_stock or only_price
    ai = "ai" not in facts.negations and not narrow
    width, height = facts.image_size or (1200, 1200)
    optimization: dict[str, Any] = {"optimize_titles": ai, "optimize_descriptions": ai,
                                    "generate_tags": ai, "platform_specific": ai}  # fmt: skip
    if re.search(r"terjemah|translate|en\s*(?:->|→|ke|to)\s*id|bahasa inggris", t):
        optimization["translate"] = "en->id"
    inputs: dict[str, Any] = {
        "products": {"source": "database",
                     "query": "SELECT * FROM products WHERE updated_at > last_sync",
                     "limit": count},
        "platforms": platforms,
        "sync_options": {
            "sync_images": not narrow and "images" not in facts.negations,
            "sync_inventory": only_stock or not narrow,
            "sync_prices": only_price or not narrow,
            "sync_descriptions": not narrow,
            "optimize_for_seo": ai,
            "ai_enhance": ai,
        },
        "image_processing": {"resize": True, "max_width": width, "max_height": height,
                             "compress": True, "quality": facts.image_quality or 85,
                             "format": facts.image_format or "webp"},
        "ai_optimization": optimization,
    }  # fmt: skip
    if facts.image_size is None and not narrow:
        said.append(
            (
                "gambar dikecilkan ke maks. 1200×1200, WebP kualitas 85",
                "images fit within 1200×1200, WebP quality 85",
            )
        )
    return inputs, said


BUILDERS = {
    "price_intelligence": build_price_intelligence,
    "campaign": build_campaign,
    "bi_report": build_bi_report,
    "catalog_sync": build_catalog_sync,
    "crisis_monitor": build_crisis_monitor,
}
