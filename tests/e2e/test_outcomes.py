"""A run that did nothing is amber with its reason, in the reader's language, on the run
page, the jobs list and the dashboard (a campaign due on 24 Nov whose window is 26 Nov)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import WebServer, create_job, screenshot

pytestmark = pytest.mark.browser

ID = "waktu kirim 24 Nov 09:00 di luar jendela kampanye 26 Nov"
EN = "send time 24 Nov 09:00 is outside the campaign window 26 Nov"


def _idle_campaign_run() -> int:
    """The run of 24 Nov 09:00 (Jakarta) of a campaign whose window is 26 Nov, run by a
    worker in this process (it sends nothing, so it needs no platform)."""
    from backend.core.db import session_scope
    from backend.models import Run
    from backend.worker.lifecycle import execute_run

    run_id = create_job({
        "job_id": "ui-outcome-campaign", "workflow": "campaign",
        "schedule": {"cron": "0 9 26 11 *"},
        "inputs": {"campaign": {"name": "Promo 12.12",
                                "start_date": "2027-11-26T00:00:00+07:00",
                                "end_date": "2027-11-26T23:59:59+07:00"},
                   "channels": ["whatsapp"]},
    }, run=True)  # fmt: skip
    with session_scope() as session:
        session.get(Run, run_id).scheduled_for = datetime(2027, 11, 24, 2, 0, tzinfo=UTC)
    # A thread of its own, as in a worker: Playwright holds this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(execute_run, run_id).result() == "succeeded"
    return run_id


def _english(page: Page) -> None:
    page.get_by_test_id("lang-switch").get_by_role("radio", name="EN").click()


def test_nothing_done_is_amber_with_its_reason_in_both_languages(
    admin_page: Page, web_server: WebServer
) -> None:
    run_id = _idle_campaign_run()
    page = admin_page

    page.goto(f"{web_server.url}/executions/{run_id}")
    note = page.get_by_test_id("run-nothing-done")
    expect(note).to_contain_text(ID)
    expect(page.locator("[data-status=nothing_done]").first).to_contain_text(
        "Tidak ada yang dikerjakan")
    screenshot(page, "run-nothing-done")

    page.goto(f"{web_server.url}/workflows")
    page.get_by_test_id("jobs-search").fill("ui-outcome-")
    last = page.locator("[data-testid=job-row][data-job-id=ui-outcome-campaign]").get_by_test_id(
        "job-last-run")
    expect(last).to_have_attribute("data-status", "nothing_done")
    expect(last.get_by_test_id("job-last-reason")).to_have_text(ID)

    page.goto(f"{web_server.url}/")
    idle = page.locator(f"[data-testid=idle-run][data-run-id='{run_id}']")
    expect(idle).to_contain_text(ID)
    expect(idle).to_have_attribute("data-alerted", "true")
    screenshot(page, "dashboard-nothing-done")

    _english(page)  # no reload: every view keeps the reason in both languages
    expect(idle).to_contain_text(EN)
    page.goto(f"{web_server.url}/workflows")
    page.get_by_test_id("jobs-search").fill("ui-outcome-")
    expect(last.get_by_test_id("job-last-reason")).to_have_text(EN)
    page.goto(f"{web_server.url}/executions/{run_id}")
    expect(page.get_by_test_id("run-nothing-done")).to_contain_text(EN)
    expect(page.locator("[data-status=nothing_done]").first).to_contain_text("Nothing done")
