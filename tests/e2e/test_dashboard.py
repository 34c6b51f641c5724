"""The dashboard in a real browser: renders its figures and charts, switches language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser


def test_dashboard_renders_figures_and_charts(admin_page: Page) -> None:
    page = admin_page
    expect(page.get_by_role("heading", name="Dasbor")).to_be_visible()
    for test_id in ("stat-runs-today", "stat-success-rate", "stat-queue-depth"):
        expect(page.get_by_test_id(test_id)).to_be_visible()
    # Plotly loads lazily: wait for its SVG before the screenshot.
    page.locator("[data-testid=chart-queue] .js-plotly-plot .main-svg").first.wait_for()
    path = screenshot(page, "dashboard")
    assert path.stat().st_size > 10_000

    page.get_by_test_id("lang-switch").get_by_role("radio", name="EN").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_test_id("stat-runs-today")).to_contain_text("Runs today")
