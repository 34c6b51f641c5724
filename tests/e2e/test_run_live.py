"""Run detail follows real runs (scheduler + worker processes) live: progress to success,
a log tail, cancel and retry."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from backend.core.redis import publish_event
from tests.e2e.conftest import Cluster, WebServer, create_job, screenshot

pytestmark = pytest.mark.browser


def test_run_progress_is_pushed_live(
    admin_page: Page, web_server: WebServer, cluster: Cluster
) -> None:
    page = admin_page
    run_id = create_job(
        {"job_id": "ui-live-steps", "workflow": "sleep", "inputs": {"steps": 8, "sleep_sec": 1.0}},
        run=True,
    )
    page.goto(f"{web_server.url}/executions/{run_id}")
    progress = page.get_by_test_id("run-progress")
    # The page was rendered once; everything after arrives over the websocket.
    expect(progress).to_have_attribute("data-status", "running", timeout=10_000)
    # Subscribed from here on (events before it are covered by the page's DB reload).
    expect(page.get_by_test_id("live-indicator")).to_have_attribute("data-live", "true")
    # This line exists only as an event (no log row behind it), so a reload of the page's
    # data from the database (on subscribing, or on a step event of the real run) can
    # replace it: push it until it shows. Each push is a websocket update, no page reload.
    logs = page.get_by_test_id("run-logs")
    for _ in range(10):
        publish_event("log", run_id=run_id, job_id="ui-live-steps", level="info",
                      step="step-2", message="harga 120 produk diperiksa")  # fmt: skip
        try:
            expect(logs).to_contain_text("harga 120 produk diperiksa", timeout=1_000)
            break
        except AssertionError:
            continue
    expect(logs).to_contain_text("harga 120 produk diperiksa", timeout=1_000)
    expect(page.locator("[data-progress='50']")).to_be_visible(timeout=10_000)
    expect(progress).to_have_attribute("data-status", "succeeded", timeout=20_000)
    expect(page.locator("[data-testid=step][data-step-status=succeeded]")).to_have_count(8)
    expect(page.get_by_test_id("run-message")).to_have_text("langkah 8 dari 8")  # in Indonesian
    screenshot(page, "run-detail")


def test_cancel_then_retry_resumes(
    admin_page: Page, web_server: WebServer, cluster: Cluster
) -> None:
    page = admin_page
    run_id = create_job(
        {
            "job_id": "ui-cancel-retry",
            "workflow": "sleep",
            "inputs": {"steps": 8, "sleep_sec": 1.5},
        },
        run=True,
    )
    page.goto(f"{web_server.url}/executions/{run_id}")
    progress = page.get_by_test_id("run-progress")
    succeeded = page.locator("[data-testid=step][data-step-status=succeeded]")
    expect(succeeded.first).to_be_visible(timeout=15_000)
    page.get_by_test_id("run-cancel").click()
    expect(progress).to_have_attribute("data-status", "cancelled", timeout=15_000)
    assert succeeded.count() < 8
    screenshot(page, "run-cancelled")

    page.get_by_test_id("run-retry").click()
    expect(progress).to_have_attribute("data-status", "succeeded", timeout=30_000)
    # Resumed from where it stopped: each of the 8 steps appears once, all succeeded.
    expect(page.locator("[data-testid=step]")).to_have_count(8)
    expect(succeeded).to_have_count(8)
