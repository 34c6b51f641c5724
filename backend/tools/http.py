"""The http tool: httpx's API on a fast pooled transport, with retries and rate limits.

``await http.request("GET", url, limit=RateLimit("shopee:shop-1", 100, 60))`` waits for
a cluster-wide slot, sends, and on a 429 waits what the server asked (Retry-After) and
tries again; 5xx, timeouts and resets are retried with jittered exponential backoff
when the request is safe to repeat (an idempotent method or an ``Idempotency-Key``
header): the one call policy of ``backend.connectors.policy``. What still fails becomes
a connector error from ``backend.connectors.base``: :class:`RateLimited` or
:class:`TransientError`, both retryable by the run's policy.
Other responses (2xx-4xx) are returned as they are; the caller judges them.

``http.client`` is an ``httpx.AsyncClient`` (:class:`FastAsyncClient`) on the same
transport for code that wants httpx's own API, connectors above all; it has the SSRF
guard and the fast path but no retries or limits.
"""

from __future__ import annotations

from typing import Any

import httpx

from backend.connectors.base import RateLimited, TransientError
from backend.connectors.policy import (
    RetryBudget,
    backoff_delay,
    call_with_policy,
    parse_retry_after,
)
from backend.core.config import Settings
from backend.core.ratelimit import RateLimit, RateLimiter
from backend.tools.client import FastAsyncClient
from backend.tools.ssrf import AddressPolicy
from backend.tools.transport import AiohttpTransport

__all__ = ["HttpTool"]

_RETRY_STATUS = frozenset({500, 502, 503, 504})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_MAX_RATE_WAITS = 8


class HttpTool:
    """Pooled async HTTP for workflows and connectors (one per worker process and loop)."""

    def __init__(
        self,
        *,
        settings: Settings,
        redis: Any = None,
        retries: int | None = None,
        backoff_base_sec: float = 0.2,
        backoff_max_sec: float = 10.0,
    ) -> None:
        self._settings = settings
        self._redis = redis
        self._retries = settings.http_retries if retries is None else retries
        self._backoff_base = backoff_base_sec
        self._backoff_max = backoff_max_sec
        self.policy = AddressPolicy.from_settings(settings)
        self._transport = AiohttpTransport(
            policy=self.policy, max_connections=settings.http_max_connections
        )
        self.client = FastAsyncClient(
            transport=self._transport,
            timeout=httpx.Timeout(settings.http_timeout_sec),
            headers={"User-Agent": "spio-agent"},
        )
        self._limiter: RateLimiter | None = None

    @property
    def limiter(self) -> RateLimiter:
        """The Redis-backed limiter (needs the ``redis`` given at construction)."""
        if self._limiter is None:
            if self._redis is None:
                raise RuntimeError("HttpTool was built without redis; rate limits need it")
            self._limiter = RateLimiter(redis=self._redis, prefix=self._settings.redis_prefix)
        return self._limiter

    async def _send(self, request: httpx.Request, follow_redirects: bool) -> httpx.Response:
        # Straight to the transport: httpx's send() pipeline (auth, cookies, hooks) costs
        # a quarter of the throughput and the tool needs none of it.
        for _ in range(10):
            response = await self.client.send_fast(request)
            if not (follow_redirects and response.is_redirect):
                return response
            location = request.url.join(response.headers["Location"])
            method = "GET" if response.status_code in (301, 302, 303) else request.method
            headers = httpx.Headers(request.headers)
            headers.pop("Host", None)
            if location.host != request.url.host:
                headers.pop("Authorization", None)  # never hand credentials to another host
            content = None
            if method == "GET":
                headers.pop("Content-Length", None)
                headers.pop("Content-Type", None)
            else:
                content = request.content
            request = self.client.build_request(method, location, headers=headers, content=content)
        raise httpx.TooManyRedirects("more than 10 redirects", request=request)

    async def request(
        self,
        method: str,
        url: str,
        *,
        limit: RateLimit | None = None,
        retries: int | None = None,
        follow_redirects: bool = False,
        platform: str = "http",
        **kwargs: Any,
    ) -> httpx.Response:
        """Send with limits and retries; ``kwargs`` are httpx's (params, json, headers...)."""
        request = self.client.build_fast(method, url, kwargs)
        budget = self._retries if retries is None else retries
        repeatable = method.upper() in _IDEMPOTENT or "idempotency-key" in request.headers
        # Waiting out a 429 is not a failure (the request was not processed): 429s have
        # their own, larger budget, and apply to any request.
        policy = RetryBudget(retries=budget if repeatable else 0,
                             rate_waits=max(budget, _MAX_RATE_WAITS),
                             backoff_base_sec=self._backoff_base,
                             backoff_max_sec=self._backoff_max)  # fmt: skip
        slot = None if limit is None else (lambda: self.limiter.acquire(limit))
        return await call_with_policy(
            lambda: self._attempt(request, follow_redirects=follow_redirects, platform=platform),
            budget=policy, platform=platform, slot=slot)

    async def _attempt(self, request: httpx.Request, *, follow_redirects: bool,
                       platform: str) -> httpx.Response:  # fmt: skip
        """One try: 2xx-4xx returned as they are; 429, 5xx and transport failures become
        the connector errors the call policy acts on."""
        where = f"{request.method} {request.url.host}"
        try:
            response = await self._send(request, follow_redirects)
        except httpx.TransportError as exc:
            raise TransientError(f"{where}: {exc.__class__.__name__}: {exc}",
                                 platform=platform) from exc  # fmt: skip
        status = response.status_code
        if status == 429:
            wait = parse_retry_after(response.headers.get("Retry-After"), default=backoff_delay(
                1, base=self._backoff_base, cap=self._backoff_max))
            raise RateLimited(f"{where}: 429", platform=platform, retry_after=wait,
                              status=status)  # fmt: skip
        if status in _RETRY_STATUS:
            raise TransientError(f"{where}: HTTP {status}", platform=platform, status=status,
                                 body=response.text[:500])  # fmt: skip
        return response

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("GET", ...)``."""
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("POST", ...)``."""
        return await self.request("POST", url, **kwargs)

    def take_call_counts(self) -> tuple[int, int]:
        """``(ok, failed)`` HTTP exchanges since the last call (see tools.api_calls)."""
        return self._transport.take_counts()

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self.client.aclose()
