"""Sign in with a username and password: a wrong password is refused with a clear
message and no session; the right one opens the dashboard with the user's role."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from backend.auth.users import create_user
from backend.core.db import session_scope
from spio_ui.auth import principal_for_token
from tests.e2e.conftest import WebServer, screenshot
from tests.e2e.harness import login_with_password

pytestmark = pytest.mark.browser


def test_username_and_password_sign_in(browser: Browser, web_server: WebServer) -> None:
    with session_scope() as session:
        create_user(session=session, username="dewi", password="rahasia-dewi-1", role="operator")
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(f"{web_server.url}/login")
        screenshot(page, "login")
        login_with_password(page, web_server.url, "dewi", "salah-tebak")
        expect(page.get_by_test_id("login-error")).to_have_text(
            "Nama pengguna atau kata sandi salah."
        )
        assert page.url.rstrip("/").endswith("/login")
        expect(page.get_by_test_id("login-password")).to_have_value("")  # not kept
        # No session was stored: a protected page sends the tab back to sign in.
        page.goto(f"{web_server.url}/workflows")
        page.wait_for_url(re.compile(r"/login/?$"))

        login_with_password(page, web_server.url, "dewi", "rahasia-dewi-1")
        page.wait_for_url(f"{web_server.url}/")
        badge = page.get_by_test_id("role-badge")
        expect(badge).to_have_attribute("data-role", "operator")
        expect(badge).to_contain_text("dewi")
        # The session survives a reload (the tab keeps the session token).
        page.goto(f"{web_server.url}/workflows")
        expect(page.get_by_test_id("role-badge")).to_have_attribute("data-role", "operator")
        expect(page.get_by_test_id("role-badge")).to_have_text("dewi · Operator")
        token = str(page.evaluate("localStorage.getItem('spio_token')")).strip('"')
        assert principal_for_token(token) == ("dewi", "operator")

        # Signing out ends the session: the token is revoked, not just forgotten.
        page.get_by_title("Keluar").click()
        page.wait_for_url(re.compile(r"/login/?$"))
        assert principal_for_token(token) is None
    finally:
        context.close()
