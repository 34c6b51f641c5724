"""A viewer sees jobs and runs but finds no button that changes anything."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import WebServer, create_job

pytestmark = pytest.mark.browser


def test_viewer_has_no_mutating_buttons(viewer_page: Page, web_server: WebServer) -> None:
    page = viewer_page
    create_job({"job_id": "ui-viewer-sees", "workflow": "noop", "schedule": {"interval_sec": 3600}})
    expect(page.get_by_test_id("role-badge")).to_have_attribute("data-role", "viewer")
    page.goto(f"{web_server.url}/workflows")
    page.get_by_test_id("jobs-search").fill("ui-viewer")
    expect(page.locator("[data-testid=job-row][data-job-id=ui-viewer-sees]")).to_be_visible()
    for test_id in ("job-run-now", "job-pause", "job-delete"):
        expect(page.get_by_test_id(test_id)).to_have_count(0)
    page.goto(f"{web_server.url}/automation")
    page.get_by_test_id("example").first.click()
    expect(page.get_by_test_id("plan-explanation")).not_to_be_empty()
    expect(page.get_by_test_id("create-run")).to_have_count(0)
    expect(page.get_by_test_id("create")).to_have_count(0)
    expect(page.get_by_test_id("dry-run-start")).to_have_count(0)
