"""Seeded data: same seed, same shop; different seed, different shop; enough of it."""

from __future__ import annotations

import time
from datetime import date

import httpx
from PIL import Image

from backend.sandbox.data.catalog import products
from backend.sandbox.data.customers import customers
from backend.sandbox.data.posts import posts_between
from backend.sandbox.data.prices import competitor_offers
from backend.sandbox.data.series import orders_for_day
from backend.sandbox.state import SandboxState
from tests.sandbox_fixture import SandboxHandle, start_sandbox


def test_same_seed_same_answers_over_http(tmp_path, sandbox: SandboxHandle) -> None:
    other = start_sandbox(seed=42, data_dir=tmp_path)
    try:
        paths = [
            "/market/shopee/search?sku=PROD001,PROD777",
            "/crm/api/v1/customers?per_page=50&page=7",
            "/crm/api/v1/customers/CUST04242",
        ]
        for path in paths:
            headers = {"X-API-Key": "sandbox-crm-api-key"}
            a = httpx.get(sandbox.base_url + path, headers=headers).json()
            b = httpx.get(other.base_url + path, headers=headers).json()
            a.pop("observed_at", None), b.pop("observed_at", None)
            assert a == b, path
    finally:
        other.stop()


def test_different_seed_different_shop() -> None:
    assert [p.name for p in products(1)[:20]] != [p.name for p in products(2)[:20]]
    assert customers(1)[0]["name"] != customers(2)[0]["name"] or (
        customers(1)[0]["phone"] != customers(2)[0]["phone"]
    )


def test_volumes_are_those_the_jobs_need() -> None:
    catalog = products(42)
    assert len(catalog) >= 1000 and len({p.sku for p in catalog}) == len(catalog)
    assert all(p.cost < p.price for p in catalog) and all(p.image_count >= 3 for p in catalog)
    people = customers(42)
    assert len(people) == 10_000
    segments = {c["segment_hint"] for c in people}
    assert segments == {"vip", "regular", "new", "dormant"}
    assert {c["preferred_channel"] for c in people} == {"whatsapp", "telegram", "email", "sms"}
    orders = orders_for_day(42, "shopee", date(2026, 11, 11))
    assert len(orders) > 1000  # 11.11 is a double-date sale
    assert all(o["total"] == o["subtotal"] - o["discount"] + o["shipping_fee"] for o in orders)


def test_a_bigger_crm_begins_with_the_seed_customers(client: httpx.Client) -> None:
    headers = {"X-API-Key": "sandbox-crm-api-key"}
    seed_page = client.get("/crm/api/v1/customers?per_page=1000&page=3", headers=headers).json()
    assert client.post("/_admin/crm", json={"customers": 25_000}).json() == {"customers": 25_000}
    grown = client.get("/crm/api/v1/customers?per_page=1000&page=3", headers=headers).json()
    assert grown["data"] == seed_page["data"]  # the first 10,000 stay the seed's
    assert grown["meta"]["total"] == 25_000
    last = client.get("/crm/api/v1/customers?per_page=1000&page=25", headers=headers).json()
    ids = [c["id"] for c in last["data"]]
    assert len(ids) == 1000 and ids[-1] == "CUST25000" and last["meta"]["next_page"] is None
    assert client.get("/crm/api/v1/customers/CUST24999", headers=headers).status_code == 200
    for bad in (9_999, 1_000_001, "many", None):
        assert client.post("/_admin/crm", json={"customers": bad}).status_code == 400
    client.post("/_admin/reset")
    again = client.get("/crm/api/v1/customers?per_page=10", headers=headers).json()
    assert again["meta"]["total"] == 10_000


def test_competitor_prices_move_over_time_but_not_within_a_step() -> None:
    now = 1_795_700_000.0
    step_start = now - now % 300
    a = competitor_offers(42, platform="shopee", sku="PROD010", now=step_start + 1)
    b = competitor_offers(42, platform="shopee", sku="PROD010", now=step_start + 299)
    assert a == b
    later = [
        competitor_offers(42, platform="shopee", sku="PROD010", now=now + k * 3600)
        for k in range(1, 7)
    ]
    assert len({tuple(o["price"] for o in offers) for offers in later}) > 1
    assert all(0.6 < o["price"] / products(42)[9].price < 1.4 for o in a)


