"""Where a connector's settings come from when no live account is saved.

A *defaults provider* is a function ``(name, settings, account) -> values`` (base URL,
demo credentials; ``settings`` is the run's ``Settings``, or None for the process's own;
``account`` the shop asked for, ``default`` unless a job names another) that a package
registers under the ``spio.connector_defaults`` entry point; the sandbox registers its
demo accounts this way, so a fresh install talks to it with no setup, and no shipped
module imports it. Under ``spio.connector_shops`` a package names the shops it plays
per platform (``platform -> [account, ...]``: the sandbox plays two per marketplace).
Providers are loaded once per process, on first use (or registered by hand with
:func:`register`). An install without any provider has no defaults: a connector then
needs a live account, and says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import SecretStr

from backend.core.errors import NonRetryableError

if TYPE_CHECKING:
    from backend.core.config import Settings

__all__ = ["ENTRY_POINT_GROUP", "SHOPS_ENTRY_POINT_GROUP", "DEFAULT_ACCOUNT", "Provider",
           "register", "values_for", "default_value", "default_factory", "default_accounts",
           "forget_providers"]  # fmt: skip

ENTRY_POINT_GROUP = "spio.connector_defaults"
SHOPS_ENTRY_POINT_GROUP = "spio.connector_shops"
DEFAULT_ACCOUNT = "default"  # the account a job uses unless it names another


class Provider(Protocol):
    def __call__(self, name: str, settings: Settings | None, account: str = ...,
                 /) -> Mapping[str, Any]: ...  # fmt: skip


ShopLister = Callable[[str], list[str]]

_lock = threading.Lock()
_providers: list[Provider] | None = None
_listers: list[ShopLister] | None = None


def _loaded() -> list[Provider]:
    global _providers
    with _lock:
        if _providers is None:
            _providers = [ep.load() for ep in entry_points(group=ENTRY_POINT_GROUP)]
        return _providers


def _shop_listers() -> list[ShopLister]:
    global _listers
    with _lock:
        if _listers is None:
            _listers = [ep.load() for ep in entry_points(group=SHOPS_ENTRY_POINT_GROUP)]
        return _listers


def register(provider: Provider) -> None:
    """Add a provider (after those of the entry points); it wins over them."""
    _loaded().insert(0, provider)


def forget_providers() -> None:
    """Load the providers again on next use (tests)."""
    global _providers, _listers
    with _lock:
        _providers = _listers = None


def values_for(name: str, *, settings: Settings | None = None,
               account: str = DEFAULT_ACCOUNT) -> dict[str, Any]:  # fmt: skip
    """The default settings of connector ``name`` for ``account`` (the first provider
    that has some; empty when none plays that account)."""
    for provider in _loaded():
        values = provider(name, settings, account)
        if values:
            return dict(values)
    return {}


def default_accounts(platform: str) -> list[str]:
    """The shops the installed providers play on ``platform`` (``default`` first), or
    ``[]`` when none plays it."""
    names: list[str] = []
    for lister in _shop_listers():
        names += [n for n in lister(platform) if n not in names]
    return names


def default_value(name: str, key: str) -> Any:
    """One default setting of connector ``name``; a missing one is a setup error."""
    values = values_for(name)
    if key not in values:
        raise NonRetryableError(
            f"{name}: no {key} configured and no defaults installed; save a live account "
            "in Settings → Connectors (or install the sandbox, whose demo accounts are "
            "the defaults; a source checkout may need `pip install -e .` again)")
    return values[key]


def default_factory(name: str, key: str, *, secret: bool = False) -> Callable[[], Any]:
    """A pydantic ``default_factory`` for a config field defaulting to ``key`` of ``name``."""

    def factory() -> Any:
        value = default_value(name, key)
        return SecretStr(str(value)) if secret else value

    return factory
