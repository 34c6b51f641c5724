"""Ads and web-analytics history: daily rows per campaign/ad group and per traffic slice."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from backend.sandbox.data.rng import rng_for
from backend.sandbox.data.series import demand_factor

__all__ = ["campaigns", "ad_rows", "ga_rows", "GA_DIMENSIONS", "GA_METRICS"]

_CAMPAIGNS = (
    "BF2026 - Retargeting",
    "Always On - Prospecting",
    "Katalog DPA - Fashion",
    "Payday 25 - Promo",
    "Brand Awareness - Video",
    "Flash Sale 12.12",
    "Search - Brand Keywords",
    "Lookalike Pembeli 1%",
)
_ADGROUPS = (
    "Jabodetabek 18-34",
    "Jawa Timur 25-44",
    "Interest Belanja Online",
    "Pengunjung 30 Hari",
)
_PROFILE = {  # (daily budget IDR, ctr, cpc IDR, conversion rate)
    "facebook_ads": (1_500_000, 0.012, 1_800, 0.028),
    "google_ads": (2_000_000, 0.035, 2_600, 0.041),
    "tiktok_ads": (1_200_000, 0.009, 900, 0.019),
}
_SOURCES = (
    "google / organic",
    "google / cpc",
    "facebook / paid_social",
    "instagram / social",
    "tiktok / paid_social",
    "(direct) / (none)",
    "shopee / referral",
    "whatsapp / messaging",
    "email / newsletter",
    "telegram / messaging",
    "bing / organic",
    "youtube / video",
)
_DEVICES = (("mobile", 0.78), ("desktop", 0.18), ("tablet", 0.04))
_PAGES = (
    "/",
    "/promo/black-friday",
    "/kategori/fashion-wanita",
    "/kategori/elektronik",
    "/kategori/kecantikan",
    "/kategori/rumah-tangga",
    "/kategori/makanan-minuman",
    "/produk/prod001",
    "/produk/prod002",
    "/produk/prod017",
    "/produk/prod042",
    "/keranjang",
    "/checkout",
    "/blog/tips-belanja-hemat",
    "/flash-sale",
    "/kategori/olahraga",
    "/kategori/ibu-bayi",
    "/produk/prod108",
    "/tentang-kami",
    "/lacak-pesanan",
)
GA_DIMENSIONS = ("date", "sessionSourceMedium", "deviceCategory", "landingPage")
GA_METRICS = (
    "sessions",
    "totalUsers",
    "newUsers",
    "screenPageViews",
    "bounceRate",
    "conversions",
    "purchaseRevenue",
    "sessionConversionRate",
)


@functools.lru_cache(maxsize=8)
def campaigns(seed: int, platform: str) -> tuple[dict[str, Any], ...]:
    """Campaigns and ad groups of one ads platform."""
    rng = rng_for(seed, "campaigns", platform)
    base = {"facebook_ads": 23850000000, "google_ads": 18110000, "tiktok_ads": 17700000000}
    out = []
    for c, cname in enumerate(_CAMPAIGNS):
        cid = base.get(platform, 1000) + c * 1000 + rng.randint(1, 999)
        for g, gname in enumerate(_ADGROUPS):
            out.append(
                {
                    "campaign_id": str(cid),
                    "campaign_name": cname,
                    "adgroup_id": str(cid * 10 + g),
                    "adgroup_name": gname,
                    "weight": rng.uniform(0.3, 1.7),
                }
            )
    return tuple(out)


def ad_rows(seed: int, platform: str, day: date) -> list[dict[str, Any]]:
    """One row per ad group for ``day``: spend, impressions, clicks, conversions, revenue."""
    budget, ctr, cpc, cvr = _PROFILE[platform]
    rng = rng_for(seed, "ads", platform, day.isoformat())
    f = demand_factor(day)
    rows = []
    for g in campaigns(seed, platform):
        spend = budget / 32 * g["weight"] * f * rng.uniform(0.7, 1.3)
        clicks = int(spend / (cpc * rng.uniform(0.8, 1.25)))
        impressions = int(clicks / (ctr * rng.uniform(0.7, 1.3)))
        conversions = int(clicks * cvr * f**0.5 * rng.uniform(0.5, 1.5))
        revenue = conversions * rng.uniform(160_000, 420_000)
        rows.append(
            {
                "date": day.isoformat(),
                "campaign_id": g["campaign_id"],
                "campaign_name": g["campaign_name"],
                "adgroup_id": g["adgroup_id"],
                "adgroup_name": g["adgroup_name"],
                "spend": round(spend, 2),
                "impressions": impressions,
                "clicks": clicks,
                "conversions": conversions,
                "revenue": round(revenue, 2),
            }
        )
    return rows


@functools.lru_cache(maxsize=128)
def ga_rows(seed: int, day: date) -> tuple[tuple[Any, ...], ...]:
    """(source_medium, device, landing_page, sessions, users, new_users, page_views,
    bounces, conversions, revenue) for every slice of ``day``: 720 rows a day."""
    rng = rng_for(seed, "ga", day.isoformat())
    f = demand_factor(day)
    out = []
    for s_i, source in enumerate(_SOURCES):
        s_weight = 1.0 / (1 + s_i * 0.45)
        for device, d_share in _DEVICES:
            for p_i, page in enumerate(_PAGES):
                sessions = int(
                    900 * f * s_weight * d_share / (1 + p_i * 0.3) * rng.uniform(0.6, 1.4)
                )
                users = int(sessions * rng.uniform(0.78, 0.95))
                new_users = int(users * rng.uniform(0.3, 0.7))
                views = int(sessions * rng.uniform(1.5, 4.5))
                bounces = int(sessions * rng.uniform(0.25, 0.65))
                conversions = int(sessions * rng.uniform(0.005, 0.04))
                revenue = conversions * rng.uniform(150_000, 400_000)
                out.append(
                    (
                        source,
                        device,
                        page,
                        sessions,
                        users,
                        new_users,
                        views,
                        bounces,
                        conversions,
                        round(revenue),
                    )
                )
    return tuple(out)
