"""Workflow inputs from a reading: price intelligence and catalog sync.

Every builder returns the inputs and each default it filled in, as ``(field, Indonesian,
English)``, so the plan lists them as assumptions in the prompt's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from backend.ai.planner_details import Details
from backend.ai.planner_platforms import CATALOG_TARGETS
from backend.ai.planner_reading import Reading, Said

__all__ = ["Built", "build_price_intelligence", "build_catalog_sync", "report_targets", "pct"]

Built = tuple[dict[str, Any], list[Said]]
_MARKETS = ("shopee", "tokopedia", "lazada", "tiktok", "blibli")
_NAMED_MARKETS = (*_MARKETS, "bukalapak")
# The seed's ten targets first (what "all my channels" means), then the rest.
_CATALOG_DEFAULT = ("shopee", "tokopedia", "lazada", "tiktok_shop", "instagram_shop",
                    "facebook_shop", "website", "google_shopping", "priceza", "idealo",
                    "blibli")  # fmt: skip
_NAMES = {"tiktok": "TikTok", "tiktok_shop": "TikTok Shop", "google_shopping":
          "Google Shopping", "instagram_shop": "Instagram Shop", "facebook_shop": "Facebook Shop"}


# "naikin harga semua produk 5%", "diskon 10% untuk semua produk", "lower prices by 15%"
_PRICE_CHANGE = re.compile(
    r"(?:naik|turun|lower|raise|reduce|increase|cut|diskon|discount|potong)\w*\s+(?:\w+\s+){0,4}?"
    r"(?:by\s+)?(\d+(?:[.,]\d+)?)\s*(?:%|persen)|(\d+(?:[.,]\d+)?)\s*(?:%|persen)\s+(?:off|lebih "
    r"(?:murah|mahal)|discount|diskon)"
)


def pct(value: float) -> str:
    """30.0 -> '30'; 0.5 -> '0.5'."""
    return str(int(value)) if float(value).is_integer() else str(value)


def names(platforms: Sequence[str]) -> str:
    """Platform ids as people write them."""
    return ", ".join(_NAMES.get(p, p.replace("_", " ").title()) for p in platforms)


def report_targets(reading: Reading, default: list[str], said: list[Said],
                   *, what: tuple[str, str]) -> tuple[list[str], dict[str, Any]]:  # fmt: skip
    """Channels and their recipients for a report or alert (``what``: what is sent)."""
    channels: list[str] = list(dict.fromkeys([*reading.channels,
                                              *(r.channel for r in reading.recipients)]))
    to: dict[str, str | list[str]] = {}
    for r in reading.recipients:
        value = r.address or r.phone or r.chat_id or ""
        have = to.get(r.channel)
        to[r.channel] = value if have is None else [*([have] if isinstance(have, str) else have),
                                                    value]  # several on one channel: a list
    if not channels:
        channels = list(default)
        said.append(("channels", f"{what[0]} lewat {names(channels)}",
                     f"{what[1]} sent by {names(channels)}"))  # fmt: skip
    missing = [c for c in channels if c not in to]
    if missing:
        said.append(("recipients", f"{names(missing)}: tujuan bawaan dari Pengaturan",
                     f"{names(missing)}: the default destination from Settings"))  # fmt: skip
    return channels, to


def build_price_intelligence(reading: Reading, details: Details, now: datetime) -> Built:
    """Competitor price monitoring and repricing (seed job 1)."""
    said: list[Said] = []
    count = reading.counts.products
    if count is None:
        count = 100
        said.append(("products", "memantau 100 produk pertama di katalog",
                     "watches the first 100 products of the catalog"))  # fmt: skip
    markets = [{"tiktok_shop": "tiktok"}.get(p, p) for p in reading.platforms]
    markets = [m for m in dict.fromkeys(markets) if m in _NAMED_MARKETS]
    if not markets:
        wanted = max(1, min(reading.counts.platforms or 5, len(_MARKETS)))
        markets = list(_MARKETS[:wanted])
        shown = names([{"tiktok": "tiktok_shop"}.get(m, m) for m in markets])
        said.append(("platforms", f"marketplace: {shown}", f"marketplaces: {shown}"))
    rule = reading.strategy
    if rule.monitor_only:
        strategy = "monitor_only"
    elif rule.undercut_percent is not None:  # "match the lowest minus 1%" is an undercut
        strategy = f"undercut_by_{pct(rule.undercut_percent)}_percent"
    elif rule.match_lowest:
        strategy = "match_lowest"
    else:
        strategy = "undercut_by_5_percent"
        said.append(("strategy", "strategi: 5% di bawah harga kompetitor termurah",
                     "strategy: 5% below the cheapest competitor"))  # fmt: skip
    inputs: dict[str, Any] = {
        "products": {"source": "catalog", "limit": count},
        "marketplaces": markets,
        "competitor_accounts": details.handles or ["competitor_a", "competitor_b",
                                                   "competitor_c"],
        "pricing_strategy": strategy,
        "min_margin_percent": rule.min_margin_percent or 15,
        "max_discount_percent": rule.max_discount_percent or 20,
        "ai_analysis": {"enabled": not details.no_ai},
    }  # fmt: skip
    if reading.counts.competitors:
        inputs["max_competitors"] = reading.counts.competitors
    if not details.handles:
        said.append(("competitors", "kompetitor: akun contoh competitor_a/b/c — ganti dengan "
                     "akun kompetitor Anda", "competitors: sample accounts competitor_a/b/c — "
                     "replace them with your competitors' accounts"))  # fmt: skip
    if rule.min_margin_percent is None:
        said.append(("strategy", "margin minimal 15%", "minimum margin 15%"))
    if rule.max_discount_percent is None:
        said.append(("strategy", "diskon maksimal 20%", "maximum discount 20%"))
    channels, to = report_targets(reading, ["telegram", "email"], said,
                                  what=("laporan", "report"))  # fmt: skip
    inputs["report_channels"] = channels
    if to:
        inputs["report_to"] = to
    if reading.formats:
        inputs["report_formats"] = list(reading.formats)
    else:
        said.append(("formats", "laporan berupa pesan ringkasan + file JSON di halaman run",
                     "the report is a summary message + a JSON file on the run page"))
    return inputs, said


def build_catalog_sync(reading: Reading, details: Details, now: datetime) -> Built:
    """Product catalog sync to many platforms with images and copy (seed job 4)."""
    said: list[Said] = []
    count = reading.counts.products
    if count is None:
        count = 1000
        said.append(("products", "hingga 1.000 produk yang berubah sejak sync terakhir",
                     "up to 1,000 products changed since the last sync"))  # fmt: skip
    platforms: list[str] = [p for p in dict.fromkeys(reading.platforms) if p in CATALOG_TARGETS]
    if not platforms:
        # "semua marketplace" means the marketplaces; "semua channel/toko" everything.
        pool: tuple[str, ...] = _CATALOG_DEFAULT
        if re.search(r"\bmarketplace", details.text.lower()) and not reading.counts.platforms:
            pool = ("shopee", "tokopedia", "lazada", "tiktok_shop", "blibli")
        wanted = max(1, min(reading.counts.platforms or len(pool), len(pool), 10))
        platforms = list(pool[:wanted])
        said.append(("platforms", f"platform: {names(platforms)}",
                     f"platforms: {names(platforms)}"))  # fmt: skip
    narrow = details.only_stock or details.only_price
    ai = not details.no_ai and not narrow
    width, height = details.image_size or (1200, 1200)
    optimization: dict[str, Any] = {"optimize_titles": ai, "optimize_descriptions": ai,
                                    "generate_tags": ai, "platform_specific": ai}  # fmt: skip
    if details.translate:
        optimization["translate"] = "en->id"
    inputs: dict[str, Any] = {
        "products": {"source": "database",
                     "query": "SELECT * FROM products WHERE updated_at > last_sync",
                     "limit": count},
        "platforms": platforms,
        "sync_options": {
            "sync_images": not narrow and not details.no_images,
            "sync_inventory": details.only_stock or not narrow,
            "sync_prices": details.only_price or not narrow,
            "sync_descriptions": not narrow,
            "optimize_for_seo": ai,
            "ai_enhance": ai,
        },
        "image_processing": {"resize": True, "max_width": width, "max_height": height,
                             "compress": True, "quality": details.image_quality or 85,
                             "format": details.image_format or "webp"},
        "ai_optimization": optimization,
    }  # fmt: skip
    change = _PRICE_CHANGE.search(details.text.lower())
    if change:
        n = change.group(1) or change.group(2)
        said.append(("content", f"perubahan harga {n}% tidak dihitung oleh sync: sync mengirim "
                     "harga yang tercatat di katalog — ubah harganya di katalog dulu", f"the {n}% "
                     "price change is not computed by the sync: it sends the prices in your "
                     "catalog — change them there first"))  # fmt: skip
    if narrow:
        what = ("hanya stok", "stock only") if details.only_stock else ("hanya harga",
                                                                         "prices only")
        said.append(("content", f"yang dikirim: {what[0]} (gambar dan deskripsi tidak diubah)",
                     f"what is sent: {what[1]} (images and descriptions unchanged)"))
    else:
        said.append(("content", "yang dikirim: judul, deskripsi, foto, harga dan stok" + (
            " (judul & deskripsi dirapikan AI)" if ai else ""), "what is sent: titles, "
            "descriptions, photos, prices and stock" + (" (titles & descriptions polished by AI)"
                                                         if ai else "")))  # fmt: skip
        if details.image_size is None:
            said.append(("images", "gambar dikecilkan ke maks. 1200×1200, WebP kualitas 85",
                         "images fit within 1200×1200, WebP quality 85"))  # fmt: skip
    return inputs, said
