"""The http tool: httpx's API on a fast pooled transport, with retries and rate limits.

``await http.request("GET", url, limit=RateLimit("shopee:shop-1", 100, 60))`` waits for
a cluster-wide slot, sends, and on a 429 waits what the server asked (Retry-After) and
tries again; 5xx, timeouts and resets are retried with jittered exponential backoff
when the request is safe to repeat (an idempotent method or an ``Idempotency-Key``
header). What still fails becomes a connector error from ``backend.connectors.base``:
:class:`RateLimited` or :class:`TransientError`, both retryable by the run's policy.
Other responses (2xx-4xx) are returned as they are; the caller judges them.

``http.client`` is an ``httpx.AsyncClient`` (:class:`FastAsyncClient`) on the same
transport for code that wants httpx's own API, connectors above all; it has the SSRF
guard and the fast path but no retries or limits.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from typing import Any

import httpx

from backend.connectors.base import RateLimited, TransientError
from backend.core.config import Settings
from backend.tools.client import FastAsyncClient
from backend.tools.ratelimit import RateLimit, RateLimiter
from backend.tools.ssrf import AddressPolicy
from backend.tools.transport import AiohttpTransport

__all__ = ["HttpTool", "parse_retry_after"]

_RETRY_STATUS = frozenset({500, 502, 503, 504})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_MAX_RETRY_AFTER_SEC = 300.0
_MAX_RATE_WAITS = 8


def parse_retry_after(value: str | None, *, default: float) -> float:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            seconds = default  # neither seconds nor a date: the server said nothing useful
    return min(max(seconds, 0.0), _MAX_RETRY_AFTER_SEC)


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

    def _backoff(self, attempt: int) -> float:
        # Full jitter: spreads retries of many workers hitting the same outage.
        return random.uniform(0, min(self._backoff_max, self._backoff_base * 2**attempt))

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
        attempt = rate_waits = 0
        while True:
            if limit is not None:
                await self.limiter.acquire(limit)
            try:
                response = await self._send(request, follow_redirects)
            except httpx.TransportError as exc:
                if not repeatable or attempt >= budget:
                    raise TransientError(
                        f"{method} {request.url.host}: {exc.__class__.__name__}: {exc}",
                        platform=platform,
                    ) from exc
                await asyncio.sleep(self._backoff(attempt))
                attempt += 1
                continue
            status = response.status_code
            if status == 429:
                retry_after = parse_retry_after(
                    response.headers.get("Retry-After"), default=self._backoff(rate_waits + 1)
                )
                # Waiting as told is not a failure: 429s have their own, larger budget.
                if rate_waits >= max(budget, _MAX_RATE_WAITS):
                    raise RateLimited(
                        f"{method} {request.url.host}: 429",
                        platform=platform,
                        retry_after=retry_after,
                        status=status,
                    )
                await asyncio.sleep(retry_after)
                rate_waits += 1
                continue
            if status in _RETRY_STATUS and repeatable and attempt < budget:
                await asyncio.sleep(self._backoff(attempt))
                attempt += 1
                continue
            if status in _RETRY_STATUS:
                raise TransientError(
                    f"{method} {request.url.host}: HTTP {status}",
                    platform=platform,
                    status=status,
                    body=response.text[:500],
                )
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
