"""An httpx transport on aiohttp's connection pool, with the SSRF guard built in.

httpx's own pool slows sharply with concurrency (encode/httpx#3215); aiohttp's does
not. Workflows and connectors keep httpx's API (``httpx.Request``/``httpx.Response``)
while requests travel through one pooled ``aiohttp.ClientSession`` per transport.
Unlike httpx-aiohttp's transport this one reads each body in one call (API bodies are
small) instead of streaming it back in 16 KiB chunks, which is most of the gain.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import httpx
import yarl

from backend.tools.ssrf import AddressPolicy, GuardedResolver

__all__ = ["AiohttpTransport"]

_HTTP11 = {"http_version": b"HTTP/1.1"}
_TARGET_CACHE = 4096


def _map_error(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    """Translate aiohttp's errors into httpx's so callers catch one family."""
    message = str(exc) or exc.__class__.__name__
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message, request=request)
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(message, request=request)
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol(message, request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(message, request=request)
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ClientResponseError):
        return httpx.RemoteProtocolError(message, request=request)
    return httpx.ReadError(message, request=request)


_DEFAULT_PORTS = {"http": 80, "https": 443}


class AiohttpTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncBaseTransport`` backed by a pooled, guarded aiohttp session."""

    def __init__(
        self,
        *,
        policy: AddressPolicy,
        max_connections: int = 100,
        keepalive_sec: float = 30.0,
    ) -> None:
        self._policy = policy
        self._max_connections = max_connections
        self._keepalive_sec = keepalive_sec
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[tuple[Any, ...], aiohttp.ClientTimeout] = {}
        self._targets: dict[str, yarl.URL] = {}
        # Exchanges since the last take_counts(): the dashboard's API call success.
        self._ok = 0
        self._failed = 0

    def take_counts(self) -> tuple[int, int]:
        """``(ok, failed)`` exchanges since the last call (2xx/3xx are ok)."""
        counts, self._ok, self._failed = (self._ok, self._failed), 0, 0
        return counts

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._max_connections,
                keepalive_timeout=self._keepalive_sec,
                resolver=GuardedResolver(self._policy),
                ttl_dns_cache=60,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                # httpx already set these; jobs must not share cookies either.
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
                auto_decompress=False,
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    def _timeout(self, request: httpx.Request) -> aiohttp.ClientTimeout:
        # The read timeout bounds the whole exchange: one timer per request, where a
        # per-chunk read timer plus a pool timer cost three (a tenth of the throughput).
        spec = request.extensions.get("timeout") or {}
        key = (spec.get("connect"), spec.get("read"))
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(total=key[1], sock_connect=key[0])
            self._timeouts[key] = timeout
        return timeout

    def _target(self, url: httpx.URL) -> yarl.URL:
        """The aiohttp URL of an httpx URL, checked against the policy once per URL."""
        text = str(url)
        target = self._targets.get(text)
        if target is None:
            self._policy.check_literal(url.host, url.port or _DEFAULT_PORTS.get(url.scheme))
            if len(self._targets) >= _TARGET_CACHE:
                self._targets.clear()
            target = self._targets[text] = yarl.URL(text, encoded=True)
        return target

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = self._target(request.url)
        try:
            body: bytes | None = request.content
        except httpx.RequestNotRead:
            body = await request.aread()
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        session = self._get_session()
        try:
            async with session.request(
                request.method,
                target,
                headers=headers,
                data=body or None,
                allow_redirects=False,
                timeout=self._timeout(request),
            ) as resp:
                content = await resp.read()
                status, raw_headers = resp.status, resp.raw_headers
        except (TimeoutError, aiohttp.ClientError) as exc:
            self._failed += 1
            raise _map_error(exc, request) from exc
        if status < 400:
            self._ok += 1
        else:
            self._failed += 1
        # A stream, not content=: httpx would otherwise re-derive Content-Length headers.
        response = httpx.Response(
            status,
            headers=raw_headers,
            stream=httpx.ByteStream(content),
            request=request,
            extensions=_HTTP11,
        )
        response.read()  # decodes Content-Encoding, marks the body as read
        return response

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
