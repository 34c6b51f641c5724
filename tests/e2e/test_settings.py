"""Settings: an admin creates a token (shown once) and revokes it; a tab signed in with
that token is sent back to /login at its next page load."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import WebServer, screenshot
from tests.e2e.harness import login

pytestmark = pytest.mark.browser


def test_token_created_once_then_revoked(
    browser: Browser, admin_page: Page, web_server: WebServer
) -> None:
    page = admin_page
    page.goto(f"{web_server.url}/settings")
    page.get_by_test_id("token-name").fill("ui-operator")
    page.get_by_role("combobox").click()
    page.get_by_role("option", name="operator").click()
    page.get_by_test_id("token-create").click()
    plaintext = page.get_by_test_id("token-plaintext")
    expect(plaintext).to_have_text(re.compile(r"^spio_\S{20,}$"))
    token = plaintext.inner_text()
    row = page.locator("[data-testid=token-row][data-name=ui-operator]")
    expect(row).to_contain_text("Operator")
    assert token not in row.inner_text()  # the list shows a prefix only
    screenshot(page, "settings")

    other = browser.new_context().new_page()
    login(other, web_server.url, token)
    expect(other.get_by_test_id("role-badge")).to_have_attribute("data-role", "operator")

    row.get_by_test_id("token-revoke").click()
    expect(row.locator("[data-status=revoked]")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("token-plaintext")).to_have_count(0)  # never shown again

    other.goto(f"{web_server.url}/workflows")
    other.wait_for_url(f"{web_server.url}/login")
    other.context.close()


def test_settings_are_for_admins_only(viewer_page: Page, web_server: WebServer) -> None:
    viewer_page.goto(f"{web_server.url}/settings")
    expect(viewer_page.get_by_text("Peran Anda tidak boleh melakukan ini.")).to_be_visible()
    expect(viewer_page.get_by_test_id("tokens-table")).to_have_count(0)