def test_generated_text_reads_like_indonesian_shoppers() -> None:
    state = SandboxState(seed=42)
    posts = posts_between(
        42,
        "twitter",
        "@brand",
        epoch=state.started_at,
        after_ms=0,
        until=state.started_at,
        limit=300,
    )
    text = " ".join(p["text"] for p in posts)
    assert any(w in text for w in ("bgt", "gak", "kak")) and any(ord(c) > 0x1F000 for c in text)
    assert {p["sentiment_hint"] for p in posts} == {"positive", "neutral", "negative"}


def test_product_images_are_multi_megapixel_jpegs_cached_on_disk(
    sandbox: SandboxHandle, tmp_path
) -> None:
    url = f"{sandbox.base_url}/img/PROD042/2.jpg"
    t0 = time.perf_counter()
    first = httpx.get(url, timeout=30)
    cold = time.perf_counter() - t0
    assert first.status_code == 200 and first.headers["content-type"] == "image/jpeg"
    path = tmp_path / "p.jpg"
    path.write_bytes(first.content)
    with Image.open(path) as im:
        assert im.format == "JPEG" and im.width * im.height >= 4_000_000
    t0 = time.perf_counter()
    second = httpx.get(url, timeout=30)
    assert second.content == first.content
    assert time.perf_counter() - t0 < max(cold, 0.05)
    assert httpx.get(f"{sandbox.base_url}/img/PROD042/9.jpg").status_code == 404


def test_image_warmup_renders_ahead(client, sandbox: SandboxHandle) -> None:
    started = client.post("/_admin/images/warm", json={"products": 2}).json()
    assert started["total"] == sum(p.image_count for p in products(42)[:2])
    deadline = time.monotonic() + 60
    while client.get("/_admin/images/warm").json()["running"]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert client.get("/_admin/images/warm").json()["done"] == started["total"]
    t0 = time.perf_counter()
    assert client.get("/img/PROD002/3.jpg").status_code == 200
    assert time.perf_counter() - t0 < 2.0  # served from the cache, not rendered


def test_photos_per_product_can_be_set_for_a_benchmark(client, sandbox: SandboxHandle) -> None:
    key = {"X-API-Key": "sandbox-website-api-key"}

    def first() -> dict:  # the PIM's first product (oldest change)
        return client.get("/pim/api/v1/products", params={"updated_since": 0, "per_page": 1},
                          headers=key).json()["data"][0]

    seeded = next(p for p in products(42) if p.sku == first()["sku"])
    assert seeded.image_count < 5  # so that 5 is a change

    def pim_images() -> list[str]:
        return first()["images"]

    assert len(pim_images()) == seeded.image_count
    assert client.post("/_admin/images/photos", json={"per_product": 5}).status_code == 200
    assert len(pim_images()) == 5
    assert client.get(f"/img/{seeded.sku}/5.jpg").status_code == 200
    assert client.get(f"/img/{seeded.sku}/6.jpg").status_code == 404
    assert client.post("/_admin/images/photos", json={"per_product": 11}).status_code == 400
    client.post("/_admin/reset").raise_for_status()  # back to the seeded counts
    assert len(pim_images()) == seeded.image_count


def test_a_grown_shop_keeps_the_seed_s_products() -> None:
    from backend.sandbox.data.catalog import PRODUCT_COUNT, set_catalog_size

    seed = products(42)
    try:
        set_catalog_size(3000)
        grown = products(42)
        assert len(grown) == 3000 and grown[:PRODUCT_COUNT] == seed
        assert grown[-1].sku == "PROD3000"
    finally:
        set_catalog_size(PRODUCT_COUNT)
    assert products(42) == seed
