"""Which platforms a prompt names, read for the workflow it asks for.

The same word means different things per workflow: "TikTok" is TikTok Shop in a catalog
sync or a price watch, the social network in a crisis watch, and TikTok Ads in "ads spend
FB, Google, TikTok"; "Instagram" is Instagram Shop in a catalog sync.
"""

from __future__ import annotations

import re

from backend.ai.planner_extract import platform_mentions

__all__ = ["platforms_for", "MARKETPLACES", "CATALOG_TARGETS"]

MARKETPLACES = ("shopee", "tokopedia", "lazada", "tiktok_shop", "blibli", "bukalapak")
CATALOG_TARGETS = (*MARKETPLACES, "instagram_shop", "facebook_shop", "website",
                   "google_shopping", "priceza", "idealo")  # fmt: skip
_SOCIAL = ("twitter", "instagram", "facebook", "tiktok", "youtube")
_REVIEWS = ("shopee", "tokopedia", "lazada", "blibli", "tiktok_shop", "bukalapak")
_ADS_WORDS = re.compile(r"\bads?\b|iklan|\bspend\b|\bcampaigns? (?:ads|iklan)|roas|\bcpc\b")
_SALES_WORDS = re.compile(r"penjualan|\bsales\b|omzet|\borders?\b|pesanan|revenue|toko|shop\b")
_BI = {"instagram_shop": "instagram", "facebook_shop": "facebook"}


def _bare_for_bi(name: str, t: str, pos: int) -> str:
    """A bare 'facebook'/'google'/'tiktok' in a report: its ads, its shop or its page."""
    before = t[max(0, pos - 30) : pos]
    after = t[pos : pos + 40]
    ads = _ADS_WORDS.search(before) or re.match(r"\w+\s+(?:ads|iklan)", after)
    sales = _SALES_WORDS.search(before)
    if ads and not (sales and sales.start() > ads.start()):
        return {"facebook": "facebook_ads", "google": "google_ads", "tiktok": "tiktok_ads",
                "instagram": "facebook_ads"}.get(name, name)  # fmt: skip
    if name == "tiktok" and (sales or not _ADS_WORDS.search(t)):
        return "tiktok_shop" if sales else "tiktok"
    if name == "google":
        return "google_ads" if _ADS_WORDS.search(t) else "google_analytics"
    return name


def platforms_for(kind: str, t: str) -> list[str]:
    """The platforms normalised text ``t`` names, as ``kind``'s spec spells them."""
    out: list[str] = []
    # A catalog's source platform ("dari Shopee ke Lazada") stays in the list: the sync
    # pushes the seller's own catalog, so the platform it was copied from is kept in step too.
    for pos, name in platform_mentions(t):
        if kind == "price_intelligence":
            name = {"tiktok": "tiktok_shop"}.get(name, name)
            keep = name in MARKETPLACES
        elif kind == "catalog_sync":
            name = {"tiktok": "tiktok_shop", "instagram": "instagram_shop",
                    "facebook": "facebook_shop", "google": "google_shopping"}.get(name, name)
            keep = name in CATALOG_TARGETS
        elif kind == "bi_report":
            name = _BI.get(name, name)
            if name in ("facebook", "google", "tiktok", "instagram"):
                name = _bare_for_bi(name, t, pos)
            keep = True
        elif kind == "crisis_monitor":
            name = {"instagram_shop": "instagram", "facebook_shop": "facebook"}.get(name, name)
            keep = name in _SOCIAL or name in _REVIEWS
        else:
            keep = False
        if keep and name not in out:
            out.append(name)
    return out
