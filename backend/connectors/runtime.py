"""``ctx.platforms``: the one door from a workflow to the platforms.

    shop = ctx.platforms.catalog("shopee")                    # the shop's default account
    shop = ctx.platforms.catalog("shopee", account="toko-a")  # another saved account
    await shop.update_price(sku, 139_900, idempotency_key=key)

Here the settings of each connector are resolved, once per run and account: the live
account saved in Settings → Connectors under that platform and name, else the defaults
(the sandbox's demo account, which the sandbox registers; see ``connectors.defaults``).
A dry run (:func:`sandbox_only`) always gets the defaults. Every call of a connector
handed out takes a rate slot and follows the one call policy (``connectors.door``).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from backend.connectors.accounts import DEFAULT_ACCOUNT, live_accounts
from backend.connectors.catalog import CatalogConnector
from backend.connectors.crm import CrmConnector
from backend.connectors.defaults import values_for
from backend.connectors.door import PlatformCalls, guarded
from backend.connectors.fx import FxConnector
from backend.connectors.google_analytics import GoogleAnalyticsConnector
from backend.connectors.inventory import InventoryConnector
from backend.connectors.market import MarketConnector
from backend.connectors.messages import ChannelConnector
from backend.connectors.pim import PimConnector
from backend.connectors.policy import RetryBudget
from backend.connectors.registry import (
    ADS_PLATFORMS,
    CHANNELS,
    DATA_SOURCES,
    account_platform,
    catalog_class,
)
from backend.connectors.social import SocialConfig, SocialConnector
from backend.connectors.social_replies import SocialReplies
from backend.connectors.types import TokenPair
from backend.core.config import Settings
from backend.core.errors import NonRetryableError

__all__ = ["Platforms", "connector_config", "sandbox_only", "token_saver", "catalog_connector"]

M = TypeVar("M", bound=BaseModel)
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


def connector_config(platform: str, model: type[M], *, account: str = DEFAULT_ACCOUNT
                     ) -> M | None:  # fmt: skip
    """``model`` built from the live account ``account`` of ``platform``, or None (the
    defaults apply)."""
    if _SANDBOX_ONLY.get():
        return None
    settings = live_accounts(account).get(platform)
    if settings is None:
        return None
    try:
        return model(**settings)
    except ValidationError as exc:
        # Name the fields, never the values: they may be secrets.
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise NonRetryableError(
            f"{platform} account {account!r} is incomplete or invalid ({fields}); "
            "fix it in Settings → Connectors"
        ) from None


def token_saver(platform: str, account: str = DEFAULT_ACCOUNT
                ) -> Callable[[TokenPair], Awaitable[None]]:  # fmt: skip
    """The ``on_token_refresh`` of a live account's connector: store the new pair."""

    def store(tokens: TokenPair) -> None:
        from backend.connectors.accounts import store_tokens
        from backend.core.db import session_scope

        with session_scope() as session:
            store_tokens(session=session, platform=platform, name=account,
                         access_token=tokens.access_token,
                         refresh_token=tokens.refresh_token or "")

    async def on_refresh(tokens: TokenPair) -> None:
        await asyncio.to_thread(store, tokens)

    return on_refresh


def _defaults(platform: str, model: type[M], settings: Settings | None, *,
              account: str = DEFAULT_ACCOUNT) -> M:  # fmt: skip
    """``model`` from the registered defaults of ``account``, with this run's settings
    (the sandbox's address, the mail server). An account neither saved nor played by a
    provider is an error: falling back to the default shop would write to the wrong one."""
    if platform == "email" and settings is not None:
        return model(host=settings.smtp_host, port=settings.smtp_port,
                     sender=settings.smtp_sender)  # fmt: skip
    values = values_for(platform, settings=settings, account=account)
    if not values and account != DEFAULT_ACCOUNT:
        raise NonRetryableError(f"{platform} account {account!r} is not live and the "
                                "sandbox plays no such shop; set it live in Settings → "
                                "Connectors")  # fmt: skip
    return model(**{k: v for k, v in values.items() if k in model.model_fields})


def build_connector(cls: Any, model: type[BaseModel], platform: str, *,
                    client: httpx.AsyncClient | None, account: str = DEFAULT_ACCOUNT,
                    settings: Settings | None = None) -> Any:  # fmt: skip
    """A connector of ``cls`` with the account's settings (live, else the defaults)."""
    kwargs: dict[str, Any] = {} if client is None else {"client": client}
    # "tiktok" in a job is TikTok Shop's account; one saved under the alias before
    # Settings stopped offering it still counts.
    saved_as = account_platform(platform)
    live = connector_config(saved_as, model, account=account)
    if live is None and saved_as != platform:
        saved_as = platform
        live = connector_config(platform, model, account=account)
    if live is not None and "on_token_refresh" in inspect.signature(cls).parameters:
        kwargs["on_token_refresh"] = token_saver(saved_as, account)
    return cls(config=live or _defaults(platform, model, settings, account=account), **kwargs)


