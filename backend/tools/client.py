"""``FastAsyncClient``: an ``httpx.AsyncClient`` whose common calls skip httpx's pipeline.

For a small API call httpx spends about as much CPU building the request (URL parsing,
two header merges, header re-encoding) and running its send pipeline (auth flow,
redirects, cookies, event hooks) as the network stack does. When a call uses none of
those features (no auth object, cookies, form data, files, redirects or hooks) the
request is built here from a parsed-URL cache and handed straight to the transport;
every other call takes httpx's ordinary path, so the full API keeps working.

The client keeps no cookies on the fast path (platform APIs authenticate per request)
and is built without ``base_url`` or default ``params``, which the fast path ignores.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import httpx
import orjson
from httpx._client import USE_CLIENT_DEFAULT, UseClientDefault

__all__ = ["FastAsyncClient"]

_FAST_KWARGS = frozenset({"params", "headers", "json", "content", "timeout"})
_URL_CACHE = 4096


class FastAsyncClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` on one transport with a fast path for plain calls."""

    def __init__(
        self,
        *,
        transport: httpx.AsyncBaseTransport,
        timeout: httpx.Timeout,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(transport=transport, timeout=timeout, headers=headers)
        self._fast_transport = transport
        self._urls: dict[str, httpx.URL] = {}
        self._timeout_ext = {"timeout": self.timeout.as_dict()}

    def build_fast(
        self, method: str, url: str | httpx.URL, kwargs: dict[str, Any]
    ) -> httpx.Request:
        """An ``httpx.Request`` for ``kwargs`` among params/headers/json/content/timeout
        (others go through ``build_request``)."""
        if not kwargs.keys() <= _FAST_KWARGS or not isinstance(url, str):
            return self.build_request(method, url, **kwargs)
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= _URL_CACHE:
                self._urls.clear()
            parsed = self._urls[url] = httpx.URL(url)
        params = kwargs.get("params")
        if params:
            parsed = parsed.copy_merge_params(params)
        headers = self.headers
        extra = kwargs.get("headers")
        body = kwargs.get("content")
        if isinstance(body, str):
            body = body.encode()
        if kwargs.get("json") is not None:
            body = orjson.dumps(kwargs["json"], option=orjson.OPT_NON_STR_KEYS)
            extra = {"Content-Type": "application/json", **dict(extra or {})}
        if extra:
            headers = httpx.Headers(headers)
            headers.update(extra)
        timeout = kwargs.get("timeout")
        extensions = (
            self._timeout_ext
            if timeout is None or isinstance(timeout, UseClientDefault)
            else {"timeout": httpx.Timeout(timeout).as_dict()}
        )
        # A given stream skips httpx's header preparation; the transport (aiohttp) adds
        # Host and Content-Length itself.
        request = httpx.Request(
            method,
            parsed,
            headers=headers,
            stream=httpx.ByteStream(body or b""),
            extensions=extensions,
        )
        request.read()
        return request

    async def send_fast(self, request: httpx.Request) -> httpx.Response:
        """Send straight through the transport (no auth, redirects, cookies, hooks)."""
        started = time.perf_counter()
        response = await self._fast_transport.handle_async_request(request)
        response.elapsed = timedelta(seconds=time.perf_counter() - started)
        return response

    def _fast_allowed(self, auth: Any, follow_redirects: Any, rest: tuple[Any, ...]) -> bool:
        return (
            all(value is None for value in rest)
            and (auth is USE_CLIENT_DEFAULT or auth is None)
            and self.auth is None
            and follow_redirects in (USE_CLIENT_DEFAULT, False)
            and not self.follow_redirects
            and not self.cookies
            and not any(self.event_hooks.values())
        )

    async def request(  # type: ignore[override]
        self,
        method: str,
        url: httpx.URL | str,
        *,
        content: Any = None,
        data: Any = None,
        files: Any = None,
        json: Any = None,
        params: Any = None,
        headers: Any = None,
        cookies: Any = None,
        auth: Any = USE_CLIENT_DEFAULT,
        follow_redirects: Any = USE_CLIENT_DEFAULT,
        timeout: Any = USE_CLIENT_DEFAULT,
        extensions: Any = None,
    ) -> httpx.Response:
        """httpx's ``request``; plain calls take the fast path."""
        if isinstance(url, str) and self._fast_allowed(
            auth, follow_redirects, (data, files, cookies, extensions)
        ):
            kwargs: dict[str, Any] = {"timeout": timeout}
            for name, value in (
                ("content", content),
                ("json", json),
                ("params", params),
                ("headers", headers),
            ):
                if value is not None:
                    kwargs[name] = value
            return await self.send_fast(self.build_fast(method, url, kwargs))
        return await super().request(
            method,
            url,
            content=content,
            data=data,
            files=files,
            json=json,
            params=params,
            headers=headers,
            cookies=cookies,
            auth=auth,
            follow_redirects=follow_redirects,
            timeout=timeout,
            extensions=extensions,
        )
