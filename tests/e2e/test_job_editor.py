"""Job editor: a bad cron is refused at its field with the reason, the fix previews the
next fire times and saves as a new version."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import WebServer, create_job, screenshot

pytestmark = pytest.mark.browser


def test_edit_schedule_with_field_error_then_save(admin_page: Page, web_server: WebServer) -> None:
    page = admin_page
    create_job({"job_id": "ui-editor", "workflow": "noop", "schedule": {"cron": "0 6 * * *"}})
    page.goto(f"{web_server.url}/workflows/ui-editor")
    schedule = page.get_by_test_id("field-schedule")
    expect(schedule).to_have_value("cron: 0 6 * * *")
    expect(
        page.get_by_test_id("editor-next-fires").get_by_text(re.compile("06:00 WIB"))
    ).to_have_count(5)

    schedule.fill("cron: 0 25 * * *")
    expect(page.get_by_test_id("error-schedule.cron")).to_contain_text("hour must be 0-23")
    expect(page.get_by_test_id("editor-save")).to_be_disabled()
    screenshot(page, "job-editor-error")

    schedule.fill("cron: 30 7 * * *")
    expect(page.get_by_test_id("editor-errors")).to_have_count(0)
    expect(
        page.get_by_test_id("editor-next-fires").get_by_text(re.compile("07:30 WIB"))
    ).to_have_count(5)
    page.get_by_test_id("editor-save").click()
    expect(page.get_by_test_id("editor-notice")).to_contain_text("v2")
    page.get_by_role("tab", name="JSON").click()
    expect(page.get_by_test_id("editor-json")).to_have_value(
        re.compile('"cron": "30 7 \\* \\* \\*"')
    )
    screenshot(page, "job-editor")

    page.reload()  # saved for real, not only in the tab
    expect(page.get_by_test_id("field-schedule")).to_have_value("cron: 30 7 * * *")
