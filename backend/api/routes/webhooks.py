"""``POST /webhooks/tracking``: delivery, open, click and conversion events.

The sandbox (and providers configured to) POST one JSON event per request, signed with
``X-Sandbox-Signature: hex(HMAC-SHA256(tracking_webhook_secret(), body))`` (a secret per
install, or TRACKING_WEBHOOK_SECRET). A bad
or missing signature is 401; an unknown event type 422. Each event updates the message's
status and the revenue attribution (``backend.tools.tracking``) and the live counters of
the campaign that sent it; repeats are harmless.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from typing import Any

import orjson
from fastapi import APIRouter, Request

from backend.api.deps import Unauthorized
from backend.core.config import get_settings
from backend.core.errors import ErrorItem, InvalidInput
from backend.core.redis import get_async_redis
from backend.core.security import tracking_webhook_secret
from backend.services import campaign_state
from backend.tools.messaging import MessagingTool
from backend.tools.revenue import RevenueTool
from backend.tools.tracking import TRACKING_TYPES, apply_tracking_event, revenue_amount

router = APIRouter(tags=["webhooks"])


def _verify(body: bytes, signature: str | None) -> None:
    secret = tracking_webhook_secret().encode()
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature.strip()):
        raise Unauthorized("bad or missing X-Sandbox-Signature")


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
    settings = get_settings()
    redis = get_async_redis()
    try:
        messaging = MessagingTool(settings=settings, redis=redis, connectors={})
        revenue = RevenueTool(redis=redis, prefix=settings.redis_prefix,
                              window_days=settings.revenue_attribution_days)  # fmt: skip
        done = await apply_tracking_event(event, messaging=messaging, revenue=revenue)
    finally:
        await redis.aclose()
    if event.get("channel") and event.get("message_id"):
        counted = await asyncio.to_thread(
            campaign_state.record_event,
            channel=str(event["channel"]), message_id=str(event["message_id"]),
            kind=str(event["type"]), revenue=revenue_amount(event.get("revenue")),
        )  # fmt: skip
        if counted:
            done.append("campaign")
    return {"ok": True, "applied": done}
