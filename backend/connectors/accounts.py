"""Connector accounts: per-platform settings with write-only, encrypted secrets.

Fields whose name ends in key, secret, token or password are secrets: they are stored
as Fernet ciphertext (SECRET_KEY), never returned, never logged. Saving an account
without a secret keeps the one stored (so an edit form need not re-enter it).
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlmodel import Session, col, select

from backend.core.errors import ErrorItem, InvalidInput, NotFound
from backend.core.security import decrypt_secret, encrypt_secret
from backend.models import ConnectorAccount
from backend.models.types import utcnow

__all__ = ["is_secret_field", "save_account", "public_view", "list_accounts",
           "resolved_config", "delete_account"]

_SECRET = re.compile(r"(key|secret|token|password)$", re.IGNORECASE)
MODES = ("sandbox", "live")


def is_secret_field(name: str) -> bool:
    return bool(_SECRET.search(name))


def _find(session: Session, platform: str, name: str) -> ConnectorAccount | None:
    return session.exec(select(ConnectorAccount).where(
        ConnectorAccount.platform == platform, ConnectorAccount.name == name)).first()


def save_account(*, session: Session, platform: str, name: str, mode: str,
                 settings: dict[str, Any]) -> ConnectorAccount:
    """Create or update an account; secrets in ``settings`` are encrypted at once."""
    if mode not in MODES:
        raise InvalidInput([ErrorItem("mode", "must be sandbox or live")])
    if mode == "live" and not str(settings.get("base_url", "")).startswith("https://"):
        raise InvalidInput([ErrorItem("settings.base_url",
                                      "a live connector needs an https:// base URL")])
    public = {k: v for k, v in settings.items() if not is_secret_field(k)}
    secrets = {k: str(v) for k, v in settings.items() if is_secret_field(k) and v not in
               (None, "")}
    account = _find(session, platform, name)
    if account is None:
        account = ConnectorAccount(platform=platform, name=name)
    elif account.secret_encrypted:
        secrets = {**json.loads(decrypt_secret(account.secret_encrypted)), **secrets}
    account.mode = mode
    account.config = public
    account.secret_encrypted = encrypt_secret(json.dumps(secrets)) if secrets else None
    account.updated_at = utcnow()
    session.add(account)
    session.flush()
    return account


def public_view(account: ConnectorAccount) -> dict[str, Any]:
    """What the API and UI may show: settings, and only the names of stored secrets."""
    names: list[str] = []
    if account.secret_encrypted:
        names = sorted(json.loads(decrypt_secret(account.secret_encrypted)))
    return {"id": account.id, "platform": account.platform, "name": account.name,
            "mode": account.mode, "settings": account.config, "secrets_set": names,
            "updated_at": account.updated_at}


def list_accounts(*, session: Session) -> list[ConnectorAccount]:
    return list(session.exec(select(ConnectorAccount).order_by(
        col(ConnectorAccount.platform), col(ConnectorAccount.name))).all())


def resolved_config(*, session: Session, platform: str, name: str = "default"
                    ) -> dict[str, Any] | None:
    """Settings with secrets decrypted, for a connector to use (never for display)."""
    account = _find(session, platform, name)
    if account is None:
        return None
    secrets = json.loads(decrypt_secret(account.secret_encrypted)) \
        if account.secret_encrypted else {}
    return {**account.config, **secrets}


def delete_account(*, session: Session, platform: str, name: str) -> None:
    account = _find(session, platform, name)
    if account is None:
        raise NotFound(f"no {platform} account {name!r}")
    session.delete(account)
