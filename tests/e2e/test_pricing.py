"""Price review: flagged changes are approved (at an edited price) or rejected."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from backend.services.price_reviews import flag, list_reviews
from tests.e2e.conftest import WebServer, screenshot

pytestmark = pytest.mark.browser


def _flag(sku: str, current: int, target: int) -> None:
    flag(job_id="ecommerce-price-intelligence", run_id=1, decision={
        "sku": sku, "platform": "shopee", "current_price": current, "target_price": target,
        "floor_price": 140_000, "lowest_competitor": target + 5_000,
        "reasons": [f"cheapest in stock: toko_sebelah at Rp {target + 5_000:,}",
                    "cut larger than max_discount_percent 20%"]})  # fmt: skip


def test_approve_at_another_price_and_reject(admin_page: Page, web_server: WebServer) -> None:
    _flag("PROD001", 200_000, 150_000)
    _flag("PROD002", 250_000, 180_000)
    page = admin_page
    page.goto(f"{web_server.url}/pricing")
    first = page.locator("[data-testid=review-row][data-sku=PROD001]")
    expect(first).to_contain_text("Rp 200.000")
    expect(first).to_contain_text("Rp 150.000")
    expect(first).to_contain_text("-25,0%")
    screenshot(page, "price-review")

    first.get_by_test_id("review-price").fill("165000")
    first.get_by_test_id("review-approve").click()
    expect(first).to_have_count(0)  # no longer pending
    page.locator("[data-testid=review-row][data-sku=PROD002]").get_by_test_id(
        "review-reject"
    ).click()
    expect(page.get_by_test_id("review-row")).to_have_count(0)

    decided = {r["sku"]: r for r in list_reviews(job_id="ecommerce-price-intelligence")}
    assert decided["PROD001"]["status"] == "approved"
    assert decided["PROD001"]["target_price"] == 165_000
    assert decided["PROD001"]["decided_by"] == "e2e-admin"
    assert decided["PROD002"]["status"] == "rejected"
