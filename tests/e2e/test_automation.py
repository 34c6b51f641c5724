"""/automation: a seed prompt becomes a proposal; a bad cron is refused at the field;
the fixed job is created and listed on /workflows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Cluster, WebServer, screenshot

pytestmark = pytest.mark.browser


def test_prompt_to_job_with_field_errors(admin_page: Page, web_server: WebServer) -> None:
    page = admin_page
    page.goto(f"{web_server.url}/automation")
    page.get_by_test_id("example").first.click()  # the price-intelligence seed prompt
    expect(page.get_by_test_id("prompt")).to_have_value(re.compile("Monitor harga 100 produk"))
    expect(page.get_by_test_id("plan-explanation")).not_to_be_empty()
    # Every 5 minutes: three upcoming fire times, shown in Jakarta time.
    expect(page.get_by_test_id("plan-next-fires").get_by_text(re.compile("WIB$"))).to_have_count(3)
    spec = page.get_by_test_id("plan-spec")
    expect(spec).to_have_value(re.compile('"pressure_priority": "critical"'))
    screenshot(page, "automation")

    schedule = page.get_by_test_id("plan-schedule")
    schedule.fill("cron: 0 25 * * *")
    expect(page.get_by_test_id("error-schedule.cron")).to_be_visible()
    expect(page.get_by_test_id("create")).to_be_disabled()
    screenshot(page, "automation-cron-error")

    schedule.fill("cron: 0 6 * * *")
    expect(page.get_by_test_id("plan-errors")).to_have_count(0)
    expect(spec).to_have_value(re.compile('"cron": "0 6 \\* \\* \\*"'))
    schedule.fill("sesekali saja")  # words the planner cannot place: said at the field
    expect(page.get_by_test_id("error-schedule")).to_contain_text("tidak dipahami")
    schedule.fill("tiap hari jam 7")  # in words, read by the planner's own reader
    expect(page.get_by_test_id("plan-errors")).to_have_count(0)
    expect(spec).to_have_value(re.compile('"cron": "0 7 \\* \\* \\*"'))
    job_id = re.search(r'"job_id": "([^"]+)"', spec.input_value())
    assert job_id is not None
    page.get_by_test_id("create").click()
    expect(page.get_by_role("link", name=re.compile(job_id.group(1)))).to_be_visible()

    page.goto(f"{web_server.url}/workflows")
    row = page.locator(f"[data-testid=job-row][data-job-id='{job_id.group(1)}']")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Intelijen harga")  # the workflow, in the reader's words
    expect(row).to_contain_text("Kritis")  # the critical priority
    expect(row.get_by_test_id("job-when")).to_have_text("setiap hari pukul 07:00")
    screenshot(page, "workflows")


def test_create_and_run_opens_the_run(admin_page: Page, web_server: WebServer) -> None:
    page = admin_page
    page.goto(f"{web_server.url}/automation")
    page.get_by_test_id("example").nth(2).click()  # the daily BI report
    expect(page.get_by_test_id("plan-spec")).to_have_value(re.compile('"workflow": "bi_report"'))
    page.get_by_test_id("create-run").click()
    page.wait_for_url(re.compile(r"/executions/\d+$"))
    expect(page.get_by_test_id("run-progress")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("bi-report"))).to_be_visible()


def test_dry_run_on_sandbox_shows_steps_and_outputs_and_saves_no_job(
    admin_page: Page, web_server: WebServer, cluster: Cluster
) -> None:
    from backend.core.db import session_scope
    from backend.jobs.service import list_jobs

    page = admin_page
    page.goto(f"{web_server.url}/automation")
    page.get_by_test_id("example").nth(2).click()  # the daily BI report
    expect(page.get_by_test_id("plan-spec")).to_have_value(re.compile('"workflow": "bi_report"'))
    with session_scope() as session:
        before = [j.job_id for j in list_jobs(session=session, limit=500)[0]]
    page.get_by_test_id("dry-run-start").click()
    result = page.get_by_test_id("dry-run")
    # Queued, run by the worker against the sandbox, followed live to its end.
    expect(result).to_have_attribute("data-status", "succeeded", timeout=90_000)
    expect(result.locator("[data-testid=step][data-step-status=succeeded]").first).to_be_visible()
    assert result.locator("[data-testid=step][data-step-status=failed]").count() == 0
    expect(page.get_by_test_id("dry-run-outputs")).to_contain_text('"')
    expect(page.get_by_test_id("dry-run-duration")).not_to_have_text("–")
    screenshot(page, "automation-dry-run")
    result.get_by_role("link", name=re.compile("#")).click()  # its run page, marked as such
    page.wait_for_url(re.compile(r"/executions/\d+$"))
    expect(page.get_by_test_id("run-progress")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("run-dry-run")).to_have_text("Uji coba di sandbox")
    page.goto(f"{web_server.url}/automation")
    with session_scope() as session:  # nothing was saved as a job
        after = [j.job_id for j in list_jobs(session=session, limit=500)[0]]
    assert after == before