def catalog_connector(platform: str, *, client: httpx.AsyncClient,
                      account: str = DEFAULT_ACCOUNT) -> CatalogConnector:  # fmt: skip
    """The catalog connector of ``platform`` for ``account``, without the call policy
    (for code outside a run; workflows use ``ctx.platforms.catalog``)."""
    cls, model = catalog_class(platform)
    return build_connector(cls, model, platform, client=client, account=account)  # type: ignore[no-any-return]


class Platforms:
    """Configured connectors behind one call policy, for one run (``ctx.platforms``).

    Connectors are built once per (platform, account) and reused: a token refreshed or
    an item id looked up is kept for the rest of the run. Every ``account`` argument
    defaults to the ``default`` account, one shop per platform as the job specs have it.
    """

    def __init__(self, *, client: httpx.AsyncClient, calls: PlatformCalls,
                 settings: Settings | None = None) -> None:  # fmt: skip
        self._client, self._calls, self._settings = client, calls, settings
        self._built: dict[tuple[str, str], Any] = {}

    def _raw(self, table: dict[str, tuple[Any, type[BaseModel]]] | None, platform: str,
             account: str) -> Any:  # fmt: skip
        connector = self._built.get((platform, account))
        if connector is None:
            cls, model = catalog_class(platform) if table is None else table[platform]
            client = None if platform == "email" else self._client
            connector = build_connector(cls, model, platform, client=client, account=account,
                                        settings=self._settings)  # fmt: skip
            self._built[(platform, account)] = connector
        return connector

    def _door(self, connector: Any, *, bucket: str, rate_as: str, account: str,
              budget: RetryBudget | None = None) -> Any:  # fmt: skip
        return guarded(connector, self._calls, bucket=f"{bucket}:{account}", rate_as=rate_as,
                       budget=budget)  # fmt: skip

    def catalog(self, platform: str, *, account: str = DEFAULT_ACCOUNT,
                budget: RetryBudget | None = None) -> CatalogConnector:  # fmt: skip
        """Our listings on ``platform`` (a ValueError names an unknown platform)."""
        raw = self._raw(None, platform, account)
        return self._door(raw, bucket=platform, rate_as=platform, account=account,  # type: ignore[no-any-return]
                          budget=budget)

    def market(self, marketplace: str, *, account: str = DEFAULT_ACCOUNT) -> MarketConnector:
        """Competitor prices, our stats and orders on ``marketplace`` (its own slots)."""
        raw = self._raw(DATA_SOURCES, "market", account)
        return self._door(raw, bucket=f"market:{marketplace}", rate_as="market",  # type: ignore[no-any-return]
                          account=account)

    def _source(self, name: str, account: str) -> Any:
        return self._door(self._raw(DATA_SOURCES, name, account), bucket=name, rate_as=name,
                          account=account)  # fmt: skip

    def inventory(self, *, account: str = DEFAULT_ACCOUNT) -> InventoryConnector:
        return self._source("inventory", account)  # type: ignore[no-any-return]

    def pim(self, *, account: str = DEFAULT_ACCOUNT) -> PimConnector:
        return self._source("pim", account)  # type: ignore[no-any-return]

    def crm(self, *, account: str = DEFAULT_ACCOUNT) -> CrmConnector:
        return self._source("crm", account)  # type: ignore[no-any-return]

    def social(self, *, account: str = DEFAULT_ACCOUNT) -> SocialConnector:
        return self._source("social", account)  # type: ignore[no-any-return]

    def analytics(self, *, account: str = DEFAULT_ACCOUNT) -> GoogleAnalyticsConnector:
        return self._source("google_analytics", account)  # type: ignore[no-any-return]

    def fx(self, *, account: str = DEFAULT_ACCOUNT) -> FxConnector:
        return self._source("fx", account)  # type: ignore[no-any-return]

    def social_replies(self, *, account: str = DEFAULT_ACCOUNT) -> SocialReplies:
        """Public replies under posts, with the social account's token and host."""
        key = ("social_replies", account)
        if key not in self._built:
            config = connector_config("social", SocialConfig, account=account)
            default = _defaults("social", SocialConfig, self._settings, account=account)
            self._built[key] = SocialReplies(client=self._client, config=config or default)
        return self._door(self._built[key], bucket="social", rate_as="social",  # type: ignore[no-any-return]
                          account=account)

    def ads(self, platform: str, *, account: str = DEFAULT_ACCOUNT) -> Any:
        """An ad account (facebook_ads, google_ads, tiktok_ads): ``daily_rows``."""
        return self._door(self._raw(ADS_PLATFORMS, platform, account), bucket=platform,
                          rate_as=platform, account=account)  # fmt: skip

    def channel(self, channel: str, *, account: str = DEFAULT_ACCOUNT) -> ChannelConnector:
        """A messaging channel's connector, bare: the messaging tool sends through it
        under the same policy, with its own exactly-once ledger around each send."""
        return self._raw(CHANNELS, channel, account)  # type: ignore[no-any-return]

    def stats(self) -> dict[str, Any]:
        """This run's calls, 429s met and retries, per platform."""
        return self._calls.stats.as_dict()
