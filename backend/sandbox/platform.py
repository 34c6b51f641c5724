"""The request pipeline every platform endpoint shares.

    count -> fault draw -> authenticate -> idempotency replay -> rate limit -> handler

Each platform supplies how it authenticates and how its errors look (``render``); an
endpoint is declared with :func:`endpoint`. Handlers raise :class:`ApiError` for
platform-shaped failures and return plain ``web.Response`` objects on success.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson
from aiohttp import web

from backend.sandbox.limits import retry_after_header
from backend.sandbox.state import WRITE_KEY, SandboxState, StoredResponse

__all__ = [
    "ApiError",
    "Platform",
    "endpoint",
    "json_response",
    "read_json",
    "STATE_KEY",
    "DATA_DIR_KEY",
    "state_of",
    "take_limit",
    "error_headers",
    "error_response",
    "plain_error",
    "STATUS",
    "bearer_token",
    "check_token",
]

STATE_KEY: web.AppKey[SandboxState] = web.AppKey("sandbox_state", SandboxState)
DATA_DIR_KEY: web.AppKey[Path] = web.AppKey("sandbox_data_dir", Path)
_JSON_KEY: web.RequestKey[dict[str, Any]] = web.RequestKey("sandbox_json", dict)

ErrorKind = Literal[
    "auth", "expired", "rate_limited", "bad_request", "not_found", "server", "forbidden"
]
# The HTTP status of each kind, where a platform's error does not name its own.
STATUS: dict[str, int] = {
    "auth": 401, "expired": 401, "rate_limited": 429, "bad_request": 400, "not_found": 404,
    "forbidden": 403, "server": 500,
}  # fmt: skip


class ApiError(Exception):
    """A failure the platform reports in its own shape (see ``Platform.render``)."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str = "",
        *,
        status: int | None = None,
        retry_after: float | None = None,
        code: Any = None,
    ) -> None:
        super().__init__(message or kind)
        self.kind = kind
        self.message = message or kind
        self.status = status
        self.retry_after = retry_after
        self.code = code


