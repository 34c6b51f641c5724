"""Webhooks: what the platforms report about the messages after sending them.

    POST /webhooks/tracking   delivery, open, click and conversion events (the sandbox,
                              and providers configured to), signed
                              ``X-Sandbox-Signature: hex(HMAC-SHA256(secret, body))`` with
                              ``tracking_webhook_secret()`` (per install, or
                              TRACKING_WEBHOOK_SECRET)
    GET  /webhooks/whatsapp   Meta's verify handshake (``hub.verify_token`` must be the
                              WhatsApp account's verify token; answers ``hub.challenge``)
    POST /webhooks/whatsapp   WhatsApp's status webhook, signed ``X-Hub-Signature-256``
                              with the Meta app's secret
    POST /webhooks/twilio     Twilio's status callback, signed ``X-Twilio-Signature``
                              with the account's auth token

A bad or missing signature is 401, an unknown event type 422. Each event updates the
message's status in the ledger (a failure with its reason), the revenue attribution
(``backend.tools.tracking``) and the counters of the campaign that sent it, each once
however often it is repeated. A campaign message the platform failed after taking it
(WhatsApp 131047 outside the 24-hour window; Twilio ``failed``/``undelivered``) then
follows its job's ``on_delivery_failure``: "retry" queues a run of the job, which sends
it once more on another channel the customer consented to; "report" raises one alert
per campaign and reason.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qsl

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse

from backend.api.deps import Unauthorized
from backend.connectors import sms, whatsapp
from backend.connectors.messages import StatusUpdate
from backend.connectors.runtime import connector_config
from backend.core.config import get_settings
from backend.core.db import session_scope
from backend.core.errors import ErrorItem, InvalidInput, NonRetryableError, PermissionDenied
from backend.core.redis import get_async_redis, get_redis, wake_channel
from backend.core.security import tracking_webhook_secret
from backend.jobs.service import queue_follow_up
from backend.services import campaign_state, delivery_failures
from backend.tools.messaging import MessagingTool
from backend.tools.revenue import RevenueTool
from backend.tools.tracking import (
    TRACKING_TYPES,
    apply_tracking_event,
    failure_reason,
    revenue_amount,
)

router = APIRouter(tags=["webhooks"])

# A platform's status -> the funnel's event (sent and queued say nothing new).
_KINDS = {"delivered": "delivered", "read": "opened", "failed": "failed"}


def _verify(body: bytes, signature: str | None) -> None:
    secret = tracking_webhook_secret().encode()
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature.strip()):
        raise Unauthorized("bad or missing X-Sandbox-Signature")


async def apply_event(event: dict[str, Any]) -> list[str]:
    """One tracking event: the ledger, revenue, the campaign's funnel, and for a
    campaign message that failed, its job's policy. Returns what changed."""
    settings = get_settings()
    redis = get_async_redis()
    try:
        messaging = MessagingTool(settings=settings, redis=redis, connectors={})
        revenue = RevenueTool(window_days=settings.revenue_attribution_days)
        done = await apply_tracking_event(event, messaging=messaging, revenue=revenue)
    finally:
        await redis.aclose()
    if not (event.get("channel") and event.get("message_id")):
        return done
    channel, message_id, kind = str(event["channel"]), str(event["message_id"]), event["type"]
    reason = failure_reason(event)
    counted = await asyncio.to_thread(
        campaign_state.record_event, channel=channel, message_id=message_id, kind=kind,
        revenue=revenue_amount(event.get("revenue")), reason=reason)  # fmt: skip
    if counted:
        done.append("campaign")
        if kind == "failed":
            done.append(await asyncio.to_thread(_after_failure, channel, message_id,
                                                reason or "failed"))  # fmt: skip
    return done


