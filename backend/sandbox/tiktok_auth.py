"""TikTok Shop's auth host (``auth.tiktok-shops.com``) under ``/tiktok-shop-auth``.

Tokens are not issued by the open-API host: ``GET /api/v2/token/refresh`` (and
``/api/v2/token/get`` for an authorization code) live on the auth host, one for every
app of the platform, TikTok Shop and Tokopedia alike; the app is told by its
``app_key``. Query ``app_key``, ``app_secret``, ``refresh_token`` (or ``auth_code``),
``grant_type``; no signature. Answers use the open API's envelope ``{"code", "message",
"request_id", "data"}``; ``access_token_expire_in`` and ``refresh_token_expire_in`` are
Unix times, not durations.
"""

from __future__ import annotations

import uuid
from typing import Any

from aiohttp import web

from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.platform import ApiError, Platform, endpoint, json_response, state_of

__all__ = ["register", "AUTH_PREFIX", "TIKTOK_AUTH"]

AUTH_PREFIX = "/tiktok-shop-auth"
_APPS = ("tiktok_shop", "tokopedia")
_ERRORS = {
    "auth": (401, 36004004, "The refresh token is invalid or expired."),
    "expired": (401, 36004004, "The refresh token is invalid or expired."),
    "rate_limited": (429, 36009003, "Too many requests."),
    "bad_request": (400, 36004001, "Invalid parameter."),
    "not_found": (404, 36004001, "Not found."),
    "forbidden": (401, 36004003, "Invalid app_key or app_secret."),
    "server": (500, 50000, "Internal error, please retry."),
}


def _render(err: ApiError) -> web.Response:
    status, code, default = _ERRORS[err.kind]
    body = {
        "code": err.code or code,
        "message": err.message if err.message != err.kind else default,
        "request_id": uuid.uuid4().hex,
        "data": None,
    }
    return json_response(body, status=err.status or status)


# Faults and counters follow the open API of each app ("tiktok_shop.token.refresh"); the
# host itself has one name for its limits.
TIKTOK_AUTH = Platform("tiktok_auth", _render)


def _app_of(query: Any) -> str:
    for name in _APPS:
        creds = CREDENTIALS[name]
        if query.get("app_key") == creds["app_key"]:
            if query.get("app_secret") != creds["app_secret"]:
                break
            return name
    raise ApiError("forbidden")


@endpoint(TIKTOK_AUTH, "token.refresh")
async def refresh(request: web.Request, account: str) -> web.Response:
    q = request.query
    app = _app_of(q)
    if q.get("grant_type") != "refresh_token":
        raise ApiError("bad_request", "grant_type must be refresh_token.")
    state = state_of(request)
    if state.tokens.refresh.get(q.get("refresh_token", "")) != app:
        raise ApiError("auth")
    state.counters.requests[f"{app}.token.refresh"] += 1
    access, new_refresh = state.tokens.issue(
        app, now=state.now(), shop=state.tokens.shop_of(q.get("refresh_token", "")))
    now = int(state.now())
    data = {
        "access_token": access,
        "access_token_expire_in": now + int(state.tokens.ttl_sec),
        "refresh_token": new_refresh,
        "refresh_token_expire_in": now + 30 * 86400,
        "open_id": f"sandbox-open-id-{app}",
        "seller_name": "SPIO Official Store",
        "seller_base_region": "ID",
        "user_type": 0,
        "granted_scopes": ["seller.product.basic", "seller.product.write"],
    }
    return json_response(
        {"code": 0, "message": "success", "request_id": uuid.uuid4().hex, "data": data}
    )


def register(app: web.Application) -> None:
    app.router.add_get(AUTH_PREFIX + "/api/v2/token/refresh", refresh)
