"""The dashboard in a real browser: a day of runs as figures and charts, active runs
moving with worker events, failing jobs, and the language switch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from backend.core.redis import publish_event
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser


def test_dashboard_shows_the_day_and_moves_live(admin_page: Page, demo_day: dict[str, int]) -> None:
    page = admin_page
    page.reload()  # the demo day was stored after the tab signed in
    expect(page.get_by_role("heading", name="Dasbor")).to_be_visible()
    runs_today = page.get_by_test_id("stat-runs-today-value")
    expect(runs_today).to_have_text(re.compile(r"^\d{1,3}(\.\d{3})*$"))
    assert int(runs_today.inner_text().replace(".", "")) >= 5 * 24
    expect(page.get_by_test_id("stat-success-rate-value")).to_have_text(re.compile(r"^\d+,\d%$"))
    expect(page.get_by_test_id("active-run")).to_have_count(3)
    expect(page.get_by_text("product-catalog-sync")).to_be_visible()  # failing 3 in a row

    # A worker reports progress: the bar moves without a reload (pushed over the socket).
    job_id, run_id = next((job, run) for job, run in demo_day.items() if run)
    expect(page.get_by_test_id("live-indicator")).to_have_attribute("data-live", "true")
    publish_event("run.progress", run_id=run_id, job_id=job_id, progress=0.77, message="77 of 100")
    row = page.locator(f"[data-testid=active-run][data-run-id='{run_id}']")
    expect(row.locator("[data-progress='77']")).to_be_visible(timeout=2_000)
    expect(row).to_contain_text("77 of 100")

    page.locator("[data-testid=chart-status] .js-plotly-plot .main-svg").first.wait_for()
    page.locator("[data-testid=chart-queue] .js-plotly-plot .main-svg").first.wait_for()
    screenshot(page, "dashboard")

    page.get_by_test_id("lang-switch").get_by_role("radio", name="EN").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_test_id("stat-runs-today")).to_contain_text("Runs today")
    screenshot(page, "dashboard-en")
