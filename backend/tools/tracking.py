"""Apply a tracking webhook event (delivered, opened, clicked, converted) to the tools.

The sandbox, and providers in their own shapes, report what recipients did with a
message: ``{"id", "type", "channel", "message_id", "recipient", "link_token",
"revenue", "occurred_at"}``. The webhook route verifies the signature and hands the
event here; this updates the message's delivery status (``messaging``), records clicks
as campaign touches and conversions as orders (``revenue``): only conversions of messages
this install sent (a known message id) count; a message id the ledger does not know yet
is looked up again for about five seconds (the event can overtake the send's record).
Events are idempotent:
statuses only move forward and an order id counts once, so a retried webhook is harmless.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from backend.tools.messaging import MessagingTool
from backend.tools.revenue import RevenueTool

__all__ = ["apply_tracking_event", "revenue_amount", "failure_reason", "TRACKING_TYPES"]

TRACKING_TYPES = frozenset({"delivered", "failed", "opened", "clicked", "converted"})
# A platform may report a message before the sender has recorded the platform's answer
# (the ledger commits sends in batches): an unknown message id is looked up again for
# this long before the event is taken for someone else's.
_UNKNOWN_MESSAGE_PAUSES = (0.1, 0.2, 0.4, 0.8, 1.5, 2.0)


async def _record_status(messaging: MessagingTool, channel: str, message_id: str, kind: str,
                         *, error: str | None) -> bool:  # fmt: skip
    """The status on the ledger's message; False when the ledger never knew it."""
    for pause in (*_UNKNOWN_MESSAGE_PAUSES, None):
        if await messaging.record_status(channel, message_id, kind, error=error):
            return True
        if pause is None:
            return False
        await asyncio.sleep(pause)
    return False


def _timestamp(value: Any) -> float | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        return None


def revenue_amount(value: Any) -> float | None:
    """A conversion's revenue: a finite, non-negative number, else None (not counted)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        amount = float(value)
    except ValueError:
        return None
    return amount if math.isfinite(amount) and amount >= 0 else None


def failure_reason(event: Mapping[str, Any]) -> str | None:
    """Why a ``failed`` event failed ("131047: Re-engagement message"), else None."""
    if event.get("type") != "failed":
        return None
    code, reason = event.get("error_code"), event.get("reason") or event.get("error")
    text = ": ".join(str(x) for x in (code, reason) if x not in (None, ""))
    return text or "failed"


async def apply_tracking_event(
    event: Mapping[str, Any], *, messaging: MessagingTool, revenue: RevenueTool
) -> list[str]:
    """Apply one event; returns what changed (for the webhook's log and tests)."""
    kind = str(event.get("type") or "")
    if kind not in TRACKING_TYPES:
        raise ValueError(f"unknown tracking event type {kind!r}")
    done: list[str] = []
    channel, message_id = event.get("channel"), event.get("message_id")
    known = bool(channel and message_id) and await _record_status(
        messaging, str(channel), str(message_id), kind, error=failure_reason(event)
    )
    if known:
        done.append(f"status:{kind}")
    at = _timestamp(event.get("occurred_at"))
    link = await revenue.resolve_link(event.get("link_token"))
    if kind == "clicked" and link is not None:
        await revenue.record_touch(
            customer_id=link.customer_id,
            campaign_id=link.campaign_id,
            job_id=link.job_id,
            channel=link.channel,
            at=at,
        )
        done.append(f"touch:{link.campaign_id}")
    amount = revenue_amount(event.get("revenue"))
    # Money moves only for a message this install sent: a conversion naming an unknown
    # (or no) message id is someone else's claim, whatever its signature.
    if kind == "converted" and known and amount is not None:
        attribution = await revenue.record_order(
            order_id=str(event.get("order_id") or event["id"]),
            amount=amount,
            customer_id=link.customer_id if link else event.get("recipient"),
            campaign_id=link.campaign_id if link else None,
            job_id=link.job_id if link else None,
            channel=link.channel if link else event.get("channel"),
            at=at,
        )
        if attribution is not None and attribution.counted:
            done.append(f"order:{attribution.campaign_id}")
    return done
