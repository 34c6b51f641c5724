"""Market data, CRM, ads, analytics and social connectors against the sandbox."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.connectors.base import AuthFailed, RateLimited, TransientError
from backend.connectors.crm import CrmConfig, CrmConnector
from backend.connectors.facebook_ads import FacebookAdsConfig, FacebookAdsConnector
from backend.connectors.google_ads import GoogleAdsConfig, GoogleAdsConnector
from backend.connectors.google_analytics import GoogleAnalyticsConfig, GoogleAnalyticsConnector
from backend.connectors.google_api import GoogleOAuthConfig
from backend.connectors.market import MarketConfig, MarketConnector
from backend.connectors.shopee import ShopeeConfig, ShopeeConnector
from backend.connectors.social import SocialConfig, SocialConnector
from backend.connectors.tiktok_ads import TikTokAdsConfig, TikTokAdsConnector
from tests.connectors.platform_support import admin, client, sandbox, sandbox_handle

__all__ = ["client", "sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio

YESTERDAY = date.today() - timedelta(days=1)
WEEK_AGO = YESTERDAY - timedelta(days=6)


def _oauth(base: str) -> GoogleOAuthConfig:
    return GoogleOAuthConfig(token_url=f"{base}/google/oauth2/token")


async def test_competitor_prices_move_with_the_clock(sandbox, client) -> None:
    market = MarketConnector(
        client=client, config=MarketConfig(base_url=f"{sandbox.base_url}/market")
    )
    skus = [f"PROD{i:03d}" for i in range(1, 21)]
    before = await market.competitor_prices("shopee", skus)
    assert {q.seller for q in before} >= {"competitor_a", "competitor_b"}
    assert all(q.platform == "shopee" and q.price > 0 and q.currency == "IDR" for q in before)
    again = await market.competitor_prices("shopee", skus)
    assert [q.price for q in again] == [q.price for q in before]  # same 5-minute step
    admin(sandbox, "clock", {"advance_sec": 3 * 3600})
    later = await market.competitor_prices("shopee", skus)
    moved = sum(a.price != b.price for a, b in zip(before, later, strict=True))
    assert moved > len(before) // 2
    only_a = await market.competitor_prices("tokopedia", ["PROD001"], seller="competitor_a")
    assert {q.seller for q in only_a} <= {"competitor_a"}


async def test_shop_stats_and_orders_page_through_a_day(sandbox, client) -> None:
    market = MarketConnector(
        client=client, config=MarketConfig(base_url=f"{sandbox.base_url}/market")
    )
    stats = await market.daily_stats("shopee", start=WEEK_AGO, end=YESTERDAY)
    assert [s.day for s in stats] == [WEEK_AGO + timedelta(days=i) for i in range(7)]
    expected = int(stats[-1].metrics["orders"])
    seen, cursor = 0, None
    while True:
        page = await market.orders("shopee", day=YESTERDAY, cursor=cursor, limit=300)
        seen += len(page.items)
        assert all(
            o.created_at.date() in (YESTERDAY, YESTERDAY - timedelta(days=1)) for o in page.items
        )
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected == page.total


async def test_crm_customers_have_consent_and_histories(sandbox, client) -> None:
    crm = CrmConnector(client=client, config=CrmConfig(base_url=f"{sandbox.base_url}/crm/api/v1"))
    page = await crm.customers(page_size=1000)
    assert page.total == 10_000 and len(page.items) == 1000 and page.next_cursor == "2"
    first = page.items[0]
    assert first.customer_id == "CUST00001" and first.phone and first.phone.startswith("+628")
    assert set(first.consent) == {"whatsapp", "telegram", "email", "sms"}
    vips = await crm.customers(segment="vip", consent="whatsapp", page_size=1000)
    assert vips.items and all(c.segment_hint == "vip" and c.consent["whatsapp"] for c in vips.items)
    assert any(c.purchase_history for c in vips.items)
    metrics = await crm.daily_metrics(start=WEEK_AGO, end=YESTERDAY)
    assert len(metrics) == 7 and all(m.metrics["new_customers"] > 0 for m in metrics)


async def test_ads_platforms_report_every_ad_group_every_day(sandbox, client) -> None:
    base = sandbox.base_url
    fb = FacebookAdsConnector(client=client, config=FacebookAdsConfig(base_url=base))
    ga = GoogleAdsConnector(
        client=client, config=GoogleAdsConfig(base_url=f"{base}/google/ads/v17", oauth=_oauth(base))
    )
    tt = TikTokAdsConnector(
        client=client, config=TikTokAdsConfig(base_url=f"{base}/tiktok-ads/open_api/v1.3")
    )
    for conn, size in ((fb, 50), (ga, 40), (tt, 30)):  # small pages: paging must work
        rows = await conn.daily_rows(start=WEEK_AGO, end=YESTERDAY, page_size=size)
        assert len(rows) == 7 * 32, conn.platform
        assert {r.day for r in rows} == {WEEK_AGO + timedelta(days=i) for i in range(7)}
        assert sum(r.spend for r in rows) > 0 and all(r.clicks <= r.impressions for r in rows)


async def test_google_ads_refreshes_an_expired_token(sandbox, client) -> None:
    conn = GoogleAdsConnector(
        client=client,
        config=GoogleAdsConfig(
            base_url=f"{sandbox.base_url}/google/ads/v17", oauth=_oauth(sandbox.base_url)
        ),
    )
    admin(sandbox, "tokens/expire", {"platform": "google_ads"})
    rows = await conn.daily_rows(start=YESTERDAY, end=YESTERDAY)
    assert len(rows) == 32 and conn.tokens.refreshes == 1


async def test_google_analytics_groups_by_requested_dimensions(sandbox, client) -> None:
    conn = GoogleAnalyticsConnector(
        client=client,
        config=GoogleAnalyticsConfig(
            base_url=f"{sandbox.base_url}/google/analytics/v1beta", oauth=_oauth(sandbox.base_url)
        ),
    )
    by_day = await conn.report(
        start=WEEK_AGO,
        end=YESTERDAY,
        dimensions=["date"],
        metrics=["sessions", "totalUsers", "bounceRate"],
    )
    assert len(by_day) == 7
    assert all(
        0 < r.metrics["bounceRate"] < 1 and r.metrics["totalUsers"] <= r.metrics["sessions"]
        for r in by_day
    )
    detail = await conn.report(
        start=YESTERDAY,
        end=YESTERDAY,
        dimensions=["sessionSourceMedium", "deviceCategory"],
        metrics=["sessions"],
        page_size=10,
    )
    assert len(detail) == 36
    day_total = next(r for r in by_day if r.dimensions["date"] == f"{YESTERDAY:%Y%m%d}")
    assert sum(r.metrics["sessions"] for r in detail) == day_total.metrics["sessions"]


async def _drain(social, platform, account, since):
    """Poll until caught up, like the crisis monitor does each tick."""
    posts = []
    while True:
        page = await social.new_posts(platform, account, since=since, limit=100)
        posts += page.items
        since = page.next_cursor
        if len(page.items) < 100:
            return posts, since


async def test_social_polling_sees_only_new_posts_and_the_crisis(sandbox, client) -> None:
    social = SocialConnector(client=client, config=SocialConfig(base_url=sandbox.base_url))
    accounts = {
        "twitter": "@brand",
        "instagram": "brand_official",
        "tiktok": "@brand",
        "facebook": "BrandPage",
    }
    cursors = {}
    for platform, account in accounts.items():
        posts, cursors[platform] = await _drain(social, platform, account, None)
        assert posts and all(p.platform == platform and p.text for p in posts)
        assert max(p.shares for p in posts) < 1000  # a quiet stream before the crisis
    admin(sandbox, "crisis/replay", {"count": 30, "over_sec": 0})
    for platform, account in accounts.items():
        posts, cursor = await _drain(social, platform, account, cursors[platform])
        ids = [p.post_id for p in posts]
        assert len(ids) == len(set(ids)) >= 30
        assert max(p.shares for p in posts) >= 25_000  # the viral one
        assert any(p.author_verified and p.author_followers >= 1_000_000 for p in posts)
        again, _ = await _drain(social, platform, account, cursor)
        assert not {p.post_id for p in again} & set(ids)


async def test_social_first_poll_starts_at_start_time(sandbox, client) -> None:
    """Before a cursor exists each API reads back to its own start parameter; the brand's
    busy accounts post every 1.2 s, so 2 minutes hold ~100 posts, 10 minutes ~500."""
    from datetime import UTC, datetime

    social = SocialConnector(client=client, config=SocialConfig(base_url=sandbox.base_url))
    for platform, account in (("twitter", "@brand"), ("instagram", "brand_official"),
                              ("tiktok", "@brand"), ("facebook", "BrandPage")):  # fmt: skip
        for minutes in (2, 10):
            start = datetime.now(UTC) - timedelta(minutes=minutes)
            posts, cursor = [], None
            while True:
                page = await social.new_posts(platform, account, since=cursor,
                                              start_time=start, limit=100)  # fmt: skip
                posts += page.items
                cursor = page.next_cursor
                if len(page.items) < 100:
                    break
            assert abs(len(posts) - minutes * 50) <= 3, (platform, minutes, len(posts))
            assert min(p.created_at for p in posts) >= start - timedelta(seconds=1)
            assert len({p.post_id for p in posts}) == len(posts)


async def test_faults_become_transient_errors(sandbox, client) -> None:
    shop = ShopeeConnector(
        client=client, config=ShopeeConfig(base_url=f"{sandbox.base_url}/shopee")
    )
    admin(sandbox, "faults", {"platforms": {"shopee": {"p_malformed": 1.0}}})
    with pytest.raises(TransientError):
        await shop.list_listings(page_size=2)
    admin(sandbox, "faults", {"platforms": {"shopee": {"p_5xx": 1.0}}})
    with pytest.raises(TransientError) as info:
        await shop.list_listings(page_size=2)
    assert info.value.status in (500, 502, 503)
    admin(sandbox, "faults", {"platforms": {"shopee": {"p_expired_token": 1.0}}})
    with pytest.raises(AuthFailed):  # expired twice in a row: refreshing did not help
        await shop.list_listings(page_size=2)
    admin(sandbox, "faults", {"platforms": {"shopee": None}})
    assert (await shop.list_listings(page_size=2)).items


async def test_market_search_limit_is_per_marketplace(sandbox, client) -> None:
    market = MarketConnector(
        client=client, config=MarketConfig(base_url=f"{sandbox.base_url}/market")
    )
    admin(sandbox, "limits", {"market.search": {"limit": 2, "window_sec": 60}})
    for _ in range(2):
        await market.competitor_prices("lazada", ["PROD001"])
    with pytest.raises(RateLimited):
        await market.competitor_prices("lazada", ["PROD001"])
    assert await market.competitor_prices("blibli", ["PROD001"])  # its own budget


async def test_a_competitor_shop_pages_through_its_catalog(sandbox, client) -> None:
    market = MarketConnector(
        client=client, config=MarketConfig(base_url=f"{sandbox.base_url}/market")
    )
    first = await market.competitor_shop("tokopedia", "competitor_c", page_size=50)
    second = await market.competitor_shop(
        "tokopedia", "competitor_c", cursor=first.next_cursor, page_size=50
    )
    assert len(first.items) == len(second.items) == 50
    assert {q.seller for q in first.items + second.items} == {"competitor_c"}
    assert not {q.sku for q in first.items} & {q.sku for q in second.items}
