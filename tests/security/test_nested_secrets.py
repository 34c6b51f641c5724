"""Nested connector secrets (google_* ``oauth.*``, ``market.shop_tokens``) are secrets
like top-level ones: encrypted at rest (SQLite and PostgreSQL), never in GET or PUT
/connectors, never in the settings form; the connector still gets them."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from backend.connectors.accounts import resolved_config
from backend.connectors.forms import platform_fields, platform_overview
from backend.core.db import session_scope

OAUTH = {"client_id": "client-123.apps", "client_secret": "GOCSPX-oauth-client-secret-77",
         "access_token": "ya29.oauth-access-token-77", "refresh_token": "1//oauth-refresh-77"}
SHOP_TOKENS = {"shopee": "shop-token-shopee-77", "lazada": "shop-token-lazada-77"}
SECRETS = [OAUTH["client_secret"], OAUTH["access_token"], OAUTH["refresh_token"],
           *SHOP_TOKENS.values()]


def _database_bytes(env) -> bytes:
    url = env.resolved_database_url
    if url.startswith("sqlite"):
        return b"".join(p.read_bytes() for p in Path(env.data_dir).glob("spio.db*"))
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = conn.execute("SELECT config::text, coalesce(secret_encrypted, '') "
                            "FROM connector_accounts").fetchall()
    return "\n".join(a + b for a, b in rows).encode()


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
def test_nested_secrets_are_encrypted_and_never_shown(api, env):
    answers = []
    for platform in ("google_ads", "google_analytics", "google_shopping"):
        saved = api.put(f"/connectors/{platform}/default",
                        json={"mode": "sandbox", "settings": {"oauth": OAUTH}})
        assert saved.status_code == 200, saved.text
        assert saved.json()["settings"]["oauth"] == {"client_id": "client-123.apps"}
        assert saved.json()["secrets_set"][-3:] == [
            "oauth.access_token", "oauth.client_secret", "oauth.refresh_token"]
        answers.append(saved.text)
    market = api.put("/connectors/market/default",
                     json={"mode": "sandbox", "settings": {"shop_tokens": SHOP_TOKENS}})
    assert market.status_code == 200
    assert market.json()["secrets_set"] == ["shop_tokens.lazada", "shop_tokens.shopee"]
    answers += [market.text, api.get("/connectors").text]

    with session_scope() as session:
        overview = platform_overview(session=session)
        config = resolved_config(session=session, platform="google_ads")
        market_config = resolved_config(session=session, platform="market")
    stored = _database_bytes(env)
    for secret in SECRETS:
        assert all(secret not in answer for answer in answers), "secret in an API answer"
        assert secret not in repr(overview), "secret in the settings form's data"
        assert secret.encode() not in stored, "secret stored in plaintext"
    # The connector still receives every value.
    assert config["oauth"] == OAUTH
    assert market_config["shop_tokens"] == SHOP_TOKENS


def test_an_edit_keeps_stored_nested_secrets_and_the_form_hides_them(api):
    api.put("/connectors/google_ads/default", json={"mode": "sandbox",
                                                    "settings": {"oauth": OAUTH}})
    # The form sends dotted names; a blank secret keeps the stored one.
    edited = api.put("/connectors/google_ads/default", json={
        "mode": "sandbox", "settings": {"oauth.client_id": "client-456.apps"}})
    assert edited.status_code == 200
    assert edited.json()["settings"]["oauth"] == {"client_id": "client-456.apps"}
    assert "oauth.refresh_token" in edited.json()["secrets_set"]
    fields = {f.name: f.secret for f in platform_fields("google_ads")}
    assert fields["oauth.client_secret"] and fields["oauth.refresh_token"]
    assert not fields["oauth.client_id"]
    assert {f.name for f in platform_fields("market")} >= {"shop_tokens.shopee"}
    with session_scope() as session:
        assert resolved_config(session=session, platform="google_ads")["oauth"] == {
            **OAUTH, "client_id": "client-456.apps"}


def test_the_migration_seals_nested_secrets_saved_in_plaintext(env, tmp_path, monkeypatch):
    """An account saved before nested secrets counted: its plaintext oauth.* and
    shop_tokens.* move into the encrypted column on `alembic upgrade head`."""
    import json
    import sqlite3

    from alembic import command
    from alembic.config import Config

    from backend.core.config import PROJECT_ROOT, get_settings
    from backend.core.db import dispose_engines

    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0005")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("INSERT INTO connector_accounts (platform, name, mode, config, updated_at)"
                     " VALUES ('google_ads', 'default', 'sandbox', ?, '2026-12-01')",
                     (json.dumps({"customer_id": "123", "oauth": OAUTH}),))
        conn.execute("INSERT INTO connector_accounts (platform, name, mode, config, updated_at)"
                     " VALUES ('market', 'default', 'sandbox', ?, '2026-12-01')",
                     (json.dumps({"shop_tokens": SHOP_TOKENS}),))
    command.upgrade(config, "head")
    dispose_engines()
    raw = (tmp_path / "old.db").read_bytes()
    assert all(secret.encode() not in raw for secret in SECRETS)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    dispose_engines()
    with session_scope() as session:
        assert resolved_config(session=session, platform="google_ads")["oauth"] == OAUTH
        assert resolved_config(session=session, platform="market")["shop_tokens"] == SHOP_TOKENS
    get_settings.cache_clear()
    dispose_engines()
