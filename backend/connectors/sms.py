"""SMS through Twilio's REST API.

``POST {base_url}/2010-04-01/Accounts/{account_sid}/Messages.json`` with HTTP Basic auth
(account SID : auth token) and form fields ``To``, ``Body``, ``From`` or
``MessagingServiceSid``, and ``StatusCallback``; 201 returns the message resource
``{sid, status}``. Whether it arrived comes later, to the status callback (the app's
``/webhooks/twilio``): :func:`parse_status_callback` reads it once
:func:`valid_signature` has checked ``X-Twilio-Signature``. Errors are ``{"code",
"message", "status"}``, over the limit 429 with Retry-After; all mapped in
:func:`raise_for_response`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TransientError
from backend.connectors.common import retry_after
from backend.connectors.defaults import default_value
from backend.connectors.messages import (
    OutboundMessage,
    SentMessage,
    StatusUpdate,
    json_body,
    transport_error,
)
from backend.core.config import get_settings

__all__ = ["SmsConfig", "SmsConnector", "raise_for_response", "parse_status_callback",
           "valid_signature", "STATUS_CALLBACK_PATH"]

PLATFORM = "sms"
_MAX_BODY = 1600
STATUS_CALLBACK_PATH = "/webhooks/twilio"
# Twilio's MessageStatus -> ours (a message that did not arrive is failed either way).
_STATUSES = {"queued": "queued", "accepted": "accepted", "sending": "sent", "sent": "sent",
             "delivered": "delivered", "read": "read", "undelivered": "failed",
             "failed": "failed"}  # fmt: skip


def _sandbox(field: str) -> str:
    return str(default_value(PLATFORM, field))


class SmsConfig(BaseModel):
    """One SMS account. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="API root, e.g. https://api.twilio.com (the sandbox's /sms by default).",
    )
    account_sid: str = Field(
        default_factory=lambda: _sandbox("account_sid"), description="Account SID (AC...)."
    )
    auth_token: SecretStr = Field(
        default_factory=lambda: SecretStr(_sandbox("auth_token")),
        description="The account's auth token (HTTP Basic password).",
    )
    from_number: str = Field(
        default_factory=lambda: _sandbox("from_number"),
        description="Sender number in E.164 (+62...) or an approved alphanumeric sender id.",
    )
    messaging_service_sid: str = Field(
        "",
        description="A Messaging Service (MG...) to send from instead of from_number; "
        "empty: from_number.",
    )
    status_callback_url: str = Field(
        default_factory=lambda: get_settings().public_url.rstrip("/") + STATUS_CALLBACK_PATH,
        description="Where Twilio reports delivery and failure: this app's /webhooks/twilio "
        "at its public address; empty: no reports.",
    )


def valid_signature(
    config: SmsConfig, url: str, form: Mapping[str, str], header: str | None
) -> bool:
    """Whether ``X-Twilio-Signature`` signs ``url`` and ``form`` with the auth token."""
    data = url + "".join(f"{k}{form[k]}" for k in sorted(form))
    key = config.auth_token.get_secret_value().encode()
    expected = base64.b64encode(hmac.new(key, data.encode(), hashlib.sha1).digest()).decode()
    return bool(header) and hmac.compare_digest(expected, str(header).strip())


def parse_status_callback(form: Mapping[str, str]) -> StatusUpdate | None:
    """A status callback's form as a status update (None when it names no message)."""
    sid, status = form.get("MessageSid") or form.get("SmsSid"), form.get("MessageStatus")
    if not sid or not status:
        return None
    code = form.get("ErrorCode")
    return StatusUpdate(
        channel=PLATFORM, provider_id=str(sid), status=_STATUSES.get(status, status),
        recipient=str(form.get("To") or ""),
        error_code=int(code) if code and code.isdigit() else None,
        error=f"Twilio error {code}" if code else "",
    )  # fmt: skip


def raise_for_response(response: httpx.Response) -> dict:
    """Return the message resource of a success; raise what to do otherwise."""
    body = json_body(response)
    status = response.status_code
    if status in (200, 201):
        if not isinstance(body, dict) or not body.get("sid"):
            raise TransientError("malformed success body", platform=PLATFORM, status=status)
        return body
    detail = body if isinstance(body, dict) else {}
    message = f"{detail.get('code', status)}: {detail.get('message') or f'HTTP {status}'}"
    if status == 429:
        raise RateLimited(message, platform=PLATFORM, retry_after=retry_after(response),
                          status=status)
    if status in (401, 403) or (status == 404 and detail.get("code") == 20404):
        raise AuthFailed(f"account refused: {message}", platform=PLATFORM, status=status)
    if status >= 500 or not detail:
        raise TransientError(message, platform=PLATFORM, status=status, body=body)
    raise Rejected(message, platform=PLATFORM, status=status, body=body)


class SmsConnector:
    """Sends text messages from one account and sender number."""

    channel = PLATFORM

    def __init__(self, *, config: SmsConfig, client: httpx.AsyncClient) -> None:
        self._config = config
        self._client = client
        self._url = (
            f"{config.base_url.rstrip('/')}/2010-04-01/Accounts/{config.account_sid}/Messages.json"
        )
        # A ready header rather than httpx.BasicAuth: no auth flow per message.
        pair = f"{config.account_sid}:{config.auth_token.get_secret_value()}".encode()
        self._headers = {"Authorization": f"Basic {base64.b64encode(pair).decode()}"}

    @property
    def account(self) -> str:
        return self._config.account_sid

    async def send(self, message: OutboundMessage, *, idempotency_key: str) -> SentMessage:
        """Send one text; attachments are refused (SMS carries text only)."""
        if message.attachments:
            raise Rejected("SMS carries text only; send files by email", platform=PLATFORM)
        if len(message.text) > _MAX_BODY:
            raise Rejected(f"text longer than {_MAX_BODY} characters", platform=PLATFORM)
        cfg = self._config
        form = {"To": message.to, "Body": message.text}
        if cfg.messaging_service_sid:
            form["MessagingServiceSid"] = cfg.messaging_service_sid
        else:
            form["From"] = cfg.from_number
        if cfg.status_callback_url:
            form["StatusCallback"] = cfg.status_callback_url
        try:
            response = await self._client.post(
                self._url,
                content=urlencode(form),
                headers={
                    **self._headers,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Idempotency-Key": idempotency_key,
                },
            )
        except httpx.TransportError as exc:
            raise transport_error(exc, platform=PLATFORM) from exc
        body = raise_for_response(response)
        return SentMessage(
            channel=PLATFORM,
            provider_id=str(body["sid"]),
            status=str(body.get("status") or "queued"),
            replayed=response.headers.get("Idempotent-Replayed") == "true",
        )
