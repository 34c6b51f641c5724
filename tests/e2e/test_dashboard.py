"""The dashboard in a real browser: a day of runs as figures and charts, active runs
moving with worker events, failing jobs, and the language switch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from backend.core.redis import publish_event
from tests.e2e.conftest import Cluster, run_and_wait, screenshot

pytestmark = pytest.mark.browser


def test_dashboard_shows_the_day_and_moves_live(
    admin_page: Page, demo_day: dict[str, int], cluster: Cluster
) -> None:
    run_and_wait("daily-bi-report")  # so API calls and worker memory have been measured
    page = admin_page
    page.reload()  # the demo day was stored after the tab signed in
    expect(page.get_by_role("heading", name="Dasbor")).to_be_visible()
    runs_today = page.get_by_test_id("stat-runs-today-value")
    expect(runs_today).to_have_text(re.compile(r"^\d{1,3}(\.\d{3})*$"))
    assert int(runs_today.inner_text().replace(".", "")) >= 5 * 24
    expect(page.get_by_test_id("stat-success-rate-value")).to_have_text(re.compile(r"^\d+,\d %$"))
    # The demo day's three running runs (the worker may be running a real tick too).
    for run_id in (run for run in demo_day.values() if run):
        expect(page.locator(f"[data-testid=active-run][data-run-id='{run_id}']")).to_be_visible()
    expect(page.get_by_text("product-catalog-sync")).to_be_visible()  # failing 3 in a row
    # The seed's performance table from real figures: the demo day's durations against
    # each job's timeout, the report run's API calls, the worker's heartbeat memory.
    percent = re.compile(r"^\d{1,3}(\.\d{3})*(,\d)? %$")  # Indonesian: "98,5 %"
    for metric in ("job_success", "api_success", "duration"):
        cell = page.locator(f"[data-testid=perf-row][data-metric={metric}] td").nth(2)
        expect(cell).to_have_text(percent)
    memory = page.locator("[data-testid=perf-row][data-metric=memory]")
    expect(memory).to_have_attribute("data-state", "ok")
    expect(memory.locator("td").nth(2)).to_have_text(re.compile(r"^\d{1,3}(\.\d{3})*(,\d+)? MB$"))
    expect(page.locator("[data-testid=perf-row][data-metric=duration]")).to_have_attribute(
        "data-state", "ok")

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


def test_dashboard_says_when_the_system_is_degraded(admin_page: Page, cluster: Cluster) -> None:
    """No scheduler leading: the live badge turns red and a banner says so, in the
    user's language; both go once a scheduler leads again."""
    import os
    import signal

    page = admin_page
    page.reload()
    badge = page.get_by_test_id("live-indicator")
    expect(badge).to_have_attribute("data-degraded", "false", timeout=15_000)
    scheduler = cluster.procs.pop("scheduler")
    os.killpg(scheduler.pid, signal.SIGTERM)  # it stops and lets go of the leader lock
    scheduler.wait(15)
    try:
        banner = page.get_by_test_id("health-banner")
        expect(banner).to_contain_text("Tidak ada scheduler yang memimpin", timeout=15_000)
        expect(badge).to_have_text("Terganggu")
        page.get_by_test_id("lang-switch").get_by_role("radio", name="EN").click()
        expect(banner).to_contain_text("No scheduler is leading")
        expect(badge).to_have_text("Degraded")
        screenshot(page, "dashboard-degraded-en")
    finally:
        cluster.start_scheduler()
    expect(page.get_by_test_id("health-banner")).to_have_count(0, timeout=20_000)
    expect(badge).to_have_attribute("data-degraded", "false")
    page.get_by_test_id("lang-switch").get_by_role("radio", name="ID").click()
