"""Helpers every platform connector shares: sending, JSON, Retry-After, token refresh.

Each connector still owns the ONE function that maps its platform's responses to
``backend.connectors.base`` errors; these helpers only do the parts that are the same
everywhere (transport failures, unparsable bodies, the Retry-After header).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar

import httpx
import orjson
from pydantic import BaseModel, model_validator

from backend.connectors.base import AuthFailed, TokenExpired, TransientError
from backend.connectors.policy import parse_retry_after, request_slot
from backend.connectors.types import TokenPair
from backend.core.config import get_settings

__all__ = [
    "send",
    "json_or_none",
    "retry_after",
    "TokenKeeper",
    "idempotency_headers",
    "SeparateAuthHost",
]

T = TypeVar("T")


class SeparateAuthHost(BaseModel):
    """A config whose tokens come from the platform's auth host, not its API host
    (TikTok Shop: auth.tiktok-shops.com; Lazada: auth.lazada.com). Pointed at a real API
    host and left without an ``auth_base_url``, it takes the platform's auth host
    (``REAL_AUTH_HOST``): the sandbox's default would refuse a real app."""

    REAL_AUTH_HOST: ClassVar[str] = ""
    base_url: str
    auth_base_url: str

    @model_validator(mode="after")
    def _auth_host_beside_base(self) -> SeparateAuthHost:
        if "auth_base_url" not in self.model_fields_set and not self.base_url.startswith(
            get_settings().sandbox_url
        ):
            self.auth_base_url = self.REAL_AUTH_HOST
        return self


async def send(
    client: httpx.AsyncClient, method: str, url: str, *, platform: str, **kwargs: Any
) -> httpx.Response:
    """One request, once the call's rate slot for it is free (the door's, when the
    call came through it); connection errors and timeouts become TransientError."""
    await request_slot()
    try:
        return await client.request(method, url, **kwargs)
    except httpx.TransportError as exc:
        raise TransientError(f"{exc.__class__.__name__}: {exc}", platform=platform) from exc


def json_or_none(response: httpx.Response) -> Any:
    """The body as JSON, or None (malformed, truncated, HTML)."""
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None


def retry_after(response: httpx.Response, *, default: float = 1.0) -> float:
    """Seconds the platform asked us to wait (Retry-After: seconds or an HTTP date)."""
    return parse_retry_after(response.headers.get("Retry-After"), default=default)


def idempotency_headers(key: str | None) -> dict[str, str]:
    return {"Idempotency-Key": key} if key else {}


class TokenKeeper:
    """Holds a connector's tokens and refreshes them once for concurrent callers.

    ``refresh`` is the connector's call to the platform; ``on_refresh`` lets the owner
    persist the new pair (encrypted) so other workers pick it up.
    """

    def __init__(
        self,
        tokens: TokenPair,
        *,
        refresh: Callable[[TokenPair], Awaitable[TokenPair]],
        on_refresh: Callable[[TokenPair], Awaitable[None]] | None = None,
    ) -> None:
        self.tokens = tokens
        self._refresh = refresh
        self._on_refresh = on_refresh
        self._lock = asyncio.Lock()
        self.refreshes = 0

    async def refresh(self, stale: str) -> None:
        """Refresh unless another caller already replaced the ``stale`` access token."""
        async with self._lock:
            if self.tokens.access_token != stale:
                return
            self.tokens = await self._refresh(self.tokens)
            self.refreshes += 1
            if self._on_refresh is not None:
                await self._on_refresh(self.tokens)

    async def call(self, fn: Callable[[str], Awaitable[T]]) -> T:
        """Run ``fn(access_token)``; on TokenExpired refresh once and run it again
        (a second refusal is AuthFailed)."""
        token = self.tokens.access_token
        try:
            return await fn(token)
        except TokenExpired:
            await self.refresh(token)
        try:
            return await fn(self.tokens.access_token)
        except TokenExpired as exc:
            # A freshly refreshed token refused again: a person must re-authorize.
            raise AuthFailed(
                f"token refused after refresh: {exc}", platform=exc.platform, status=exc.status
            ) from exc
