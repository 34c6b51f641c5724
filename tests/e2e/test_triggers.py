"""Triggers in the browser: the editor switches a job's trigger to another event and
shows that event's own option, the jobs list filters by trigger and says it in words,
and the run page shows the event that started the run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import WebServer, create_job, screenshot

pytestmark = pytest.mark.browser


def test_edit_a_trigger_filter_jobs_by_it_and_see_the_event_of_a_run(
        admin_page: Page, web_server: WebServer) -> None:
    page = admin_page
    create_job({"job_id": "ui-trigger", "workflow": "noop",
                "trigger": {"event": "order.paid"}})
    create_job({"job_id": "ui-clock", "workflow": "noop", "schedule": {"interval_sec": 600}})
    page.goto(f"{web_server.url}/workflows/ui-trigger")
    trigger = page.get_by_test_id("field-trigger.event")
    expect(trigger).to_contain_text("Pesanan dibayar")
    expect(page.get_by_test_id("field-trigger.threshold")).to_have_count(0)
    trigger.click()
    page.get_by_role("option", name="Stok menipis", exact=True).click()
    threshold = page.get_by_test_id("field-trigger.threshold")
    expect(threshold).to_be_visible()
    threshold.fill("3")
    expect(page.get_by_test_id("editor-errors")).to_have_count(0)
    page.get_by_test_id("editor-save").click()
    expect(page.get_by_test_id("editor-notice")).to_contain_text("v2")
    screenshot(page, "job-editor-trigger")
    page.get_by_role("tab", name="JSON").click()
    expect(page.get_by_test_id("editor-json")).to_have_value(
        re.compile(r'"event": "stock\.low",\s+"threshold": 3'))

    page.goto(f"{web_server.url}/workflows")
    page.get_by_test_id("jobs-trigger").click()
    page.get_by_role("option", name="Stok menipis", exact=True).click()
    rows = page.get_by_test_id("job-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("job-when")).to_have_text(
        "setiap stok menipis (stok ≤ 3)")
    screenshot(page, "jobs-by-trigger")

    from backend.jobs.events import ingest_event

    intake = ingest_event(source="api", event_id="low-1", kind="stock.low",
                          data={"platform": "shopee", "sku": "PROD010", "stock": 2,
                                "previous_stock": 5})
    [run_id] = intake.runs
    page.goto(f"{web_server.url}/executions/{run_id}")
    expect(page.get_by_test_id("run-event-kind")).to_have_text("stok menipis")
    expect(page.get_by_test_id("run-event-id")).to_have_text("low-1")
    expect(page.get_by_test_id("run-event-data")).to_contain_text("PROD010")
    screenshot(page, "run-event")


def test_the_automation_page_plans_and_switches_an_event_trigger(admin_page: Page,
                                                                 web_server: WebServer) -> None:
    page = admin_page
    page.goto(f"{web_server.url}/automation")
    page.get_by_test_id("prompt").fill(
        "kirim ucapan terima kasih via WA setiap ada pesanan dibayar")
    page.get_by_test_id("draft").click()
    expect(page.get_by_test_id("plan-trigger")).to_contain_text("Pesanan dibayar")
    expect(page.get_by_test_id("plan-trigger-text")).to_have_text("setiap pesanan dibayar")
    spec = page.get_by_test_id("plan-spec")
    expect(spec).to_have_value(re.compile(r'"trigger": \{\s+"event": "order\.paid"'))
    screenshot(page, "automation-trigger")
    page.get_by_test_id("plan-trigger").click()
    page.get_by_role("option", name="Pesanan dibuat", exact=True).click()
    expect(page.get_by_test_id("plan-trigger-text")).to_have_text("setiap pesanan dibuat")
    expect(spec).to_have_value(re.compile(r'"event": "order\.created"'))
    expect(page.get_by_test_id("plan-errors")).to_have_count(0)
