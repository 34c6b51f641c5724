"""No shipped default secret: the encryption key, every signing key and the tracking
webhook's secret come from a secret generated per install at first start (kept with
the data, as data_dir/secret.key); the placeholder is refused everywhere, and the
probe's forged preview link (signed with `change-me`, exp=2^62) shows nothing."""

from __future__ import annotations

import ast
import hashlib
import hmac
import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from backend.core import security
from backend.core.config import PLACEHOLDER_SECRETS, PROJECT_ROOT, Settings, get_settings
from backend.sandbox.credentials import CREDENTIALS
from tests.jobs.test_artifacts import _run_with_files

SIGNING_PURPOSES = ("artifact-preview", "tracking-webhook")


@pytest.mark.parametrize("environment", ["development", "test", "production"])
@pytest.mark.parametrize("field", ["secret_key", "tracking_webhook_secret"])
def test_the_placeholder_is_refused_in_every_environment(environment: str, field: str):
    for placeholder in ("change-me", "CHANGE-ME "):
        with pytest.raises(ValidationError, match="placeholder"):
            Settings(environment=environment, **{field: placeholder})


def test_production_refuses_the_sandbox_webhook_secret():
    with pytest.raises(ValidationError, match="sandbox"):
        Settings(environment="production", tracking_webhook_secret="sandbox-webhook-secret")


def test_a_forged_preview_link_shows_nothing(env, api):
    """The probe's request: HMAC('change-me', 'artifact:{id}:{2**62}') with no token."""
    _, (artifact_id,) = _run_with_files(env, job_id="bi", workflow="bi_report",
                                        status="succeeded", files={"a.pdf": b"%PDF-secret"})
    api.headers.pop("Authorization")
    exp = 2**62
    for key in (b"change-me", b"", b"sandbox-webhook-secret"):
        sig = hmac.new(key, f"artifact:{artifact_id}:{exp}".encode(), hashlib.sha256).hexdigest()
        forged = api.get(f"/artifacts/{artifact_id}/inline", params={"exp": exp, "sig": sig})
        assert forged.status_code == 404 and b"%PDF-secret" not in forged.content
    # Even the install's own key cannot make a link that lives for ever.
    sig = hmac.new(security.signing_key("artifact-preview"),
                   f"artifact:{artifact_id}:{exp}".encode(), hashlib.sha256).hexdigest()
    assert api.get(f"/artifacts/{artifact_id}/inline",
                   params={"exp": exp, "sig": sig}).status_code == 404


def _fresh_install_keys(data_dir: Path, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    security.clear_key_caches()
    try:
        keys = {p: security.signing_key(p).hex() for p in SIGNING_PURPOSES}
        keys["fernet"] = (data_dir / "secret.key").read_text().strip()
        keys["webhook"] = security.tracking_webhook_secret()
        return keys
    finally:
        get_settings.cache_clear()
        security.clear_key_caches()


def test_each_install_generates_its_own_secret_at_first_start(env, tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("TRACKING_WEBHOOK_SECRET", raising=False)
    first = _fresh_install_keys(tmp_path / "a", monkeypatch)
    second = _fresh_install_keys(tmp_path / "b", monkeypatch)
    again = _fresh_install_keys(tmp_path / "a", monkeypatch)  # a restart reads it back
    assert first == again
    assert all(first[name] != second[name] for name in first)
    assert len({first[p] for p in (*SIGNING_PURPOSES, "fernet")}) == 3  # one per purpose
    assert first["webhook"] == first["tracking-webhook"]
    mode = stat.S_IMODE(os.stat(tmp_path / "a" / "secret.key").st_mode)
    assert mode == 0o600


def _literals_in_code() -> set[str]:
    """Every string literal of the shipped code (and the sandbox's public credentials)."""
    found: set[str] = set(PLACEHOLDER_SECRETS) | {"sandbox-webhook-secret"}
    for path in (PROJECT_ROOT / "backend").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    for creds in CREDENTIALS.values():
        found.update(str(v) for v in creds.values())
    return {text for text in found if len(text) >= 6}


def test_no_literal_default_secret_is_in_use(env, monkeypatch):
    """The configuration of an install started with the defaults (as `scripts/up` does):
    no secret it uses appears anywhere in the code as a literal."""
    for name in ("SECRET_KEY", "TRACKING_WEBHOOK_SECRET", "LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    security.clear_key_caches()
    settings = get_settings()
    in_use = {"fernet key": security._keys()[0].decode(),
              "tracking webhook secret": security.tracking_webhook_secret()}
    in_use.update({f"signing key {p}": security.signing_key(p).hex() for p in SIGNING_PURPOSES})
    for name, value in settings.model_dump().items():
        if any(word in name for word in ("secret", "key", "token", "password")):
            in_use[f"setting {name}"] = str(value)
    literals = _literals_in_code()
    assert len(literals) > 1000  # the scan did read the code
    leaked = {name for name, value in in_use.items()
              if value and any(value == lit or (len(lit) >= 12 and lit in value)
                               for lit in literals)}
    assert not leaked, f"shipped defaults in use: {sorted(leaked)}"


def test_key_rotation_reencrypts_every_stored_secret(api, env):
    from backend.auth.keys import rotate_install_key
    from backend.connectors.accounts import resolved_config
    from backend.core.db import session_scope

    secret = "sk_live_rotate_me_4242"
    assert api.put("/connectors/crm/default", json={
        "mode": "sandbox", "settings": {"api_key": secret}}).status_code == 200
    key_file = env.data_dir / "secret.key"
    old_key = key_file.read_text()
    assert rotate_install_key() == 1
    assert key_file.read_text() != old_key
    assert (env.data_dir / "secret.key.previous").read_text() == old_key
    (env.data_dir / "secret.key.previous").unlink()  # the operator checks, then deletes
    security.clear_key_caches()
    with session_scope() as session:
        assert resolved_config(session=session, platform="crm")["api_key"] == secret
    assert api.get("/connectors").json()[0]["secrets_set"] == ["api_key"]
