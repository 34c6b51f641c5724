"""/workflows: search, pause/resume, run now, delete after confirmation; the page only
holds a live subscription while a tab shows it."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, Page, expect

from backend.core.redis import events_channel, get_redis
from tests.e2e.conftest import WebServer, create_job, screenshot

pytestmark = pytest.mark.browser


def test_pause_run_now_and_delete(admin_page: Page, web_server: WebServer) -> None:
    page = admin_page
    for name in ("ui-jobs-alpha", "ui-jobs-beta"):
        create_job({"job_id": name, "workflow": "noop", "schedule": {"interval_sec": 3600}})
    page.goto(f"{web_server.url}/workflows")
    page.get_by_test_id("jobs-search").fill("ui-jobs-")
    rows = page.get_by_test_id("job-row")
    expect(rows).to_have_count(2)
    alpha = page.locator("[data-testid=job-row][data-job-id=ui-jobs-alpha]")

    alpha.get_by_test_id("job-pause").click()
    expect(alpha.locator("[data-status=paused]")).to_be_visible()
    alpha.get_by_test_id("job-pause").click()
    expect(alpha.locator("[data-status=active]")).to_be_visible()

    page.locator("[data-testid=job-row][data-job-id=ui-jobs-beta]").get_by_test_id(
        "job-delete"
    ).click()
    page.get_by_test_id("job-delete-confirm").click()
    expect(rows).to_have_count(1)
    screenshot(page, "workflows-actions")

    alpha.get_by_test_id("job-run-now").click()
    page.wait_for_url(f"{web_server.url}/executions/*")
    expect(page.get_by_test_id("run-progress")).to_be_visible()


def _subscribers() -> int:
    return int(get_redis().pubsub_numsub(events_channel())[0][1])


def _settled_subscribers() -> int:
    """The subscriber count once listeners of earlier, closed tabs have left."""
    previous = _subscribers()
    while True:
        time.sleep(0.7)  # longer than a listener's poll interval
        current = _subscribers()
        if current == previous:
            return current
        previous = current


def test_closed_tabs_drop_their_subscription(browser: Browser, admin_page: Page,
                                            web_server: WebServer) -> None:  # fmt: skip
    expect(admin_page.get_by_test_id("live-indicator")).to_have_attribute("data-live", "true")
    before = _settled_subscribers()
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{web_server.url}/login")
    page.evaluate(
        "t => localStorage.setItem('spio_token', t)",
        admin_page.evaluate("localStorage.getItem('spio_token')"),
    )
    page.goto(f"{web_server.url}/workflows")
    expect(page.get_by_test_id("live-indicator")).to_have_attribute("data-live", "true")
    assert _settled_subscribers() == before + 1
    context.close()
    deadline = time.monotonic() + 5
    while _subscribers() > before:
        assert time.monotonic() < deadline, "the closed tab's listener is still subscribed"
        time.sleep(0.1)


def test_long_lists_come_a_page_at_a_time(admin_page: Page, web_server: WebServer) -> None:
    for index in range(30):
        create_job({"job_id": f"ui-page-{index:02d}", "workflow": "noop",
                    "schedule": {"interval_sec": 600}})  # fmt: skip
    page = admin_page
    page.goto(f"{web_server.url}/workflows")
    page.get_by_test_id("jobs-search").fill("ui-page-")
    rows = page.get_by_test_id("job-row")
    expect(rows).to_have_count(25)
    expect(rows.first).to_have_attribute("data-job-id", "ui-page-00")
    page.get_by_role("button", name="Berikutnya").click()
    expect(rows).to_have_count(5)
    expect(rows.last).to_have_attribute("data-job-id", "ui-page-29")
    expect(page.get_by_text("26–30 dari 30")).to_be_visible()
