"""Connector accounts: per-platform settings with write-only, encrypted secrets.

Secrets, at any depth (``backend.connectors.secret_fields``: ``SecretStr`` fields of the
connector's config model and names ending in key, secret, token or password, such as
``oauth.client_secret`` or ``shop_tokens.shopee``) are stored as Fernet ciphertext,
never returned, never logged: only their dotted names are shown. Saving an account
without a secret keeps the one stored (so an edit form need not re-enter it).

Runs read the live accounts through :func:`live_accounts`, once per ``ACCOUNT_TTL_SEC``
per process and account name, not per connector: a run builds dozens of connectors and
the settings change rarely. A database that cannot be reached falls back to the last
accounts read (or none), so a brief outage does not turn a live shop into the sandbox
mid-run more than it has to.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from backend.connectors.defaults import values_for
from backend.connectors.registry import account_models
from backend.connectors.secret_fields import (
    expand_dotted,
    is_secret_name,
    leaf_paths,
    merge_trees,
    shape_of,
    split_secrets,
)
from backend.core.errors import ErrorItem, InvalidInput, NotFound
from backend.core.messages import problem_item
from backend.core.problem_catalog import PYDANTIC_KEYS
from backend.core.security import decrypt_secret, encrypt_secret
from backend.models import ConnectorAccount
from backend.models.types import utcnow

__all__ = ["is_secret_field", "save_account", "public_view", "list_accounts",
           "resolved_config", "live_configs", "live_required", "store_tokens",
           "delete_account", "live_accounts", "forget_accounts", "DEFAULT_ACCOUNT",
           "ACCOUNT_TTL_SEC"]

MODES = ("sandbox", "live")
DEFAULT_ACCOUNT = "default"  # the account a job uses unless it names another
ACCOUNT_TTL_SEC = 30.0

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[float, dict[str, dict[str, Any]]]] = {}


def is_secret_field(name: str) -> bool:
    """Whether a setting called ``name`` is a secret by its name alone."""
    return is_secret_name(name)


def _stored_secrets(account: ConnectorAccount) -> dict[str, Any]:
    if not account.secret_encrypted:
        return {}
    value = json.loads(decrypt_secret(account.secret_encrypted))
    return value if isinstance(value, dict) else {}


def _find(session: Session, platform: str, name: str) -> ConnectorAccount | None:
    return session.exec(select(ConnectorAccount).where(
        ConnectorAccount.platform == platform, ConnectorAccount.name == name)).first()


def save_account(*, session: Session, platform: str, name: str, mode: str,
                 settings: dict[str, Any]) -> ConnectorAccount:
    """Create or update an account; secrets in ``settings`` are encrypted at once."""
    if mode not in MODES:
        raise InvalidInput([problem_item("mode", "connector.mode")])
    model = account_models().get(platform)
    if model is None:
        raise InvalidInput([problem_item("platform", "connector.unknown_platform",
                                         platform=platform,
                                         known=", ".join(sorted(account_models())))])
    settings = expand_dotted(settings)
    _check_fields(model, settings)
    public, secrets = split_secrets(settings, shape_of(model))
    account = _find(session, platform, name)
    if account is None:
        account = ConnectorAccount(platform=platform, name=name)
    else:
        secrets = merge_trees(_stored_secrets(account), secrets)
    if mode == "live":
        _check_complete(platform, model, merge_trees(public, secrets))
    account.mode = mode
    account.config = public
    account.secret_encrypted = encrypt_secret(json.dumps(secrets)) if secrets else None
    account.updated_at = utcnow()
    session.add(account)
    session.flush()
    forget_accounts()
    return account


def _check_fields(model: type[BaseModel], settings: dict[str, Any]) -> None:
    unknown = sorted(set(settings) - set(model.model_fields))
    if unknown:
        raise InvalidInput([problem_item(f"settings.{name}", "connector.unknown_setting",
                                         known=", ".join(model.model_fields))
                            for name in unknown])  # fmt: skip


def live_required(platform: str, model: type[BaseModel]) -> list[str]:
    """Fields a live account must set: those whose default is the sandbox's (its test
    credentials and ids, its address). A live shop half-filled with demo credentials
    would fail at the first call, or worse, talk to the sandbox."""
    sandboxed = set(values_for(platform)) | {"base_url", "host"}
    return [name for name in model.model_fields if name in sandboxed]


def _field_problem(err: Any) -> ErrorItem:
    """A setting pydantic refused; its kind in words where it has them (no value shown:
    it may be a secret)."""
    path = "settings." + ".".join(map(str, err["loc"]))
    key = PYDANTIC_KEYS.get(err["type"])
    if key is None:
        return ErrorItem(path, err["msg"])
    return ErrorItem(path, err["msg"], key=key,
                     params={k: str(v) for k, v in (err.get("ctx") or {}).items()})


def _check_complete(platform: str, model: type[BaseModel], settings: dict[str, Any]) -> None:
    """Every problem of a live account at once, each at its field."""
    errors: list[ErrorItem] = []
    try:
        model(**settings)
    except ValidationError as exc:
        # The values may be secrets: the errors name the fields and the reason only.
        errors += [_field_problem(e) for e in exc.errors()]
    errors += [problem_item(f"settings.{name}", "connector.required_live")
               for name in live_required(platform, model) if name not in settings]
    base_url = settings.get("base_url")
    if base_url is not None and not str(base_url).startswith("https://"):
        errors.append(problem_item("settings.base_url", "connector.https"))
    if errors:
        raise InvalidInput(errors)


def public_view(account: ConnectorAccount) -> dict[str, Any]:
    """What the API and UI may show: settings, and only the names of stored secrets."""
    names = leaf_paths(_stored_secrets(account))
    model = account_models().get(account.platform)
    # Split again on the way out: a row saved before nested secrets were recognised
    # (until its migration ran) must not show them either.
    shown, _ = split_secrets(account.config or {}, shape_of(model) if model else None)
    return {"id": account.id, "platform": account.platform, "name": account.name,
            "mode": account.mode, "settings": shown, "secrets_set": names,
            "updated_at": account.updated_at}


def list_accounts(*, session: Session) -> list[ConnectorAccount]:
    return list(session.exec(select(ConnectorAccount).order_by(
        col(ConnectorAccount.platform), col(ConnectorAccount.name))).all())


def resolved_config(*, session: Session, platform: str, name: str = "default"
                    ) -> dict[str, Any] | None:
    """Settings with secrets decrypted, for a connector to use (never for display)."""
    account = _find(session, platform, name)
    return None if account is None else _with_secrets(account)


def live_configs(*, session: Session, name: str) -> dict[str, dict[str, Any]]:
    """Platform → settings with secrets decrypted, of every live account called ``name``."""
    rows = session.exec(select(ConnectorAccount).where(
        ConnectorAccount.name == name, ConnectorAccount.mode == "live")).all()
    return {a.platform: _with_secrets(a) for a in rows}


def _with_secrets(account: ConnectorAccount) -> dict[str, Any]:
    return merge_trees(account.config or {}, _stored_secrets(account))


def store_tokens(*, session: Session, platform: str, name: str, access_token: str,
                 refresh_token: str) -> None:
    """Keep a refreshed token pair: platforms rotate the refresh token, so the old pair
    stops working once a connector has refreshed it."""
    account = _find(session, platform, name)
    if account is None:
        return
    secrets = _stored_secrets(account)
    secrets.update(access_token=access_token, refresh_token=refresh_token)
    account.secret_encrypted = encrypt_secret(json.dumps(secrets))
    account.updated_at = utcnow()
    session.add(account)
    forget_accounts()


def delete_account(*, session: Session, platform: str, name: str) -> None:
    account = _find(session, platform, name)
    if account is None:
        raise NotFound(f"no {platform} account {name!r}")
    session.delete(account)
    forget_accounts()


def _read_live_accounts(name: str) -> dict[str, dict[str, Any]]:
    from backend.core.db import session_scope

    with session_scope() as session:
        return live_configs(session=session, name=name)


def live_accounts(name: str = DEFAULT_ACCOUNT) -> dict[str, dict[str, Any]]:
    """Platform → settings (secrets decrypted) of the live accounts called ``name``."""
    from backend.core.config import get_settings

    cache_key = (get_settings().resolved_database_url, name)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(cache_key)
        if hit is not None and now - hit[0] < ACCOUNT_TTL_SEC:
            return hit[1]
    try:
        accounts = _read_live_accounts(name)
    except Exception as exc:  # noqa: BLE001 - keep the last known accounts on any DB error
        log.warning("connector accounts unreadable (%s); keeping the last ones read",
                    exc.__class__.__name__)
        accounts = hit[1] if hit is not None else {}
    with _lock:
        _cache[cache_key] = (now, accounts)
    return accounts


def forget_accounts() -> None:
    """Drop the cache (after an account is saved in this process, and in tests)."""
    from backend.connectors.shops import forget_saved  # it reads this module's names

    with _lock:
        _cache.clear()
    forget_saved()