Render = Callable[[ApiError], web.Response]
Authenticate = Callable[[web.Request], Awaitable[str]]
Handler = Callable[[web.Request, str], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Platform:
    """A platform's name (counters, faults, limits use it) and its error renderer."""

    name: str
    render: Render


def json_response(
    data: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        body=orjson.dumps(data), status=status, content_type="application/json", headers=headers
    )


async def read_json(request: web.Request) -> dict[str, Any]:
    """The JSON body (parsed once), or a platform 400."""
    if _JSON_KEY not in request:
        raw = await request.read()
        try:
            data = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError as exc:
            raise ApiError("bad_request", "Body is not valid JSON") from exc
        if not isinstance(data, dict):
            raise ApiError("bad_request", "Body must be a JSON object")
        request[_JSON_KEY] = data
    return request[_JSON_KEY]


def state_of(request: web.Request) -> SandboxState:
    return request.app[STATE_KEY]


def endpoint(
    platform: Platform,
    name: str,
    *,
    auth: Authenticate | None = None,
    limit: str | None = None,
    mutating: bool = False,
) -> Callable[[Handler], Callable[[web.Request], Awaitable[web.StreamResponse]]]:
    """Wrap a handler in the shared pipeline.

    ``limit`` names the rate-limit rule (default ``<platform>.api``), applied per account
    (what ``auth`` returned); a rule named after the endpoint itself (``shopee.product.
    update_price``), when an admin sets one, applies on top. ``mutating`` endpoints honour
    ``Idempotency-Key``.
    """
    full = f"{platform.name}.{name}"
    base_rule = limit or f"{platform.name}.api"
    rules = (base_rule,) if full == base_rule else (base_rule, full)

    def wrap(fn: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handler(request: web.Request) -> web.StreamResponse:
            state = request.app[STATE_KEY]
            c = state.counters
            c.requests[platform.name] += 1
            c.requests[full] += 1
            try:
                fault_resp = await _apply_fault(state, platform, has_auth=auth is not None)
                if fault_resp is not None:
                    return fault_resp
                account = await auth(request) if auth else ""
                WRITE_KEY.set(request.headers.get("Idempotency-Key"))
                idem = request.headers.get("Idempotency-Key") if mutating else None
                if idem:
                    return await _idempotent(request, state, platform, rules, account, idem, fn)
                for rule in rules:
                    _take(state, platform, rule, account)
                return await fn(request, account)
            except ApiError as err:
                if err.kind in ("auth", "expired"):
                    c.auth_failures[platform.name] += 1
                return platform.render(err)

        handler.__name__ = fn.__name__
        return handler

    return wrap


def take_limit(request: web.Request, platform: Platform, rule: str, subject: str) -> None:
    """Apply one more limit from inside a handler (e.g. per recipient)."""
    _take(request.app[STATE_KEY], platform, rule, subject)


def _take(state: SandboxState, platform: Platform, rule: str, subject: str) -> None:
    wait = state.limits.acquire(rule, subject)
    if wait > 0:
        state.counters.rate_limited[platform.name] += 1
        state.counters.rate_limited[rule] += 1
        raise ApiError("rate_limited", "Too many requests", status=429, retry_after=wait)


async def _idempotent(
    request: web.Request,
    state: SandboxState,
    platform: Platform,
    rules: tuple[str, ...],
    account: str,
    idem: str,
    fn: Handler,
) -> web.StreamResponse:
    key = (platform.name, account, idem)
    seen = state.idempotency.get(key)
    if isinstance(seen, asyncio.Future):
        seen = await asyncio.shield(seen)
    if isinstance(seen, StoredResponse):
        state.counters.duplicates[platform.name] += 1
        headers = dict(seen.headers)
        headers["Idempotent-Replayed"] = "true"
        return web.Response(
            body=seen.body, status=seen.status, content_type=seen.content_type, headers=headers
        )
    for rule in rules:
        _take(state, platform, rule, account)
    pending: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    state.remember(key, pending)
    try:
        resp = await fn(request, account)
    except ApiError as err:
        resp = platform.render(err)
    except BaseException:
        # Never leave waiters hanging on a key whose first attempt crashed.
        state.idempotency.pop(key, None)
        pending.set_result(None)
        raise
    stored = None
    if isinstance(resp, web.Response) and resp.status < 500 and resp.status != 429:
        body = resp.body if isinstance(resp.body, bytes) else b""
        stored = StoredResponse(resp.status, body, resp.content_type)
        state.remember(key, stored)
    else:
        state.idempotency.pop(key, None)
    pending.set_result(stored)
    return resp


async def _apply_fault(
    state: SandboxState, platform: Platform, *, has_auth: bool
) -> web.Response | None:
    fault, spec = state.faults.draw(platform.name)
    if fault is None or (fault == "expired_token" and not has_auth):
        return None
    state.counters.faults[f"{platform.name}.{fault}"] += 1
    if fault == "slow":
        await asyncio.sleep(spec.slow_ms / 1000)
        return None
    if fault == "timeout":
        await asyncio.sleep(spec.timeout_sec)
        return platform.render(ApiError("server", "Gateway timeout", status=504))
    if fault == "malformed":
        return web.Response(body=b'{"data": [{"id": "', status=200, content_type="application/json")
    if fault == "expired_token":
        return platform.render(ApiError("expired", "Access token has expired"))
    status = random.Random(state.counters.requests[platform.name]).choice((500, 502, 503))
    return platform.render(ApiError("server", "Internal server error", status=status))


def error_headers(err: ApiError) -> dict[str, str]:
    """Headers every platform adds to an error (Retry-After on 429)."""
    if err.retry_after is not None:
        return {"Retry-After": retry_after_header(err.retry_after)}
    return {}


def error_response(err: ApiError, body: Any, *, status: int | None = None) -> web.Response:
    """A platform's JSON error: its own ``body``, ``status`` (default: the error's own,
    else its kind's) and, on a 429, Retry-After. Every renderer ends here."""
    status = status or err.status or STATUS[err.kind]
    return json_response(body, status=status, headers=error_headers(err))


def plain_error(err: ApiError) -> web.Response:
    """The ``{"error": {"code", "message"}}`` shape of the shop's own services (CRM,
    inventory, PIM, market data, social, FX)."""
    return error_response(err, {"error": {"code": err.kind, "message": err.message}})


def bearer_token(request: web.Request) -> str:
    """The token of an ``Authorization: Bearer`` header, or ''."""
    value = request.headers.get("Authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def check_token(request: web.Request, platform: str, token: str) -> None:
    """Raise the platform's auth/expired error unless ``token`` is a live token of it."""
    state = request.app[STATE_KEY]
    verdict = state.tokens.check(platform, token, now=state.now())
    if verdict == "expired":
        raise ApiError("expired", "Access token has expired")
    if verdict != "ok":
        raise ApiError("auth", "Invalid access token")
