"""Where a connector's settings come from when no live account is saved.

A *defaults provider* is a function ``(name, settings) -> values`` (base URL, demo
credentials; ``settings`` is the run's ``Settings``, or None for the process's own)
that a package registers under the ``spio.connector_defaults`` entry point; the sandbox
registers its demo accounts this way, so a fresh install talks to it with no setup,
and no shipped module imports it. Providers are loaded once per process, on first use
(or registered by hand with :func:`register`). An install without any provider has no
defaults: a connector then needs a live account, and says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from backend.core.errors import NonRetryableError

if TYPE_CHECKING:
    from backend.core.config import Settings

__all__ = ["ENTRY_POINT_GROUP", "Provider", "register", "values_for", "default_value",
           "default_factory", "forget_providers"]  # fmt: skip

ENTRY_POINT_GROUP = "spio.connector_defaults"
Provider = Callable[[str, "Settings | None"], Mapping[str, Any]]

_lock = threading.Lock()
_providers: list[Provider] | None = None


def _loaded() -> list[Provider]:
    global _providers
    with _lock:
        if _providers is None:
            _providers = [ep.load() for ep in entry_points(group=ENTRY_POINT_GROUP)]
        return _providers


def register(provider: Provider) -> None:
    """Add a provider (after those of the entry points); it wins over them."""
    _loaded().insert(0, provider)


def forget_providers() -> None:
    """Load the providers again on next use (tests)."""
    global _providers
    with _lock:
        _providers = None


def values_for(name: str, *, settings: Settings | None = None) -> dict[str, Any]:
    """The default settings of connector ``name`` (the first provider that has some)."""
    for provider in _loaded():
        values = provider(name, settings)
        if values:
            return dict(values)
    return {}


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
