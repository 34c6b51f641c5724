"""Copywriting, EN->ID translation, pricing advice and BI insights: offline and LLM paths."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.ai.advice import margin_floor, pricing_advice
from backend.ai.copywriting import SMS_LIMIT, discount_code, personalize_message
from backend.ai.insights import bi_insights
from backend.ai.product_copy import PLATFORM_RULES, product_copy
from backend.ai.translate import translate_en_id, translate_title_en_id
from backend.core.config import Settings
from tests.ai.fake_llm_server import running_fake_llm

CUSTOMER = {
    "id": "C0042",
    "name": "Siti Aminah",
    "segment": "vip",
    "purchases": ["Sepatu Lari", "Kaos Olahraga"],
}
CAMPAIGN = {
    "name": "Black Friday 2026",
    "discount_range": "30-70%",
    "end_date": "2026-11-27T23:59:59+07:00",
}
SHOE = {
    "name": "Lightweight Men's Running Shoes",
    "brand": "Stride",
    "description": "Made of breathable mesh, perfect for daily use.",
    "category": "Sepatu Olahraga",
    "attributes": {"color": "Black", "size": "42"},
}


@pytest.fixture(scope="module")
def llm_settings():
    with running_fake_llm() as fake:
        yield Settings(llm_base_url=fake.url, llm_api_key="k-test", llm_timeout_sec=5)


def test_discount_codes_are_unique_per_customer_and_stable_across_retries():
    codes = {discount_code(campaign="Black Friday 2026", customer_id=str(i)) for i in range(5000)}
    assert len(codes) == 5000
    again = discount_code(campaign="Black Friday 2026", customer_id="7")
    assert again == discount_code(campaign="Black Friday 2026", customer_id="7")
    assert again.startswith("BF26-")


def test_message_uses_name_segment_history_code_and_tone():
    msg = personalize_message(
        customer=CUSTOMER, campaign=CAMPAIGN, channel="whatsapp", link="https://spio.local/c/1"
    )
    assert "Siti" in msg.text and "VIP" in msg.text and "Kaos Olahraga" in msg.text
    assert msg.code in msg.text and "30-70%" in msg.text and "27/11" in msg.text
    assert "terbatas" in msg.text  # friendly_urgent
    formal = personalize_message(
        customer=CUSTOMER, campaign=CAMPAIGN, channel="email", tone="formal", language="en"
    )
    assert formal.text.startswith("Dear Siti") and formal.subject and "Kind regards" in formal.text
    sms = personalize_message(customer=CUSTOMER, campaign=CAMPAIGN, channel="sms")
    assert len(sms.text) <= SMS_LIMIT and sms.code in sms.text


def test_message_llm_path_and_fallback(llm_settings):
    msg = personalize_message(
        customer=CUSTOMER, campaign=CAMPAIGN, channel="telegram", use_ai=True, settings=llm_settings
    )
    assert msg.engine == "llm" and msg.code in msg.text
    bad = personalize_message(
        customer={**CUSTOMER, "name": "[[invalid]]"},
        campaign=CAMPAIGN,
        channel="telegram",
        use_ai=True,
        settings=llm_settings,
    )
    assert bad.engine == "offline" and "LLM failed" in bad.fallback_reason


def test_translation_of_product_copy():
    assert (
        translate_title_en_id("Lightweight Men's Running Shoes Black")
        == "Sepatu Lari Pria Ringan Hitam"
    )
    assert translate_title_en_id("Nike Air Zoom Men's Running Shoes size 42").endswith("Ukuran 42")
    assert (
        translate_en_id("Made of breathable cotton, perfect for daily use.")
        == "Terbuat dari katun menyerap keringat, cocok untuk pemakaian sehari-hari."
    )
    assert translate_en_id("Stainless steel water bottle") == "Botol minum baja tahan karat"


@pytest.mark.parametrize("platform", sorted(PLATFORM_RULES))
def test_product_copy_respects_each_platform(platform):
    long = {**SHOE, "name": SHOE["name"] + " " + "Extra Comfort Edition " * 12}
    copy = product_copy(long, platform=platform)
    title_limit, desc_limit, tag_limit = PLATFORM_RULES[platform]
    assert 0 < len(copy.title) <= title_limit and len(copy.description) <= desc_limit
    assert 0 < len(copy.tags) <= tag_limit and len(set(copy.tags)) == len(copy.tags)


def test_product_copy_translates_for_indonesian_shops(llm_settings):
    copy = product_copy(SHOE, platform="tokopedia")
    assert copy.title.startswith("Stride Sepatu Lari Pria") and "Hitam" in copy.title
    assert "Terbuat dari" in copy.description and "sepatu olahraga" in copy.tags
    english = product_copy(SHOE, platform="google_shopping", language="en")
    assert "Running Shoes" in english.title
    ai = product_copy(SHOE, platform="shopee", use_ai=True, settings=llm_settings)
    assert ai.engine == "llm" and len(ai.title) <= PLATFORM_RULES["shopee"][0]


def test_pricing_follows_the_seed_rule_with_reasons():
    lower = pricing_advice(
        my_price=150_000, cost=100_000, competitor_prices={"a": 145_000, "b": 149_000, "c": 160_000}
    )
    assert lower.action == "lower" and lower.recommended_price == 137_700  # 145k x 0.95
    assert "145.000" in lower.reasons[0]
    review = pricing_advice(my_price=150_000, cost=120_000, competitor_prices=[130_000])
    assert review.action == "review" and review.recommended_price >= margin_floor(
        cost=120_000, min_margin_percent=15
    )
    assert "margin" in review.reasons[-1]
    capped = pricing_advice(
        my_price=200_000,
        cost=50_000,
        competitor_prices=[120_000],
        max_discount_percent=10,
        language="en",
    )
    assert capped.action == "review" and capped.floor_price == 180_000
    assert "maximum discount 10%" in capped.reasons[-1]
    raise_ = pricing_advice(my_price=150_000, cost=100_000, competitor_prices=[190_000])
    assert raise_.action == "raise" and 150_000 < raise_.recommended_price < 190_000
    outlier = pricing_advice(
        my_price=150_000, cost=100_000, competitor_prices=[9_000, 145_000, 148_000], language="en"
    )
    assert outlier.lowest_competitor == 145_000 and "ignored 1" in outlier.reasons[0]
    assert pricing_advice(my_price=1, cost=1, competitor_prices=[]).action == "keep"


def test_pricing_llm_cannot_break_the_margin_floor(llm_settings):
    ai = pricing_advice(
        my_price=150_000,
        cost=120_000,
        competitor_prices=[130_000],
        use_ai=True,
        settings=llm_settings,
    )
    assert ai.engine == "llm" and ai.recommended_price >= ai.floor_price
    assert ai.reasons[0].startswith("LLM:")


def _month(weekend_boost: float, last_day_factor: float):
    days = [date(2026, 10, 26) + timedelta(days=i) for i in range(31)]
    sales = [(500e6 * weekend_boost if d.weekday() >= 5 else 500e6) for d in days]
    sales[-1] *= last_day_factor
    return days, sales


def test_bi_insights_find_anomalies_trends_and_recommend():
    days, sales = _month(1.4, 0.6)
    channels = {
        "tiktok_ads": {"spend": 10e6, "revenue": 80e6, "prev_spend": 10e6, "prev_revenue": 60e6},
        "facebook_ads": {"spend": 20e6, "revenue": 50e6},
    }
    found = bi_insights(
        metrics={"sales": sales, "visitors": [100_000] * 31},
        dates=days,
        channels=channels,
        language="en",
    )
    assert any("down 40% vs last week" in a for a in found.anomalies)
    assert any("Weekend sales 40% higher" in t for t in found.trends)
    assert "Increase tiktok_ads budget by 30%" in found.recommendations
    assert any("from facebook_ads" in r for r in found.recommendations)
    assert any("stock-outs" in r for r in found.recommendations)
    calm = bi_insights(metrics={"sales": [100.0] * 30}, language="en")
    assert calm.anomalies == [] and calm.trends == []
    rising = bi_insights(metrics={"orders": [100 + 5 * i for i in range(20)]})
    assert any("Pesanan naik" in t for t in rising.trends)


def test_bi_insights_write_numbers_as_their_language_does():
    days, sales = _month(1.4, 0.6)
    channels = {"TikTok Ads": {"spend": 10e6, "revenue": 80e6, "prev_spend": 10e6,
                               "prev_revenue": 60e6},
                "Facebook Ads": {"spend": 20e6, "revenue": 50e6}}  # fmt: skip
    found = {lang: bi_insights(metrics={"sales": sales}, dates=days, channels=channels,
                               language=lang) for lang in ("id", "en")}  # fmt: skip
    id_text = " ".join(found["id"].anomalies + found["id"].recommendations + found["id"].trends)
    en_text = " ".join(found["en"].anomalies + found["en"].recommendations + found["en"].trends)
    assert "Rp 300.000.000" in id_text and "(ROAS 2,5x)" in id_text and "6,0x ke 8,0x" in id_text
    assert "Rp 300,000,000" in en_text and "(ROAS 2.5x)" in en_text and "6.0x to 8.0x" in en_text


def test_bi_insights_llm_path(llm_settings):
    days, sales = _month(1.0, 1.0)
    ai = bi_insights(metrics={"sales": sales}, dates=days, use_ai=True, settings=llm_settings)
    assert ai.engine == "llm" and ai.recommendations == ["LLM: move budget to TikTok ads"]
