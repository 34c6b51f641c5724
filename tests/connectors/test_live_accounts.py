"""A live account saved in Settings is what the connectors use at run time."""

from __future__ import annotations

import httpx
import pytest

SHOPEE_LIVE = {
    "base_url": "https://partner.shopeemobile.com", "partner_id": 2001,
    "partner_key": "live-partner-key-123", "shop_id": 77,
    "access_token": "live-access", "refresh_token": "live-refresh",
}


def test_live_account_replaces_the_sandbox_defaults(api, env):
    from backend.connectors.accounts import forget_accounts
    from backend.connectors.runtime import catalog_connector
    from backend.tools import default_connectors

    client = httpx.AsyncClient()
    sandbox = catalog_connector("shopee", client=client)
    assert sandbox._config.base_url.startswith(env.sandbox_url)

    saved = api.put("/connectors/shopee/default", json={"mode": "live",
                                                        "settings": SHOPEE_LIVE})
    assert saved.status_code == 200, saved.text
    assert api.put("/connectors/whatsapp/default", json={"mode": "live", "settings": {
        "base_url": "https://graph.facebook.com", "api_version": "v19.0", "phone_number_id": "551",
        "access_token": "wa-live-token", "app_secret": "wa-app-secret",
        "verify_token": "wa-verify"}}).status_code == 200
    forget_accounts()  # the API saved in this process, but be explicit

    live = catalog_connector("shopee", client=client)
    assert live._config.base_url == "https://partner.shopeemobile.com"
    assert live._config.partner_id == 2001
    assert live._config.partner_key.get_secret_value() == "live-partner-key-123"
    whatsapp = default_connectors(settings=env, client=client)["whatsapp"]
    assert whatsapp._url.startswith("https://graph.facebook.com/")
    assert "/551/messages" in whatsapp._url
    # Other platforms keep the sandbox.
    assert default_connectors(settings=env, client=client)["telegram"]._config.base_url \
        == env.sandbox_url

    # Back to sandbox mode: the defaults again.
    assert api.put("/connectors/shopee/default", json={"mode": "sandbox", "settings": {}}
                   ).status_code == 200
    assert catalog_connector("shopee", client=client)._config.base_url.startswith(
        env.sandbox_url)


@pytest.mark.parametrize(("platform", "body", "path"), [
    ("shopeee", {"mode": "sandbox", "settings": {}}, "platform"),
    ("shopee", {"mode": "sandbox", "settings": {"partner_kye": "x"}}, "settings.partner_kye"),
    ("shopee", {"mode": "live", "settings": {"base_url": "https://partner.shopeemobile.com",
                                             "partner_id": 1}}, "settings.access_token"),
    ("shopee", {"mode": "live", "settings": {**SHOPEE_LIVE, "shop_id": "abc"}},
     "settings.shop_id"),
    # Without the Meta app's secret, status webhooks (late failures) could not be checked.
    ("whatsapp", {"mode": "live", "settings": {
        "base_url": "https://graph.facebook.com", "api_version": "v19.0", "phone_number_id": "551",
        "access_token": "t", "verify_token": "v"}}, "settings.app_secret"),
])
def test_bad_accounts_are_refused_naming_the_field(api, platform, body, path):
    response = api.put(f"/connectors/{platform}/default", json=body)
    assert response.status_code == 422, response.text
    paths = [e["path"] for e in response.json()["errors"]]
    assert path in paths
    # nothing was half-saved
    assert all(a["platform"] != platform or a["mode"] == "sandbox"
               for a in api.get("/connectors").json())
    assert "live-partner-key-123" not in response.text


def test_a_live_mail_server_needs_no_base_url(api):
    response = api.put("/connectors/email/default", json={"mode": "live", "settings": {
        "host": "smtp.example.co.id", "port": 587, "starttls": True, "username": "shop",
        "password": "mail-secret", "sender": "Toko <halo@example.co.id>"}})
    assert response.status_code == 200, response.text
    assert response.json()["secrets_set"] == ["password"]


def test_a_refreshed_token_pair_is_kept_for_the_next_run(api, env):
    """Platforms rotate refresh tokens: a pair refreshed in one run must be the one the
    next run starts from, or the live shop locks itself out."""
    import asyncio

    from backend.connectors.accounts import resolved_config
    from backend.connectors.runtime import catalog_connector
    from backend.connectors.types import TokenPair
    from backend.core.db import session_scope

    assert api.put("/connectors/shopee/default", json={"mode": "live",
                                                       "settings": SHOPEE_LIVE}).status_code == 200
    connector = catalog_connector("shopee", client=httpx.AsyncClient())
    keeper = connector.tokens
    assert keeper._on_refresh is not None

    async def platform_refresh(old: TokenPair) -> TokenPair:
        assert old.refresh_token == "live-refresh"
        return TokenPair("access-2", "refresh-2", 0.0)

    keeper._refresh = platform_refresh  # the platform's answer; the saving is ours
    asyncio.run(keeper.refresh("live-access"))
    with session_scope() as session:
        stored = resolved_config(session=session, platform="shopee")
    assert (stored["access_token"], stored["refresh_token"]) == ("access-2", "refresh-2")
    assert stored["partner_key"] == "live-partner-key-123"
    again = catalog_connector("shopee", client=httpx.AsyncClient())
    assert again.tokens.tokens.refresh_token == "refresh-2"
    assert "refresh-2" not in api.get("/connectors").text


def test_settings_form_describes_fields_and_never_values(api, env):
    from backend.connectors.forms import platform_fields, platform_overview
    from backend.core.db import session_scope

    fields = {f.name: f for f in platform_fields("shopee")}
    assert fields["partner_key"].secret and fields["partner_key"].required_live
    assert fields["partner_id"].kind == "number" and not fields["partner_id"].secret
    assert fields["base_url"].kind == "text" and not fields["base_url"].secret
    assert platform_fields("nope") == []

    api.put("/connectors/shopee/default", json={"mode": "live", "settings": SHOPEE_LIVE})
    with session_scope() as session:
        overview = {row["platform"]: row for row in platform_overview(session=session)}
    assert overview["shopee"]["mode"] == "live"
    assert overview["shopee"]["secrets_set"] == ["access_token", "partner_key", "refresh_token"]
    assert overview["lazada"]["mode"] == "sandbox" and overview["lazada"]["secrets_set"] == []
    assert "live-partner-key-123" not in repr(overview)
    assert {"whatsapp", "email", "telegram", "tokopedia"} <= set(overview)
