"""Keep the http tool away from private networks (SSRF guard).

A job spec may carry URLs typed by a user; without a guard a job could read a cloud
metadata service (169.254.169.254) or an admin port on the worker's own network.
Only globally routable addresses are reached, except hosts (names or addresses) on the
allow-list (``settings.http_allow_hosts``; the sandbox on loopback is on it).

The check runs where the address is known: on IP literals before a request leaves, and
inside the connector's DNS resolver, so a name that resolves (or re-resolves, DNS
rebinding) to a private address is refused too, and every redirect hop passes the same
gate because each hop is a new request through the transport.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from backend.core.errors import NonRetryableError

__all__ = ["ForbiddenAddress", "AddressPolicy", "GuardedResolver"]


class ForbiddenAddress(NonRetryableError):
    """The URL points at a private, loopback, link-local or metadata address."""

    code = "forbidden_address"


def _as_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    # ::ffff:10.0.0.1 reaches 10.0.0.1; judge the address it maps to.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


class AddressPolicy:
    """Decides whether a host or address may be contacted."""

    def __init__(self, allow_hosts: Iterable[str]) -> None:
        self._allow = {h.strip().lower().rstrip(".") for h in allow_hosts if h.strip()}

    @classmethod
    def from_setting(cls, value: str) -> AddressPolicy:
        """Build from the comma-separated ``http_allow_hosts`` setting."""
        return cls(value.split(","))

    def host_allowed(self, host: str) -> bool:
        """True when the host itself is on the allow-list."""
        return host.lower().rstrip(".").strip("[]") in self._allow

    def check_address(self, host: str, address: str) -> None:
        """Refuse ``address`` (resolved from ``host``) unless it is public or allowed."""
        if self.host_allowed(host) or self.host_allowed(address):
            return
        ip = _as_ip(address)
        if ip is None:
            raise ForbiddenAddress(f"refused {host}: unparseable address {address!r}")
        if not ip.is_global or ip.is_multicast:
            raise ForbiddenAddress(
                f"refused {host}: {ip} is a private, loopback, link-local or reserved "
                "address (add the host to HTTP_ALLOW_HOSTS if this is intended)"
            )

    def check_literal(self, host: str) -> None:
        """Check a URL host before connecting when it is an IP literal."""
        if _as_ip(host) is not None:
            self.check_address(host, host)


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that refuses names resolving to forbidden addresses."""

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None) -> None:
        self._policy = policy
        self._inner = inner or DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            self._policy.check_address(host, result["host"])
        return results

    async def close(self) -> None:
        await self._inner.close()
