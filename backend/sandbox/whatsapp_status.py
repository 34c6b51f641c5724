"""WhatsApp's status webhook: what became of each message, POSTed as Meta does.

The Cloud API reports a message's fate after the send call has answered: ``delivered``,
``read`` and ``failed`` (with the reason in ``errors``, e.g. 131047 for a text outside
the 24-hour window). Each goes to the WhatsApp webhook URL (``POST /_admin/webhooks``
``{"whatsapp": url}``; the sandbox server defaults it to the app's
``/webhooks/whatsapp``) in Meta's shape::

    {"object": "whatsapp_business_account",
     "entry": [{"id": <waba id>, "changes": [{"field": "messages", "value": {
         "messaging_product": "whatsapp",
         "metadata": {"display_phone_number", "phone_number_id"},
         "contacts": [{"wa_id"}],
         "statuses": [{"id": <wamid>, "status", "timestamp", "recipient_id",
                       "errors": [{"code", "title", "message", "error_data"}]}]}}]}]}

signed ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>``.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

import orjson
from aiohttp import web

from backend.sandbox import tracking
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.platform import STATE_KEY

__all__ = ["register", "status_payload", "hub_signature"]

_STATUS = {"delivered": "delivered", "opened": "read", "failed": "failed"}
_ERRORS = {
    131047: ("Re-engagement message", "Message failed to send because more than 24 hours have "
             "passed since the customer last replied to this number."),
    131026: ("Message undeliverable", "Unable to deliver message. Reasons can include: the "
             "recipient phone number is not a WhatsApp phone number."),
}  # fmt: skip


def hub_signature(secret: str, body: bytes) -> str:
    """Meta's ``X-Hub-Signature-256`` value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def status_payload(event: dict[str, Any]) -> dict[str, Any] | None:
    """The webhook body for one tracking event, or None (clicks are not WhatsApp's)."""
    status = _STATUS.get(str(event.get("type")))
    if status is None or not event.get("message_id"):
        return None
    creds = CREDENTIALS["whatsapp"]
    occurred = datetime.fromisoformat(str(event["occurred_at"])).timestamp()
    entry: dict[str, Any] = {
        "id": str(event["message_id"]),
        "status": status,
        "timestamp": str(int(occurred)),
        "recipient_id": str(event.get("recipient") or ""),
    }
    if status == "failed":
        code = int(event.get("error_code") or 131026)
        title, details = _ERRORS.get(code, _ERRORS[131026])
        entry["errors"] = [{
            "code": code, "title": title, "message": title,
            "error_data": {"details": details},
            "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
        }]  # fmt: skip
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000",
                     "phone_number_id": creds["phone_number_id"]},
        # The recipient as a contact, as pywa (4.5) reads every status update's user.
        "contacts": [{"wa_id": entry["recipient_id"]}],
        "statuses": [entry],
    }  # fmt: skip
    change = {"field": "messages", "value": value}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": creds["waba_id"], "changes": [change]}]}  # fmt: skip


def _format(
    app: web.Application, event: dict[str, Any]
) -> tuple[str, bytes, dict[str, str]] | None:
    url = app[STATE_KEY].platform_webhooks.get("whatsapp")
    payload = status_payload(event) if url else None
    if url is None or payload is None:
        return None
    body = orjson.dumps(payload)
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": hub_signature(CREDENTIALS["whatsapp"]["app_secret"], body),
    }
    return url, body, headers


def register(app: web.Application) -> None:
    tracking.add_status_format(app, "whatsapp", _format)
