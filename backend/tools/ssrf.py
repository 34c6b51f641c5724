"""Keep the http tool away from private networks (SSRF guard).

A job spec may carry URLs typed by a user; without a guard a job could read a cloud
metadata service (169.254.169.254) or an admin port on the worker's own network.
Only globally routable addresses are reached, except hosts (names or addresses, with or
without a port) on the allow-list (``settings.http_allow_hosts``; outside production the
sandbox is added as ``host:port``). Loopback in any spelling is private, and this app's
own ports (API, Redis, database) are refused on every host unless named with the port:
an agent's ``http_post`` to the app itself would otherwise act with its rights.

The check runs where the address is known: on IP literals before a request leaves, and
inside the connector's DNS resolver, so a name that resolves (or re-resolves, DNS
rebinding) to a private address is refused too, and every redirect hop passes the same
gate because each hop is a new request through the transport.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from backend.core.config import Settings
from backend.core.errors import NonRetryableError

__all__ = ["ForbiddenAddress", "AddressPolicy", "GuardedResolver"]


class ForbiddenAddress(NonRetryableError):
    """The URL points at a private, loopback, link-local or metadata address."""

    code = "forbidden_address"


def _as_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    bare = text.strip("[]").split("%", 1)[0]
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None
    try:
        ip = ipaddress.ip_address(bare)
    except ValueError:
        ip = _legacy_ipv4(bare)
        if ip is None:
            return None
    # ::ffff:10.0.0.1 reaches 10.0.0.1; judge the address it maps to.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _entry(text: str) -> tuple[str, int | None]:
    """``host`` or ``host:port`` (IPv6 as ``[::1]:8900`` or bare ``::1``) of the list."""
    text = text.strip().lower().rstrip(".")
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":")
        return host, int(port) if port.isdigit() else None
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host.rstrip("."), int(port) if port.isdigit() else None
    return text, None


def _norm(host: str) -> str:
    return host.lower().rstrip(".").strip("[]")


def _legacy_ipv4(text: str) -> ipaddress.IPv4Address | None:
    """IPv4 in the spellings the C resolver still accepts (``2130706433``,
    ``0x7f000001``, ``0177.0.0.1``, ``127.1``): judged as the address they reach."""
    if not text or not all(c in "0123456789abcdefxABCDEFX." for c in text.rstrip(".")):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text.rstrip(".")))
    except (OSError, ValueError):
        return None


def _loopback_name(host: str) -> bool:
    """``localhost`` and its subdomains are loopback by definition (RFC 6761)."""
    name = _norm(host)
    return name == "localhost" or name.endswith(".localhost")


class AddressPolicy:
    """Decides whether a host (or address) and port may be contacted.

    Allowed: globally routable addresses, except ``own_ports`` (this app's API, its
    Redis and database: any host, for a public address may loop back to this machine).
    An entry of the allow-list (``host`` for any port, ``host:port`` for one) opens a
    private or loopback host; only a ``host:port`` entry opens one of ``own_ports``.
    """

    def __init__(self, allow_hosts: Iterable[str], *,
                 own_ports: Iterable[int] = ()) -> None:  # fmt: skip
        self._any_port: set[str] = set()
        self._exact: set[tuple[str, int]] = set()
        for text in allow_hosts:
            if not text.strip():
                continue
            host, port = _entry(text)
            if port is None:
                self._any_port.add(_norm(host))
            else:
                self._exact.add((_norm(host), port))
        self._own_ports = frozenset(own_ports)

    @classmethod
    def from_setting(cls, value: str) -> AddressPolicy:
        """Build from a comma-separated ``http_allow_hosts`` value alone."""
        return cls(value.split(","))

    @classmethod
    def from_settings(cls, settings: Settings) -> AddressPolicy:
        """The policy of an install: HTTP_ALLOW_HOSTS; outside production the sandbox
        named by host and port; this app's API, Redis and database ports refused."""
        allow = settings.http_allow_hosts.split(",")
        if settings.environment != "production":
            allow.append(f"{settings.sandbox_host}:{settings.sandbox_port}")
        own = {settings.api_port}
        for url in (settings.redis_url, settings.resolved_database_url):
            port = _url_port(url)
            if port:
                own.add(port)
        return cls(allow, own_ports=own)

    def host_allowed(self, host: str, port: int | None = None) -> bool:
        """True when the host (at ``port``) is on the allow-list."""
        name = _norm(host)
        if port is not None and (name, port) in self._exact:
            return True
        return name in self._any_port and port not in self._own_ports

    def check_address(self, host: str, address: str, port: int | None = None) -> None:
        """Refuse ``address`` (resolved from ``host``) unless it is public or allowed."""
        if self.host_allowed(host, port) or self.host_allowed(address, port):
            return
        if port in self._own_ports:
            raise ForbiddenAddress(
                f"refused {host}:{port}: port {port} is this app's own (API, Redis or "
                f"database); name {host}:{port} in HTTP_ALLOW_HOSTS if this is intended"
            )
        if _loopback_name(host):
            raise ForbiddenAddress(f"refused {host}: a loopback name (add it to "
                                   "HTTP_ALLOW_HOSTS if this is intended)")
        ip = _as_ip(address)
        if ip is None:
            raise ForbiddenAddress(f"refused {host}: unparseable address {address!r}")
        if not ip.is_global or ip.is_multicast:
            raise ForbiddenAddress(
                f"refused {host}: {ip} is a private, loopback, link-local or reserved "
                "address (add the host to HTTP_ALLOW_HOSTS if this is intended)"
            )

    def check_literal(self, host: str, port: int | None = None) -> None:
        """Check a URL host before connecting when it is an IP literal (in any
        spelling) or a loopback name; other names are checked once resolved."""
        if _as_ip(host) is not None or _loopback_name(host):
            self.check_address(host, host, port)


def _url_port(url: str) -> int | None:
    """The port of a service URL (redis://h:6379/0, postgresql://u@h:5432/db), if any."""
    try:
        parsed = urlsplit(url)
        return parsed.port or {"redis": 6379, "rediss": 6379, "postgresql": 5432}.get(
            parsed.scheme.split("+", 1)[0])
    except ValueError:
        return None


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
            self._policy.check_address(host, result["host"], port or None)
        return results

    async def close(self) -> None:
        await self._inner.close()
