"""Order-triggered messages: a thank-you when an order is paid, a reminder when a cart
(an order placed and not paid) is left for N hours.

A campaign job whose trigger is an order event runs once per event, the order in
``inputs.event``: ``{"event": "order.paid"}`` thanks the buyer;
``{"event": "order.created", "delay_sec": 10800}`` reminds a buyer whose order is still
unpaid three hours later (the intake starts the run that late, and after the job's
``quiet_hours``). ``inputs.order_message`` ("thank_you" | "cart_reminder") says which,
by default from the event.

Steps:
    order   the order as it stands now, from the shop's CRM (buyer, items, total,
            status); an event that carries ``customer_id`` itself (``POST /events``
            from a system the CRM does not know) is read as it is
    send    one message on a channel the buyer consented to (their preferred one when
            the job sends on it), within the channel's rate and outside quiet hours, as
            the job's template (``order_thanks`` / ``cart_reminder``) with a tracked
            link. Exactly once per order: the ledger key names the order, so a
            re-delivered push, a second event of the same order or a retried run finds
            the earlier send. A reminder for an order paid or cancelled meanwhile is not
            sent.

Revenue: a paid order is counted once for the campaign that last reached its buyer
within the attribution window (a reminder it answered, a promo), before the thank-you
itself becomes the buyer's last touch; orders after it count for the thank-you.
"""

from __future__ import annotations

from typing import Any

from backend.connectors.base import Rejected
from backend.core.errors import ErrorItem, InvalidInput, RetryableError
from backend.core.messages import message
from backend.core.outcome import NothingDone
from backend.domain.quiet import in_quiet_hours
from backend.models.types import utcnow
from backend.services.campaign_state import CampaignState, campaign_id_for, channel_rates
from backend.tools.revenue import tracked_url
from backend.tools.templates import Template
from backend.workflows.campaign.plan import plan_audience
from backend.workflows.context import WorkflowContext

__all__ = ["run_for_order", "is_order_event", "order_key"]

_CHANNELS = ("whatsapp", "telegram", "email", "sms")
_KINDS = {"order.paid": "thank_you", "order.created": "cart_reminder"}
_TEMPLATES = {"thank_you": "order_thanks", "cart_reminder": "cart_reminder"}
_PLATFORM_NAMES = {"shopee": "Shopee", "tokopedia": "Tokopedia", "tiktok_shop": "TikTok Shop",
                   "lazada": "Lazada", "blibli": "Blibli", "website": "website"}  # fmt: skip


def is_order_event(inputs: dict[str, Any]) -> bool:
    """Was this run started by an order event (a campaign for one order)?"""
    event = inputs.get("event")
    return isinstance(event, dict) and str(event.get("kind") or "").startswith("order.")


def order_key(*, cid: str, customer_id: str, platform: str, order_id: str, channel: str) -> str:
    """The ledger key of an order's message: ``campaign:<cid>:<who>:<channel>`` as every
    campaign message (tracking webhooks find the campaign by it), ``who`` naming the
    order so that each order gets its own message."""
    who = f"{customer_id}.{platform}-{order_id}".replace(":", "-")
    return f"campaign:{cid}:{who}:{channel}"


def _kind(ctx: WorkflowContext) -> str:
    wanted = ctx.inputs.get("order_message")
    event_kind = str(ctx.inputs["event"].get("kind"))
    kind = wanted or _KINDS.get(event_kind)
    if kind not in _TEMPLATES:
        raise InvalidInput([ErrorItem("inputs.order_message", "thank_you or cart_reminder "
                                      f"(an {event_kind} event names no message)")])
    return str(kind)


async def order_step(ctx: WorkflowContext) -> dict[str, Any]:
    """The order now: its buyer, total and status."""
    data = dict(ctx.inputs["event"].get("data") or {})
    platform, order_id = str(data.get("platform") or ""), str(data.get("order_id") or "")
    if not platform or not order_id:
        raise InvalidInput([ErrorItem("inputs.event.data", "an order event needs platform "
                                      "and order_id")])
    try:
        order = await ctx.platforms.crm().order(platform=platform, order_id=order_id)
    except Rejected:
        if not data.get("customer_id"):
            raise
        return {"platform": platform, "order_id": order_id,
                "customer_id": str(data["customer_id"]), "total": float(data.get("total") or 0),
                "status": "paid" if ctx.inputs["event"].get("kind") == "order.paid" else
                str(data.get("status") or "unpaid").lower()}  # fmt: skip
    return {"platform": platform, "order_id": order_id, "customer_id": order.customer_id,
            "total": float(order.total), "status": order.status}