def _after_failure(channel: str, message_id: str, reason: str) -> str:
    """The campaign's policy for a message that failed after sending."""
    found = campaign_state.campaign_of_message(channel=channel, message_id=message_id)
    if found is None:
        return "policy:none"
    cid, job_id = found
    if delivery_failures.policy_of(job_id) == "retry":
        with session_scope() as session:
            run = queue_follow_up(session=session, job_id=job_id, trigger="retry")
        if run is not None:
            try:
                get_redis().publish(wake_channel(), "retry")
            except Exception:  # the scheduler finds the run on its next tick anyway
                pass
        return "policy:retry"
    delivery_failures.report_failure(job_id=job_id, campaign_id=cid, channel=channel,
                                     reason=reason)  # fmt: skip
    return "policy:report"


def _status_event(update: StatusUpdate) -> dict[str, Any] | None:
    """A platform's status update as a tracking event (None: nothing to count)."""
    kind = _KINDS.get(update.status)
    if kind is None:
        return None
    event: dict[str, Any] = {"type": kind, "channel": update.channel,
                             "message_id": update.provider_id, "recipient": update.recipient}
    if kind == "failed":
        event.update(error_code=update.error_code, reason=update.error)
    return event


@router.post("/webhooks/tracking")
async def tracking(request: Request) -> dict[str, Any]:
    body = await request.body()
    _verify(body, request.headers.get("x-sandbox-signature"))
    try:
        event = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidInput([ErrorItem("body", "must be a JSON object")]) from None
    if not isinstance(event, dict) or event.get("type") not in TRACKING_TYPES:
        raise InvalidInput([ErrorItem("type", f"one of {sorted(TRACKING_TYPES)}")])
    return {"ok": True, "applied": await apply_event(event)}


def _whatsapp_config() -> whatsapp.WhatsAppConfig:
    try:
        return connector_config("whatsapp", whatsapp.WhatsAppConfig) or whatsapp.WhatsAppConfig()
    except NonRetryableError:  # no account and no defaults: nothing can be verified
        raise Unauthorized("no WhatsApp account to check the webhook against") from None


@router.get("/webhooks/whatsapp", response_class=PlainTextResponse)
async def whatsapp_verify(
    mode: str = Query("", alias="hub.mode", max_length=50),
    token: str = Query("", alias="hub.verify_token", max_length=500),
    challenge: str = Query("", alias="hub.challenge", max_length=500),
) -> str:
    """Meta's handshake when the webhook URL is saved in the app's settings."""
    expected = _whatsapp_config().verify_token.get_secret_value()
    if mode != "subscribe" or not hmac.compare_digest(token.encode(), expected.encode()):
        raise PermissionDenied("wrong hub.mode or hub.verify_token")
    return challenge


@router.post("/webhooks/whatsapp")
async def whatsapp_statuses(request: Request) -> dict[str, Any]:
    body = await request.body()
    config = _whatsapp_config()
    if not whatsapp.valid_signature(config, body, request.headers.get("x-hub-signature-256")):
        raise Unauthorized("bad or missing X-Hub-Signature-256")
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidInput([ErrorItem("body", "must be a JSON object")]) from None
    applied = []
    for update in whatsapp.parse_statuses(payload):
        event = _status_event(update)
        if event is not None:
            applied.append({"id": update.provider_id, "status": update.status,
                            "applied": await apply_event(event)})  # fmt: skip
    return {"ok": True, "statuses": applied}


@router.post("/webhooks/twilio")
async def twilio_status(request: Request) -> dict[str, Any]:
    body = await request.body()
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        config = connector_config("sms", sms.SmsConfig) or sms.SmsConfig()
    except NonRetryableError:
        raise Unauthorized("no SMS account to check the callback against") from None
    # Twilio signs the URL it was given (the account's status_callback_url), with its query.
    query = f"?{request.url.query}" if request.url.query else ""
    urls = {config.status_callback_url + query, str(request.url)}
    header = request.headers.get("x-twilio-signature")
    if not any(sms.valid_signature(config, url, form, header) for url in urls if url):
        raise Unauthorized("bad or missing X-Twilio-Signature")
    update = sms.parse_status_callback(form)
    event = _status_event(update) if update is not None else None
    if update is None or event is None:
        return {"ok": True, "applied": []}
    return {"ok": True, "status": update.status, "applied": await apply_event(event)}
