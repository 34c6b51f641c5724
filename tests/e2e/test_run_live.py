"""Run detail follows a real run (scheduler + worker processes) live to success."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Cluster, WebServer, create_job, screenshot

pytestmark = pytest.mark.browser


def test_run_progress_is_pushed_live(
    admin_page: Page, web_server: WebServer, cluster: Cluster
) -> None:
    page = admin_page
    run_id = create_job(
        {"job_id": "ui-live-steps", "workflow": "sleep", "inputs": {"steps": 4, "sleep_sec": 0.6}},
        run=True,
    )
    page.goto(f"{web_server.url}/executions/{run_id}")
    progress = page.get_by_test_id("run-progress")
    # The page was rendered once; everything after arrives over the websocket.
    expect(progress).to_have_attribute("data-status", "running", timeout=10_000)
    expect(page.locator("[data-progress='50']")).to_be_visible(timeout=10_000)
    expect(progress).to_have_attribute("data-status", "succeeded", timeout=15_000)
    expect(page.locator("[data-testid=step][data-step-status=succeeded]")).to_have_count(4)
    expect(page.get_by_test_id("run-message")).to_have_text("step 4 of 4")
    screenshot(page, "run-detail")
