"""Category, variants and the listing fields the marketplaces' product APIs carry: what
the catalog sync builds reaches Shopee, TikTok Shop and Lazada and reads back the same;
a category outside the platform's tree is refused, as the real APIs refuse it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from backend.connectors.base import Rejected
from backend.workflows.catalog.listings import build_listing
from backend.workflows.catalog.rules import DEFAULT_CATEGORY_MAP, parse_sync_inputs
from tests.connectors.platform_support import admin, client, sandbox, sandbox_handle
from tests.connectors.test_catalog_connectors import _connector
from tests.workflows.conftest import seed_spec

__all__ = ["client", "sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio

MARKETPLACES = ["shopee", "tiktok_shop", "tokopedia", "lazada"]
SHIRT = {"sku": "NEW-KAOS-04", "name": "Batavia Kaos Polo Katun", "brand": "Batavia",
         "category": "Fashion Pria", "description": "Kaos polo katun combed 30s.",
         "price": 119_000, "cost": 60_000,
         "variants": [{"sku": "NEW-KAOS-04-S", "name": "S", "stock": 5},
                      {"sku": "NEW-KAOS-04-M", "name": "M", "stock": 7},
                      {"sku": "NEW-KAOS-04-L", "name": "L", "stock": 3}]}  # fmt: skip


def _listing(platform: str, product: dict = SHIRT):
    inputs = parse_sync_inputs(seed_spec("product-catalog-sync")["inputs"])
    listing, _ = build_listing(product, platform, images=[], inputs=inputs)
    return listing


@pytest.mark.parametrize("platform", MARKETPLACES)
async def test_category_reaches_the_platform_and_reads_back(platform, sandbox, client) -> None:
    conn = _connector(platform, sandbox, client)
    listing = _listing(platform)
    assert listing.category_id == DEFAULT_CATEGORY_MAP[platform]["Fashion Pria"]
    await conn.upsert_listing(listing, idempotency_key=f"t:{platform}:v1")
    got = await conn.get_listing(SHIRT["sku"])
    assert got is not None and got.category_id == listing.category_id
    # A category of ours the job does not map goes to the platform's catch-all.
    other = _listing(platform, {**SHIRT, "category": "Otomotif"})
    assert other.category_id == DEFAULT_CATEGORY_MAP[platform]["*"]


@pytest.mark.parametrize("platform", MARKETPLACES)
async def test_a_category_outside_the_platforms_tree_is_refused(platform, sandbox, client):
    conn = _connector(platform, sandbox, client)
    with pytest.raises(Rejected, match="categor"):
        await conn.upsert_listing(replace(_listing(platform), category_id="999999"),
                                  idempotency_key=f"t:{platform}:bad")  # fmt: skip
    assert await conn.get_listing(SHIRT["sku"]) is None


async def test_shopee_variants_are_a_tier_of_models_with_their_own_stock(sandbox, client):
    conn = _connector("shopee", sandbox, client)
    listing = _listing("shopee")
    # The safety stock (2) comes off the fullest size; the sizes add up to the item.
    assert [(v.sku, v.option, v.stock) for v in listing.variants] == [
        ("NEW-KAOS-04-S", "S", 5), ("NEW-KAOS-04-M", "M", 5), ("NEW-KAOS-04-L", "L", 3)]
    assert listing.stock == 13 and {v.price for v in listing.variants} == {listing.price}
    await conn.upsert_listing(listing, idempotency_key="t:shopee:v1")
    got = await conn.get_listing(SHIRT["sku"])
    assert got is not None and got.variants == listing.variants and got.stock == 13

    # A size sells out in the shop: the update replaces the models, not adds to them.
    sold = {**SHIRT, "variants": [{**v, "stock": 0} if v["name"] == "L" else v
                                  for v in SHIRT["variants"]]}  # fmt: skip
    again = _listing("shopee", sold)
    await conn.upsert_listing(again, idempotency_key="t:shopee:v2")
    got = await conn.get_listing(SHIRT["sku"])
    assert got is not None and [v.stock for v in got.variants] == [5, 5, 0]
    assert got.stock == 10
    counters = admin(sandbox, "counters")
    assert counters["listing_writes"]["shopee"] == {SHIRT["sku"]: 2}
    assert counters["variant_writes"]["shopee"] == {SHIRT["sku"]: 2}


async def test_shopee_refuses_a_second_init_of_variants(sandbox, client):
    conn = _connector("shopee", sandbox, client)
    await conn.upsert_listing(_listing("shopee"), idempotency_key="t:shopee:v1")
    item_id = int((await conn.get_listing(SHIRT["sku"])).listing_id)
    body = {"item_id": item_id, "tier_variation": [{"name": "Size", "option_list": [
        {"option": "S"}]}], "model": [{"tier_index": [0], "model_sku": "X", "original_price": 1}]}
    with pytest.raises(Rejected, match="already exists"):
        await conn._call("POST", "/api/v2/product/init_tier_variation", json=body)


async def test_shopee_prices_an_item_with_variants_model_by_model(sandbox, client):
    await _connector("shopee", sandbox, client).upsert_listing(
        _listing("shopee"), idempotency_key="t:shopee:v1")
    # A fresh connector (as a repricing run has) does not know the item has variants: its
    # first try names model 0, which Shopee refuses for such an item; then model by model.
    conn = _connector("shopee", sandbox, client)
    await conn.update_price(SHIRT["sku"], 125_000, idempotency_key="t:shopee:price")
    got = await conn.get_listing(SHIRT["sku"])
    assert got is not None and got.price == 125_000
    assert {v.price for v in got.variants} == {125_000} and len(got.variants) == 3
    # Known now: the next change goes straight to the models.
    before = admin(sandbox, "counters")["requests"]["shopee"]
    await conn.update_price(SHIRT["sku"], 126_000, idempotency_key="t:shopee:price2")
    assert admin(sandbox, "counters")["requests"]["shopee"] - before == 1
    # One total cannot say how many of each size: refused, and nothing changes.
    with pytest.raises(Rejected, match="per variant"):
        await _connector("shopee", sandbox, client).update_stock(
            SHIRT["sku"], 99, idempotency_key="t:shopee:stock")
    got = await conn.get_listing(SHIRT["sku"])
    assert got is not None and got.stock == 13 and [v.stock for v in got.variants] == [5, 5, 3]
    # The raw call with model 0 is refused by Shopee for such an item.
    body = {"item_id": int(got.listing_id), "price_list": [{"model_id": 0,
                                                            "original_price": 1000}]}
    data = await conn._call("POST", "/api/v2/product/update_price", json=body)
    assert data["response"]["success_list"] == []
    assert "variations" in data["response"]["failure_list"][0]["failed_reason"]


async def test_a_wrong_size_stock_on_shopee_is_repaired_size_by_size(sandbox, client):
    from types import SimpleNamespace

    from backend.workflows.catalog.listings import _difference, _repair

    conn = _connector("shopee", sandbox, client)
    listing = _listing("shopee")
    await conn.upsert_listing(listing, idempotency_key="t:shopee:v1")
    # Someone changes the sizes' stock in the seller centre.
    await conn.update_variant_stock(SHIRT["sku"], {"NEW-KAOS-04-S": 0, "NEW-KAOS-04-M": 1,
                                                   "NEW-KAOS-04-L": 9}, idempotency_key="t:hand")
    got = await conn.get_listing(SHIRT["sku"])
    assert got is not None and [v.stock for v in got.variants] == [0, 1, 9] and got.stock == 10
    # Verify's repair writes each size back, not one total the item cannot hold.
    inputs = parse_sync_inputs(seed_spec("product-catalog-sync")["inputs"])
    want = {"sku": SHIRT["sku"], "price": listing.price, "stock": listing.stock,
            "key": "t:want", "variants": [[v.sku, v.stock] for v in listing.variants]}
    reason = _difference([got], want, inputs)
    assert reason == "stock 10 instead of 13"
    logs: list[str] = []
    ctx = SimpleNamespace(log=lambda message, **_: logs.append(message),  # the run's log
                          run_id=1)
    assert await _repair(conn, "shopee", SHIRT["sku"], want, reason, inputs, ctx) is None
    got = await conn.get_listing(SHIRT["sku"])
    assert got is not None and [v.stock for v in got.variants] == [5, 5, 3] and got.stock == 13
    from backend.core.messages import render_message

    assert [render_message(line, "en") for line in logs] == [
        f"shopee {SHIRT['sku']}: stock 10 instead of 13; fixed"]
    assert [render_message(line, "id") for line in logs] == [
        f"shopee {SHIRT['sku']}: stok 10, seharusnya 13; diperbaiki"]
    with pytest.raises(Rejected, match="no variant NEW-KAOS-04-XL"):
        await conn.update_variant_stock(SHIRT["sku"], {"NEW-KAOS-04-XL": 1})


async def test_tags_reach_the_website_field_and_shopee_as_hashtags(sandbox, client) -> None:
    website = _listing("website")
    assert 1 <= len(website.tags) <= 20
    conn = _connector("website", sandbox, client)
    await conn.upsert_listing(website, idempotency_key="t:website:tags")
    got = await conn.get_listing(SHIRT["sku"])
    assert got is not None and got.tags == website.tags
    # Shopee has no keyword field: its search reads up to 18 hashtags in the description,
    # which stays within Shopee's 3,000 characters however long the copy is.
    shopee = _listing("shopee")
    line = shopee.description.rsplit("\n", 1)[-1]
    assert line.startswith("#") and line.count("#") == min(18, len(shopee.tags))
    assert all(" " not in tag for tag in line.split(" #"))
    long = _listing("shopee", {**SHIRT, "description": "Katun lembut nyaman " * 400})
    assert len(long.description) <= 3000 and long.description.rsplit("\n", 1)[-1] == line
    assert "#" not in _listing("lazada").description


async def test_the_website_refuses_tags_that_are_not_a_short_list(sandbox, client) -> None:
    conn = _connector("website", sandbox, client)
    with pytest.raises(Rejected, match="tags"):
        await conn.upsert_listing(replace(_listing("website"), tags=("x" * 51,)),
                                  idempotency_key="t:website:bad-tags")
