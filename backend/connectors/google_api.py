"""What Google's APIs share: OAuth refresh-token credentials and the JSON error shape.

Used by the Shopping (Content API), Ads and Analytics connectors. One access token
serves all three; on 401 the token is refreshed once at ``token_url``.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TokenExpired, TransientError
from backend.connectors.common import TokenKeeper, json_or_none, retry_after, send
from backend.connectors.defaults import default_value
from backend.connectors.types import TokenPair

__all__ = ["GoogleOAuthConfig", "raise_for_response", "token_keeper"]


def _cred(name: str, *, secret: bool = False) -> Any:
    def default() -> Any:
        value = default_value("google_oauth", name)
        return SecretStr(value) if secret else value

    return default


class GoogleOAuthConfig(BaseModel):
    """OAuth client and tokens for Google APIs. Defaults talk to the sandbox."""

    token_url: str = Field(
        default_factory=lambda: default_value("google_oauth", "token_url"),
        description="Token endpoint, e.g. https://oauth2.googleapis.com/token.",
    )
    client_id: str = Field(default_factory=_cred("client_id"), description="OAuth client id.")
    client_secret: SecretStr = Field(
        default_factory=_cred("client_secret", secret=True), description="OAuth client secret."
    )
    access_token: SecretStr = Field(
        default_factory=_cred("access_token", secret=True),
        description="Current access token (refreshed on expiry).",
    )
    refresh_token: SecretStr = Field(
        default_factory=_cred("refresh_token", secret=True), description="Long-lived refresh token."
    )


def raise_for_response(response: httpx.Response, *, platform: str) -> Any:
    """Return the body of a success; raise the error that says what to do otherwise."""
    body = json_or_none(response)
    status = response.status_code
    if body is None:
        raise TransientError("malformed response body", platform=platform, status=status)
    if status < 300:
        return body
    error = body.get("error", {}) if isinstance(body, dict) else {}
    message = str(error.get("message") or f"HTTP {status}")
    if status == 429 or error.get("status") == "RESOURCE_EXHAUSTED":
        raise RateLimited(
            message, platform=platform, retry_after=retry_after(response), status=status
        )
    if status == 401:
        # Google says UNAUTHENTICATED for expired and bad tokens alike: refresh once.
        raise TokenExpired(message, platform=platform, status=status)
    if status >= 500:
        raise TransientError(message, platform=platform, status=status, body=body)
    if status == 403:
        raise AuthFailed(message, platform=platform, status=status)
    raise Rejected(message, platform=platform, status=status, body=body)


def token_keeper(
    client: httpx.AsyncClient, config: GoogleOAuthConfig, *, platform: str
) -> TokenKeeper:
    """A TokenKeeper refreshing through Google's token endpoint."""

    async def refresh(tokens: TokenPair) -> TokenPair:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": tokens.refresh_token or "",
            "client_id": config.client_id,
            "client_secret": config.client_secret.get_secret_value(),
        }
        response = await send(client, "POST", config.token_url, platform=platform, data=form)
        body = json_or_none(response)
        if response.status_code != 200 or not isinstance(body, dict):
            if response.status_code >= 500 or body is None:
                raise TransientError(
                    "token endpoint failed", platform=platform, status=response.status_code
                )
            raise AuthFailed(
                f"refresh refused: {body.get('error')}",
                platform=platform,
                status=response.status_code,
            )
        return TokenPair(
            body["access_token"],
            tokens.refresh_token,
            time.time() + float(body.get("expires_in", 3600)),
        )

    return TokenKeeper(
        TokenPair(config.access_token.get_secret_value(), config.refresh_token.get_secret_value()),
        refresh=refresh,
    )