def _channels(ctx: WorkflowContext) -> list[str]:
    channels = list(ctx.inputs.get("channels") or ["whatsapp", "telegram", "email"])
    if not channels or any(c not in _CHANNELS for c in channels):
        raise InvalidInput([ErrorItem("inputs.channels", f"one or more of {', '.join(_CHANNELS)}")])
    return channels


async def _count_order(ctx: WorkflowContext, order: dict[str, Any]) -> None:
    """A paid order counted for the campaign that last reached its buyer, once."""
    found = await ctx.tools.revenue.record_order(
        order_id=f"{order['platform']}:{order['order_id']}", amount=order["total"],
        customer_id=order["customer_id"])  # fmt: skip
    if found is not None and found.counted:
        ctx.log(message("log.order_revenue", order=order["order_id"], amount=found.amount,
                        campaign=found.campaign_id))


async def send_step(ctx: WorkflowContext, *, kind: str, order: dict[str, Any]) -> dict[str, Any]:
    """One message to the order's buyer (see the module docstring)."""
    ref = {"order": order["order_id"]}
    if order["status"] == "cancelled":
        return {"sent": 0, "idle": ["order_message_cancelled", ref]}
    if kind == "cart_reminder" and order["status"] == "paid":
        return {"sent": 0, "idle": ["order_message_paid", ref]}
    if kind == "thank_you":
        await _count_order(ctx, order)
    channels = _channels(ctx)
    customer = await ctx.platforms.crm().customer(order["customer_id"])
    first = customer.preferred_channel if customer.preferred_channel in channels else channels[0]
    plan, _ = plan_audience([customer], channels=channels,
                            rules=[{"segment": "*", "channel": first, "message": "template"}])
    if not plan:
        return {"sent": 0, "idle": ["order_message_no_consent",
                                    {**ref, "channels": ", ".join(channels)}]}
    item = plan[0]
    channel = item["channel"]
    if in_quiet_hours(ctx.inputs.get("quiet_hours"), tz="Asia/Jakarta", at=utcnow()):
        raise RetryableError("inside the job's quiet hours: the message waits for them to end")
    name = str((ctx.inputs.get("campaign") or {}).get("name") or ctx.job_id)
    cid = campaign_id_for(ctx.job_id, name)
    state = CampaignState(campaign_id=cid)
    await state.open(run_id=ctx.run_id, job_id=ctx.job_id, name=name)
    window = float(ctx.inputs.get("rate_window_sec") or 60)
    rate = channel_rates(ctx.inputs, [channel])[channel]
    ctx.tools.messaging.set_limit(channel, count=max(1, int(rate)), per=window)
    token = (await ctx.tools.revenue.link_tokens(
        campaign_id=cid, job_id=ctx.job_id, recipients=[(customer.customer_id, channel)]))[0]
    template = Template(_TEMPLATES[kind], {
        "name": customer.name.split()[0], "order_id": order["order_id"],
        "platform": _PLATFORM_NAMES.get(order["platform"], order["platform"]),
        "link": tracked_url(ctx.settings.public_url, token)},
        lang="en" if ctx.inputs.get("language") == "en" else "id")  # fmt: skip
    key = order_key(cid=cid, customer_id=customer.customer_id, platform=order["platform"],
                    order_id=order["order_id"], channel=channel)
    delivery = await ctx.tools.messaging.send(channel, str(item["to"]), template,
                                              idempotency_key=key)
    if delivery.duplicate:
        return {"sent": 0, "channel": channel, "campaign_id": cid,
                "idle": ["order_message_already_sent", ref]}
    await state.add({"planned": 1, f"planned:{channel}": 1})
    await ctx.tools.revenue.record_touch(customer_id=customer.customer_id, campaign_id=cid,
                                         job_id=ctx.job_id, channel=channel)
    ctx.log(message("log.order_message_sent", message=kind, order=order["order_id"],
                    platform=order["platform"], channel=channel))
    return {"sent": 1, "channel": channel, "campaign_id": cid, "customer_id": customer.customer_id,
            "provider_id": delivery.provider_id}


async def run_for_order(ctx: WorkflowContext) -> dict[str, Any]:
    """The campaign workflow for a run an order event started."""
    kind = _kind(ctx)
    order = await ctx.step("order", lambda: order_step(ctx))
    sent = await ctx.step("send", lambda: send_step(ctx, kind=kind, order=order))
    await ctx.progress(1.0, None, message("progress.order_message_sent"))
    idle = sent.pop("idle", None)
    out = {"message": kind, "platform": order["platform"], "order_id": order["order_id"],
           "order_status": order["status"], "sent": sent.get("sent", 0),
           "by_channel": {sent["channel"]: sent["sent"]} if sent.get("channel") else {}, **sent}
    if idle is not None:  # done by design (already paid, no consent): no alert
        out["nothing_done"] = NothingDone(idle[0], idle[1], expected=False)
    return out
