"""Settings: an admin creates a token (shown once) and revokes it; a tab signed in with
that token is sent back to /login at its next page load."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import WebServer, screenshot
from tests.e2e.harness import login, login_with_password

pytestmark = pytest.mark.browser


def test_token_created_once_then_revoked(
    browser: Browser, admin_page: Page, web_server: WebServer
) -> None:
    page = admin_page
    page.goto(f"{web_server.url}/settings")
    page.get_by_test_id("token-name").fill("ui-operator")
    page.get_by_test_id("token-role").get_by_role("combobox").click()
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


def test_connector_goes_live_with_errors_at_the_field_and_secret_never_shown(
    admin_page: Page, web_server: WebServer
) -> None:
    page = admin_page
    page.goto(f"{web_server.url}/settings")
    row = page.locator("[data-testid=connector-row][data-platform=priceza]")
    expect(row.locator("[data-status=sandbox]")).to_be_visible()
    row.get_by_test_id("connector-configure").click()
    form = page.get_by_test_id("connector-form")
    form.get_by_test_id("connector-mode").get_by_role("combobox").click()
    page.get_by_role("option", name="live").click()
    field = lambda name: form.locator(f"[data-testid=connector-field][data-name={name}]")  # noqa: E731
    error = lambda name: form.locator(f"[data-testid=connector-error][data-name={name}]")  # noqa: E731
    field("base_url").fill("")
    field("merchant_id").fill("")
    form.get_by_test_id("connector-save").click()
    # All at once, each at its field, in the reader's language.
    expect(error("merchant_id")).to_contain_text("wajib diisi untuk akun live")
    expect(error("api_key")).to_contain_text("wajib diisi untuk akun live")
    field("base_url").fill("http://api.priceza.example")
    field("merchant_id").fill("M-778")
    field("api_key").fill("pz-live-secret-9931")
    form.get_by_test_id("connector-save").click()
    expect(error("base_url")).to_contain_text("https")
    field("base_url").fill("https://api.priceza.example")
    form.get_by_test_id("connector-save").click()
    expect(form.get_by_test_id("connector-saved")).to_be_visible()
    try:
        expect(row.locator("[data-status=live]")).to_be_visible()
        expect(row).to_contain_text("api_key")
        expect(field("api_key")).to_have_value("")  # write-only: never comes back
        expect(field("api_key")).to_have_attribute("placeholder", re.compile("tersimpan"))
        screenshot(page, "settings-connectors")
        page.reload()
        assert "pz-live-secret-9931" not in page.content()
    finally:
        # Back to the sandbox: the rest of this browser session runs jobs on it.
        row = page.locator("[data-testid=connector-row][data-platform=priceza]")
        row.get_by_test_id("connector-configure").click()
        page.get_by_test_id("connector-mode").get_by_role("combobox").click()
        page.get_by_role("option", name="sandbox").click()
        page.get_by_test_id("connector-save").click()
        expect(row.locator("[data-status=sandbox]")).to_be_visible()


def test_admin_adds_a_user_who_signs_in_with_the_generated_password(
    browser: Browser, admin_page: Page, web_server: WebServer
) -> None:
    page = admin_page
    page.goto(f"{web_server.url}/settings")
    page.get_by_test_id("user-name").fill("sari")
    page.get_by_test_id("user-password").fill("short")
    page.get_by_test_id("user-create").click()
    expect(page.locator("[data-testid=user-error][data-name=password]")).to_contain_text("8")
    page.get_by_test_id("user-password").fill("")
    page.get_by_test_id("user-create").click()
    generated = page.get_by_test_id("user-generated-password")
    expect(generated).to_have_text(re.compile(r"^\S{12,}$"))
    password = generated.inner_text()
    expect(page.locator("[data-testid=user-row][data-name=sari]")).to_contain_text("Pengamat")

    other = browser.new_context().new_page()
    login_with_password(other, web_server.url, "sari", password)
    expect(other.get_by_test_id("role-badge")).to_have_attribute("data-role", "viewer")
    other.context.close()


def test_settings_lists_shops_per_platform_and_adds_a_second_shop(
    admin_page: Page, web_server: WebServer
) -> None:
    """Shopee's two sandbox shops are listed; adding toko-c opens the connector form for
    that account, and once saved it is listed as a saved Shopee shop of its own."""
    page = admin_page
    page.goto(f"{web_server.url}/settings")
    shop = lambda account: page.locator(  # noqa: E731
        f"[data-testid=shop-row][data-platform=shopee][data-account={account}]")
    expect(shop("default")).to_contain_text("toko demo sandbox")
    expect(shop("toko-b")).to_be_visible()
    page.get_by_test_id("shop-new-name").fill("Toko C!")
    page.get_by_test_id("shop-add").click()
    expect(page.get_by_test_id("shop-name-error")).to_be_visible()
    page.get_by_test_id("shop-new-name").fill("toko-c")
    page.get_by_test_id("shop-add").click()
    form = page.get_by_test_id("connector-form")
    expect(form.get_by_test_id("connector-account")).to_have_text("toko-c")
    form.get_by_test_id("connector-save").click()
    expect(form.get_by_test_id("connector-saved")).to_be_visible()
    expect(shop("toko-c")).to_contain_text("tersimpan")
    expect(shop("toko-c").locator("[data-status=sandbox]")).to_be_visible()
    screenshot(page, "settings-shops")
