"""Price review: flagged changes are approved (at an edited price) or rejected."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from backend.services.price_reviews import flag, flag_many, list_reviews
from tests.e2e.conftest import WebServer, screenshot

pytestmark = pytest.mark.browser


def _flag(sku: str, current: int, target: int) -> None:
    flag(job_id="ui-review", run_id=1, decision={
        "sku": sku, "platform": "shopee", "current_price": current, "target_price": target,
        "floor_price": 140_000, "lowest_competitor": target + 5_000,
        "reasons": [f"cheapest in stock: toko_sebelah at Rp {target + 5_000:,}",
                    "cut larger than max_discount_percent 20%"]})  # fmt: skip


def test_approve_at_another_price_and_reject(admin_page: Page, web_server: WebServer) -> None:
    _flag("PROD001", 200_000, 150_000)
    _flag("PROD002", 250_000, 180_000)
    page = admin_page
    page.goto(f"{web_server.url}/pricing")
    page.get_by_test_id("reviews-product").fill("PROD00")  # other tests' runs flag more
    first = page.locator("[data-review-id='ui-review:PROD001:shopee']")
    expect(first.get_by_test_id("review-sentence")).to_have_text(
        "Turunkan harga PROD001 di Shopee dari Rp 200.000 ke Rp 150.000 (\u221225,0 %): "
        "pesaing termurah Rp 155.000; usulan dibatasi batas bawah Rp 140.000")
    screenshot(page, "price-review")

    first.get_by_test_id("review-price").fill("165000")
    first.get_by_test_id("review-approve").click()
    expect(first).to_have_count(0)  # no longer pending
    second = page.locator("[data-review-id='ui-review:PROD002:shopee']")
    second.get_by_test_id("review-reject").click()
    expect(second).to_have_count(0)

    decided = {r["sku"]: r for r in list_reviews(job_id="ui-review")}
    assert decided["PROD001"]["status"] == "approved"
    assert decided["PROD001"]["target_price"] == 165_000
    assert decided["PROD001"]["decided_by"] == "e2e-admin"
    assert decided["PROD002"]["status"] == "rejected"


def test_99_reviews_read_as_sentences_a_page_at_a_time(admin_page: Page, web_server: WebServer
                                                       ) -> None:  # fmt: skip
    decisions = [{"sku": f"BULK{n:03d}", "platform": platform, "current_price": 150_000,
                  "target_price": 160_900 if n % 3 == 0 else 132_900, "floor_price": 120_900,
                  "lowest_competitor": 139_900, "reasons": ["preview"], "held": "preview"}
                 for n in range(33) for platform in ("shopee", "lazada", "blibli")]
    flag_many(job_id="bulk-pricing", run_id=7, decisions=decisions)
    page = admin_page
    page.goto(f"{web_server.url}/pricing")
    page.get_by_test_id("reviews-product").fill("BULK")
    rows = page.locator("[data-testid=review-row]")
    expect(rows).to_have_count(25)
    expect(page.get_by_text("1–25 dari 99")).to_be_visible()
    first = rows.first.get_by_test_id("review-sentence")
    expect(first).to_contain_text("menunggu persetujuan: run pertama aturan baru")
    height, width = page.evaluate("[document.documentElement.scrollHeight, "
                                  "document.documentElement.scrollWidth]")
    screenshot(page, "price-review-99")
    assert height <= 4 * 900 and width <= 1440, (height, width)  # was 35,839 x 1,487

    page.get_by_role("button", name="Berikutnya").click()
    expect(page.get_by_text("26–50 dari 99")).to_be_visible()
    page.get_by_test_id("reviews-direction").click()
    page.get_by_role("option", name="Naik", exact=True).click()
    expect(page.get_by_text("1–25 dari 33")).to_be_visible()
    expect(page.locator("[data-testid=review-row][data-direction=lower]")).to_have_count(0)

    for n in range(3):
        rows.nth(n).get_by_test_id("review-pick").click()
    page.get_by_test_id("reviews-approve-picked").click()
    expect(page.get_by_test_id("reviews-notice")).to_contain_text("3 usulan disetujui")
    expect(page.get_by_text("1–25 dari 30")).to_be_visible()
    page.get_by_test_id("lang-switch").get_by_role("radio", name="EN").click()
    expect(rows.first.get_by_test_id("review-sentence")).to_contain_text("Raise the price of BULK")
    expect(page.get_by_text("1–25 of 30")).to_be_visible()
    approved = [r for r in list_reviews(job_id="bulk-pricing") if r["status"] == "approved"]
    assert len(approved) == 3 and all(r["target_price"] == 160_900 for r in approved)
