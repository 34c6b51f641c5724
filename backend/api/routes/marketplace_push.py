"""Marketplace order pushes turned into order events (backend.connectors.order_push).

    POST /webhooks/shopee        Shopee's push (set its callback URL to
                                 <PUBLIC_URL>/webhooks/shopee), Authorization signed
                                 with the partner key over "<url>|<body>"
    POST /webhooks/tiktok_shop   TikTok Shop's webhook, Authorization signed with the
                                 app secret over app_key + body

An order status push starts the jobs whose trigger is its event (order.created,
order.paid, order.cancelled) once per order and event, however often it is pushed. The
key is the live account's (``default``), else the sandbox's: every shop of one partner
app shares it. A bad or missing signature is 401; a push that is no order event here is
answered 200 and starts nothing (the platforms retry anything else).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import APIRouter, Request

from backend.api.deps import Unauthorized
from backend.connectors import order_push
from backend.connectors.runtime import connector_config
from backend.connectors.shopee import ShopeeConfig
from backend.connectors.tiktok_shop import TikTokShopConfig
from backend.core.config import get_settings
from backend.core.errors import ErrorItem, InvalidInput, NonRetryableError
from backend.jobs.events import ingest_event

router = APIRouter(tags=["webhooks"])


def _payload(body: bytes) -> Any:
    if not body.strip():
        return None  # Shopee checks a new callback URL with an empty push
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidInput([ErrorItem("body", "must be JSON")]) from None


async def _record(push: order_push.OrderPush | None, ignored: str) -> dict[str, Any]:
    if push is None:
        return {"ok": True, "ignored": ignored}
    occurred = (datetime.fromtimestamp(push.update_time, UTC)
                if push.update_time and 0 < push.update_time < 10**11 else None)  # fmt: skip
    intake = await asyncio.to_thread(
        ingest_event, source=push.source, event_id=push.event_id, kind=push.kind,
        data=push.data(), occurred_at=occurred)  # fmt: skip
    return {"ok": True, "event": intake.event, "kind": push.kind,
            "duplicate": intake.duplicate, "runs": intake.runs}


@router.post("/webhooks/shopee")
async def shopee_push(request: Request) -> dict[str, Any]:
    body = await request.body()
    try:
        config = connector_config("shopee", ShopeeConfig) or ShopeeConfig()
    except NonRetryableError:
        raise Unauthorized("no Shopee account to check the push against") from None
    urls = {get_settings().public_url.rstrip("/") + "/webhooks/shopee", str(request.url)}
    if not order_push.valid_shopee_push(partner_key=config.partner_key.get_secret_value(),
                                        urls=urls, body=body,
                                        header=request.headers.get("authorization")):
        raise Unauthorized("bad or missing Authorization (HMAC-SHA256 of '<callback url>|"
                           "<body>' with the partner key)")
    payload = _payload(body)
    return await _record(order_push.parse_shopee_push(payload),
                         ignored="not an order status push this app acts on")


@router.post("/webhooks/tiktok_shop")
async def tiktok_webhook(request: Request) -> dict[str, Any]:
    body = await request.body()
    try:
        config = connector_config("tiktok_shop", TikTokShopConfig) or TikTokShopConfig()
    except NonRetryableError:
        raise Unauthorized("no TikTok Shop account to check the webhook against") from None
    if not order_push.valid_tiktok_webhook(app_key=config.app_key,
                                           app_secret=config.app_secret.get_secret_value(),
                                           body=body,
                                           header=request.headers.get("authorization")):
        raise Unauthorized("bad or missing Authorization (HMAC-SHA256 of app_key + body "
                           "with the app secret)")
    return await _record(order_push.parse_tiktok_webhook(_payload(body)),
                         ignored="not an order status change this app acts on")
