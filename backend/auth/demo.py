"""Demo mode's door: who may act without a token (LOCAL_ANONYMOUS_ROLE).

`scripts/up` runs in demo mode so the seed's curl examples work verbatim from the
machine itself. A reverse proxy on the same host (nginx or Caddy for TLS) makes every
visitor a loopback client, and a page on another local origin runs in the same browser
as the seller: neither must inherit the demo role. So the role goes only to a request

- from a loopback address,
- that names this machine as its Host (``localhost``, ``127.0.0.1``, ``[::1]``),
- that carries no proxy header (``Forwarded``, ``X-Forwarded-*``, ``X-Real-IP``, ``Via``...),
- over HTTP/1.1 or later (nginx's ``proxy_pass`` speaks HTTP/1.0 unless told otherwise),
- and, when a browser sent it, from one of this app's own origins (``Origin`` header).

The API (``backend.api.deps``) and the UI (``spio_ui.state``) both ask :func:`demo_role`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from backend.core.config import Settings, get_settings

__all__ = ["demo_role", "is_loopback", "came_through_proxy", "PROXY_HEADERS"]

# Headers a proxy adds (the X-Forwarded-* family is matched by prefix).
PROXY_HEADERS = frozenset({
    "forwarded", "x-real-ip", "via", "x-client-ip", "x-original-forwarded-for",
    "true-client-ip", "cf-connecting-ip", "fastly-client-ip", "x-cluster-client-ip",
})
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


def is_loopback(address: str) -> bool:
    """Whether ``address`` (a client's IP, or "localhost") is this machine."""
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def came_through_proxy(header_names: Iterable[str]) -> bool:
    """Whether any header is one that proxies add."""
    for name in header_names:
        lowered = name.lower()
        if lowered in PROXY_HEADERS or lowered.startswith("x-forwarded-"):
            return True
    return False


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def demo_role(
    *,
    client_host: str,
    headers: dict[str, str],
    http_version: str = "1.1",
    settings: Settings | None = None,
) -> str:
    """The demo role for this request, or "" when it must show a token.

    ``headers`` are the request's headers with lower-case names.
    """
    settings = settings or get_settings()
    role = settings.local_anonymous_role
    if not role or not is_loopback(client_host):
        return ""
    if came_through_proxy(headers) or http_version in ("1.0", "0.9"):
        return ""
    if _host_name(headers.get("host", "")) not in _LOCAL_HOSTS:
        return ""
    origin = headers.get("origin")
    if origin is not None and origin.lower().rstrip("/") not in settings.app_origins:
        return ""
    return role
