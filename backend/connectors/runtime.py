"""Which configuration a connector gets at run time: the shop's live account, or the sandbox.

An account saved in Settings (``/connectors``) in ``live`` mode replaces the sandbox
defaults of its platform for every run; ``sandbox`` mode, or no account, keeps the
defaults (the sandbox's base URL and demo credentials). Only the account named
``default`` is used: one shop per platform per install, as the job specs have it.

Accounts are read once per ``ACCOUNT_TTL_SEC`` per process, not per connector: a run
builds dozens of connectors and the settings change rarely. A database that cannot be
reached falls back to the last accounts read (or none), so a brief outage does not turn
a live shop into the sandbox mid-run more than it has to.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from backend.connectors.types import TokenPair
from backend.core.errors import NonRetryableError

__all__ = ["ACCOUNT_TTL_SEC", "account_models", "configured", "connector_config",
           "forget_accounts", "sandbox_only", "token_saver"]

ACCOUNT_TTL_SEC = 30.0
ACCOUNT_NAME = "default"
M = TypeVar("M", bound=BaseModel)

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[str, tuple[float, dict[str, dict[str, Any]]]] = {}
# Set for a dry run: its connectors keep the sandbox defaults whatever is live.
_SANDBOX_ONLY: ContextVar[bool] = ContextVar("spio_sandbox_only", default=False)


@contextmanager
def sandbox_only(enabled: bool = True) -> Iterator[None]:
    """Within this block (and the tasks and threads it starts), every connector gets the
    sandbox defaults, never a live account: a dry run must not touch a real shop."""
    token = _SANDBOX_ONLY.set(enabled)
    try:
        yield
    finally:
        _SANDBOX_ONLY.reset(token)


def _read_live_accounts() -> dict[str, dict[str, Any]]:
    from backend.connectors.accounts import live_configs
    from backend.core.db import session_scope

    with session_scope() as session:
        return live_configs(session=session, name=ACCOUNT_NAME)


def _live_accounts() -> dict[str, dict[str, Any]]:
    from backend.core.config import get_settings

    database = get_settings().resolved_database_url
    now = time.monotonic()
    with _lock:
        hit = _cache.get(database)
        if hit is not None and now - hit[0] < ACCOUNT_TTL_SEC:
            return hit[1]
    try:
        accounts = _read_live_accounts()
    except Exception as exc:  # noqa: BLE001 - keep the last known accounts on any DB error
        log.warning("connector accounts unreadable (%s); keeping the last ones read",
                    exc.__class__.__name__)
        accounts = hit[1] if hit is not None else {}
    with _lock:
        _cache[database] = (now, accounts)
    return accounts


def forget_accounts() -> None:
    """Drop the cache (after an account is saved in this process, and in tests)."""
    with _lock:
        _cache.clear()


def connector_config(platform: str, model: type[M]) -> M | None:
    """``model`` built from the live account of ``platform``, or None for the sandbox."""
    if _SANDBOX_ONLY.get():
        return None
    settings = _live_accounts().get(platform)
    if settings is None:
        return None
    try:
        return model(**settings)
    except ValidationError as exc:
        # Name the fields, never the values: they may be secrets.
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise NonRetryableError(
            f"{platform} account {ACCOUNT_NAME!r} is incomplete or invalid ({fields}); "
            "fix it in Settings → Connectors"
        ) from None


def token_saver(platform: str) -> Callable[[TokenPair], Awaitable[None]]:
    """The ``on_token_refresh`` of a live account's connector: store the new pair."""

    def store(tokens: TokenPair) -> None:
        from backend.connectors.accounts import store_tokens
        from backend.core.db import session_scope

        with session_scope() as session:
            store_tokens(session=session, platform=platform, name=ACCOUNT_NAME,
                         access_token=tokens.access_token,
                         refresh_token=tokens.refresh_token or "")

    async def on_refresh(tokens: TokenPair) -> None:
        await asyncio.to_thread(store, tokens)

    return on_refresh


def configured(platform: str, model: type[M]) -> M:
    """The live account's config of ``platform``, else ``model``'s (sandbox) defaults."""
    return connector_config(platform, model) or model()



def account_models() -> dict[str, type[BaseModel]]:
    """Platform → the config model its account fills in. Imported here, not at module
    level: the registry and the connectors import this module."""
    from backend.connectors import (
        crm,
        email,
        facebook_ads,
        fx,
        google_ads,
        google_analytics,
        inventory,
        market,
        pim,
        sms,
        social,
        telegram,
        tiktok_ads,
        whatsapp,
    )
    from backend.connectors.registry import CATALOG_PLATFORMS

    return {
        **{name: model for name, (_, model) in CATALOG_PLATFORMS.items()},
        "whatsapp": whatsapp.WhatsAppConfig, "telegram": telegram.TelegramConfig,
        "sms": sms.SmsConfig, "email": email.EmailConfig, "crm": crm.CrmConfig,
        "social": social.SocialConfig, "google_analytics": google_analytics.GoogleAnalyticsConfig,
        "google_ads": google_ads.GoogleAdsConfig, "facebook_ads": facebook_ads.FacebookAdsConfig,
        "tiktok_ads": tiktok_ads.TikTokAdsConfig, "fx": fx.FxConfig,
        "inventory": inventory.InventoryConfig, "pim": pim.PimConfig,
        "market": market.MarketConfig,
    }
