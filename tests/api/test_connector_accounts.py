"""Connector secrets: encrypted at rest, write-only through the API."""

from __future__ import annotations

from pathlib import Path


def test_secrets_are_encrypted_at_rest_and_never_returned(api, env):
    secret = "sk_live_very_secret_partner_key_123"
    saved = api.put("/connectors/shopee/default", json={
        "mode": "sandbox",
        "settings": {"partner_id": 2001, "partner_key": secret, "shop_id": 77}})
    assert saved.status_code == 200
    body = saved.text
    assert secret not in body and saved.json()["secrets_set"] == ["partner_key"]
    assert saved.json()["settings"] == {"partner_id": 2001, "shop_id": 77}
    # an edit without the secret keeps it
    edited = api.put("/connectors/shopee/default", json={
        "mode": "sandbox", "settings": {"partner_id": 2002}}).json()
    assert edited["secrets_set"] == ["partner_key"]
    listed = api.get("/connectors").text
    assert secret not in listed
    db_bytes = b"".join(p.read_bytes() for p in Path(env.data_dir).glob("spio.db*"))
    assert secret.encode() not in db_bytes
    from backend.connectors.accounts import resolved_config
    from backend.core.db import session_scope

    with session_scope() as session:
        assert resolved_config(session=session, platform="shopee")["partner_key"] == secret


def test_live_mode_needs_https(api):
    bad = api.put("/connectors/shopee/live1", json={
        "mode": "live", "settings": {"base_url": "http://partner.example"}})
    assert bad.status_code == 422
    errors = {e["path"]: e["message"] for e in bad.json()["errors"]}
    assert "https://" in errors["settings.base_url"]
    # every other problem is named in the same answer, not one per attempt
    assert errors["settings.partner_key"] == "required for a live account"
    # The settings form (and a caller asking for Indonesian) gets the same in Indonesian.
    said = api.put("/connectors/shopee/live1", headers={"Accept-Language": "id"}, json={
        "mode": "live", "settings": {"base_url": "http://partner.example"}}).json()
    in_id = {e["path"]: e["message"] for e in said["errors"]}
    assert in_id["settings.partner_key"] == "wajib diisi untuk akun live"
    assert in_id["settings.base_url"] == "konektor live perlu alamat dasar https://"
