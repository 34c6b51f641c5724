"""WhatsApp Cloud API: text (session) and template messages, and their status webhooks.

``POST {base_url}/{api_version}/{phone_number_id}/messages`` with a bearer token. A text
message only reaches someone who wrote to the business in the last 24 hours; everyone
else needs an approved template. The platform does not say so at send: it answers 200
with a message id and reports error 131047 later, in a status webhook
(``statuses[].status = "failed"``), read by :func:`parse_statuses` once
:func:`valid_signature` has checked Meta's ``X-Hub-Signature-256``. Template errors
(132001 no such template, 132000 wrong parameter count) come at send. Errors come in
Graph's shape ``{"error": {"message", "type", "code", "error_subcode"}}`` and are mapped
to actions in :func:`raise_for_response`.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

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

__all__ = ["WhatsAppConfig", "WhatsAppConnector", "raise_for_response", "parse_statuses",
           "valid_signature"]

PLATFORM = "whatsapp"
# Graph codes that mean "slow down": throughput, pair rate, spam rate limits.
_RATE_CODES = frozenset({4, 80007, 130429, 131048, 131056})
_TRANSIENT_CODES = frozenset({1, 2, 131000, 131016, 133004})


def _sandbox(field: str) -> str:
    return str(default_value(PLATFORM, field))


class WhatsAppConfig(BaseModel):
    """How to reach one WhatsApp Business phone number. Defaults talk to the sandbox."""

    base_url: str = Field(
        default_factory=lambda: default_value(PLATFORM, "base_url"),
        description="Graph API root, e.g. https://graph.facebook.com (the sandbox by default).",
    )
    api_version: str = Field(
        default_factory=lambda: _sandbox("api_version"), description="Graph version, e.g. v19.0."
    )
    phone_number_id: str = Field(
        default_factory=lambda: _sandbox("phone_number_id"),
        description="The sending phone number's id (not the phone number itself).",
    )
    access_token: SecretStr = Field(
        default_factory=lambda: SecretStr(_sandbox("access_token")),
        description="System-user access token with whatsapp_business_messaging.",
    )
    app_secret: SecretStr = Field(
        default_factory=lambda: SecretStr(_sandbox("app_secret")),
        description="The Meta app's secret: checks the status webhooks' X-Hub-Signature-256.",
    )
    verify_token: SecretStr = Field(
        default_factory=lambda: SecretStr(_sandbox("verify_token")),
        description="The verify token typed in the app's webhook settings (GET handshake).",
    )


def valid_signature(config: WhatsAppConfig, body: bytes, header: str | None) -> bool:
    """Whether ``X-Hub-Signature-256`` is Meta's signature of ``body`` with the app secret."""
    secret = config.app_secret.get_secret_value().encode()
    expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return bool(header) and hmac.compare_digest(expected, str(header).strip())


def parse_statuses(payload: Any) -> list[StatusUpdate]:
    """The message statuses in a webhook body (``entry[].changes[].value.statuses[]``);
    inbound messages and other fields are not statuses and are left out."""
    out: list[StatusUpdate] = []
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            for st in value.get("statuses") or []:
                if not isinstance(st, dict) or not st.get("id") or not st.get("status"):
                    continue
                error = ((st.get("errors") or [None])[0]) or {}
                details = (error.get("error_data") or {}).get("details")
                out.append(StatusUpdate(
                    channel=PLATFORM, provider_id=str(st["id"]), status=str(st["status"]),
                    recipient=str(st.get("recipient_id") or ""),
                    error_code=int(error["code"]) if "code" in error else None,
                    error=str(details or error.get("title") or error.get("message") or ""),
                ))  # fmt: skip
    return out


def raise_for_response(response: httpx.Response) -> dict:
    """Return the body of a success; raise the error that says what to do otherwise."""
    body = json_body(response)
    status = response.status_code
    if 200 <= status < 300:
        if not isinstance(body, dict) or not body.get("messages"):
            raise TransientError("malformed success body", platform=PLATFORM, status=status)
        return body
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code = error.get("code")
    message = str(error.get("message") or f"HTTP {status}")
    if status == 429 or code in _RATE_CODES:
        raise RateLimited(message, platform=PLATFORM, retry_after=retry_after(response),
                          status=status)
    if code == 190 or status == 401:
        # 190 covers wrong and expired tokens; WhatsApp system tokens cannot be refreshed
        # by us, so both need a person to paste a new one.
        raise AuthFailed(f"access token refused: {message}", platform=PLATFORM, status=status)
    if status >= 500 or code in _TRANSIENT_CODES or not isinstance(body, dict):
        raise TransientError(message, platform=PLATFORM, status=status, body=body)
    if code == 131047:
        raise Rejected(
            "outside the 24-hour window: send a template message",
            platform=PLATFORM,
            status=status,
            body=body,
        )
    if status == 403:
        raise AuthFailed(f"permission denied: {message}", platform=PLATFORM, status=status)
    raise Rejected(message, platform=PLATFORM, status=status, body=body)


class WhatsAppConnector:
    """Sends WhatsApp messages through one business phone number."""

    channel = PLATFORM

    def __init__(self, *, config: WhatsAppConfig, client: httpx.AsyncClient) -> None:
        self._config = config
        self._client = client
        base = config.base_url.rstrip("/")
        self._url = f"{base}/{config.api_version}/{config.phone_number_id}/messages"

    @property
    def account(self) -> str:
        return self._config.phone_number_id

    def payload(self, message: OutboundMessage) -> dict:
        """The request body: a template when one is given, else a session text."""
        body: dict = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        body["to"] = message.to
        if message.template is not None:
            tpl = message.template
            template: dict = {"name": tpl.name, "language": {"code": tpl.language}}
            if tpl.params:
                parameters = [{"type": "text", "text": p} for p in tpl.params]
                template["components"] = [{"type": "body", "parameters": parameters}]
            body.update(type="template", template=template)
        else:
            body.update(type="text", text={"body": message.text, "preview_url": True})
        return body

    async def send(self, message: OutboundMessage, *, idempotency_key: str) -> SentMessage:
        """Send one message; the idempotency key makes repeats harmless."""
        if message.attachments:
            raise Rejected(
                "attachments are not sent over WhatsApp here; use email or telegram",
                platform=PLATFORM,
            )
        headers = {
            "Authorization": f"Bearer {self._config.access_token.get_secret_value()}",
            "Idempotency-Key": idempotency_key,
        }
        try:
            response = await self._client.post(
                self._url, json=self.payload(message), headers=headers
            )
        except httpx.TransportError as exc:
            raise transport_error(exc, platform=PLATFORM) from exc
        body = raise_for_response(response)
        sent = body["messages"][0]
        return SentMessage(
            channel=PLATFORM,
            provider_id=str(sent["id"]),
            status=str(sent.get("message_status") or "accepted"),
            replayed=response.headers.get("Idempotent-Replayed") == "true",
        )
