"""Catalog sync's rules: prices that keep the margin after platform fees, stock with a
safety buffer, and the job's inputs as the seed and the planner write them."""

from __future__ import annotations

import pytest

from backend.core.errors import NonRetryableError
from backend.workflows.catalog.rules import parse_sync_inputs, platform_price, stock_to_push
from tests.workflows.conftest import seed_spec

FEES = {"shopee": 0.08, "website": 0.0}


def test_fee_is_passed_on_and_rounded_to_a_shop_price():
    product = {"price": 150_000, "cost": 60_000}
    price = platform_price(product, "shopee", fees=FEES, min_margin_pct=10)
    assert price == 163_900  # 150,000 / 0.92 = 163,043 -> the next ...900
    assert platform_price(product, "website", fees=FEES, min_margin_pct=10) == 150_000


@pytest.mark.parametrize("platform", ["shopee", "website"])
def test_what_the_shop_keeps_covers_cost_and_margin(platform):
    product = {"price": 100_000, "cost": 95_000}  # a thin-margin product
    price = platform_price(product, platform, fees=FEES, min_margin_pct=10)
    kept = price * (1 - FEES[platform])
    assert kept - product["cost"] >= 0.10 * price and str(price).endswith("900")


def test_stock_keeps_a_safety_buffer_and_never_goes_negative():
    assert stock_to_push({"stock": 50}, safety_stock=2) == 48
    assert stock_to_push({"stock": 1}, safety_stock=2) == 0
    sized = {"stock": 999, "variants": [{"stock": 3}, {"stock": 4}, {"stock": 5}]}
    assert stock_to_push(sized, safety_stock=2) == 10  # the variants are the shelf


def test_seed_inputs_parse_and_unknown_platforms_are_refused():
    inputs = parse_sync_inputs(seed_spec("product-catalog-sync")["inputs"])
    assert len(inputs.platforms) == 10 and inputs.limit == 1000
    assert (inputs.image_width, inputs.image_height, inputs.image_quality,
            inputs.image_format) == (1200, 1200, 85, "webp")
    with pytest.raises(NonRetryableError, match="unknown"):
        parse_sync_inputs({"platforms": ["shopee", "myspace"]})
