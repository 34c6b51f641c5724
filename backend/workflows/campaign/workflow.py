"""Mass campaign (seed job ``black-friday-campaign-2026``).

inputs: ``campaign`` {name, discount_range, start_date, end_date}, ``channels``,
``rate_limit_per_minute`` (per channel, cluster-wide), ``channel_rate_limits``
(per-channel overrides, e.g. ``{"email": 500}``), ``rate_window_sec`` (60; tests and
benchmarks scale a minute down to a second), ``segments`` (see campaign.plan),
``audience`` {segment, limit} (consent is always required: ``consent_required: false``
does not lift it), ``personalization`` {use_ai, tone, ...},
``quiet_hours`` {start, end} in the job's timezone, ``tracking`` (events arrive through
``POST /webhooks/tracking``, WhatsApp's and Twilio's status webhooks), and
``on_delivery_failure`` ("report" or "retry": see campaign.retry), ``language`` ("id",
the default, or "en": the messages it writes, templates and personalised texts alike). A
run started by an order event (``trigger: {"event": "order.paid"}``) sends that order's
buyer one message instead (campaign.order_message: a thank-you, or a cart reminder).

Steps: plan (customers → segment → consent → one channel each) → send (all channels at
once, each at its rate; resumable; pausable; then, with "retry", the messages the
platforms failed later once more on another channel) → report. Live counters:
``GET /campaign-runs/{run_id}/stats``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import orjson

from backend.connectors.types import Customer
from backend.core.errors import ErrorItem, InvalidInput, RetryableError, RunCancelled
from backend.core.messages import message
from backend.core.outcome import NothingDone
from backend.services.campaign_state import CampaignState, campaign_id_for, channel_rates
from backend.workflows.campaign.order_message import is_order_event, run_for_order
from backend.workflows.campaign.plan import plan_audience, segment_rules
from backend.workflows.campaign.retry import delivery_policy, retry_items
from backend.workflows.campaign.send import CampaignSender
from backend.workflows.campaign.window import outside_window, send_time
from backend.workflows.context import WorkflowContext

__all__ = ["run"]

_CHANNELS = ("whatsapp", "telegram", "email", "sms")


def _timezone(ctx: WorkflowContext) -> str:
    schedule = ctx.spec.schedule
    return schedule.timezone if schedule is not None else "Asia/Jakarta"


def _channels(inputs: dict[str, Any]) -> list[str]:
    channels = list(inputs.get("channels") or ["whatsapp", "telegram", "email"])
    bad = [c for c in channels if c not in _CHANNELS]
    if bad or not channels:
        raise InvalidInput([ErrorItem("inputs.channels", f"unknown channel(s) {bad}")])
    return channels


async def run(ctx: WorkflowContext) -> dict[str, Any]:
    """The workflow entry point (see the module docstring)."""
    if is_order_event(ctx.inputs):  # a thank-you or cart reminder for one order
        return await run_for_order(ctx)
    campaign = dict(ctx.inputs.get("campaign") or {})
    campaign.setdefault("name", ctx.job_id)
    channels = _channels(ctx.inputs)
    delivery_policy(ctx.inputs)  # a bad policy fails before anything is sent
    cid = campaign_id_for(ctx.job_id, str(campaign["name"]))
    at = send_time(ctx.scheduled_for)
    outside = outside_window(campaign, at=at, timezone=_timezone(ctx))
    if outside is not None:
        ctx.log(message(outside.key, **outside.params), level="warning")
        return {"campaign_id": cid, "sent": 0, "nothing_done": outside}
    state = CampaignState(campaign_id=cid)
    planned = await ctx.step("plan", lambda: plan_step(ctx, cid=cid, channels=channels))
    ctx.log(message("log.campaign_planned", planned=planned["planned"],
                    customers=planned["customers"], by_channel=planned["by_channel"],
                    skipped=planned["skipped"]))
    sent = await ctx.step("send", lambda: send_step(
        ctx, state=state, campaign=campaign, channels=channels, planned=planned))
    report = await ctx.step("report", lambda: report_step(
        ctx, state=state, campaign=campaign, planned=planned))
    await ctx.progress(1.0, None, message("progress.campaign_sent"))
    failed = {k: v for k, v in report["counters"].items() if k.startswith("failed:")}
    return {"nothing_done": _idle(planned, sent, failed, attempt=ctx.attempt),
            "campaign_id": cid, "customers": planned["customers"], "planned": planned["planned"],
            "by_channel": planned["by_channel"], "skipped": planned["skipped"],
            "sent": sent.get("sent", 0), "retried": sent.get("retried", 0),
            "send_sec": round(sent["send_sec"], 3),
            "failed": failed, "revenue_so_far": report["revenue"]}  # fmt: skip


def _idle(planned: dict[str, Any], sent: dict[str, Any], failed: dict[str, int], *,
          attempt: int) -> NothingDone | None:  # fmt: skip
    """Why this run sent no message, when it sent none."""
    if planned["planned"] == 0:
        return NothingDone("campaign_no_audience", {"customers": planned["customers"]})
    if sent.get("sent_now", 0) > 0:
        return None
    if sent.get("already_done", 0) >= planned["planned"]:
        if attempt > 1:
            return None  # an earlier attempt of this very run sent them
        # A re-run of a campaign an earlier run finished: nothing left, as it should be.
        return NothingDone("campaign_already_sent", {"planned": planned["planned"]},
                           expected=False)  # fmt: skip
    return NothingDone("campaign_none_sent", {"planned": planned["planned"],
                                              "failed": sum(failed.values())})  # fmt: skip


async def customer_pages(ctx: WorkflowContext) -> AsyncIterator[list[Customer]]:
    """The CRM's customers a page at a time: planning keeps only the small plan items,
    never 10,000 customer records (with purchase histories) at once."""
    crm = ctx.platforms.crm()
    cursor: str | None = None
    while True:
        page = await crm.customers(cursor=cursor)
        yield page.items
        cursor = page.next_cursor
        if cursor is None:
            return


async def plan_step(ctx: WorkflowContext, *, cid: str, channels: list[str]) -> dict[str, Any]:
    """Who gets which message on which channel (kept for the send step)."""
    audience = dict(ctx.inputs.get("audience") or {})
    limit = int(audience.pop("limit", 0) or 0)
    rules = segment_rules(ctx.inputs, channels)
    plan: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    customers = 0
    async for page in customer_pages(ctx):
        customers += len(page)  # every page is read: the report counts all customers
        if limit and len(plan) >= limit:
            continue
        cut = {"limit": limit - len(plan)} if limit else {}
        got, left_out = plan_audience(page, rules=rules, channels=channels,
                                      audience={**audience, **cut})  # fmt: skip
        plan += got
        skipped += left_out
    # In the database: a Redis that lost it would make a resumed send step send nothing.
    await ctx.tools.state.set(f"campaign:{cid}:plan", plan)
    per_channel = Counter(item["channel"] for item in plan)
    return {"customers": customers, "planned": len(plan),
            "by_channel": dict(per_channel), "skipped": dict(skipped)}  # fmt: skip


async def send_step(ctx: WorkflowContext, *, state: CampaignState, campaign: dict[str, Any],
                    channels: list[str], planned: dict[str, Any]) -> dict[str, Any]:
    """Send every planned message not sent yet, each channel within its rate."""
    plan = await ctx.tools.state.get(f"campaign:{state.cid}:plan", [])
    await state.start(run_id=ctx.run_id, job_id=ctx.job_id, name=str(campaign["name"]),
                      planned=planned["by_channel"], skipped=planned["skipped"])  # fmt: skip
    done = await state.done()
    todo = [i for i in plan if f"{i['customer_id']}:{i['channel']}" not in done]
    if done or ctx.attempt > 1:  # resuming: a dead attempt may hold claims of the rest
        keys = [f"campaign:{state.cid}:{i['customer_id']}:{i['channel']}" for i in todo]
        released = await ctx.tools.messaging.release_pending(keys)
        ctx.log(message("log.campaign_resuming", done=len(done), released=released))
    window = float(ctx.inputs.get("rate_window_sec") or 60)
    per_window = {c: max(1, int(n)) for c, n in channel_rates(ctx.inputs, channels).items()}
    for channel, count in per_window.items():
        ctx.tools.messaging.set_limit(channel, count=count, per=window)
    sender = CampaignSender(ctx, state=state, campaign=campaign,
                            personalization=ctx.inputs.get("personalization") or {},
                            quiet_hours=ctx.inputs.get("quiet_hours"))  # fmt: skip
    started = time.monotonic()
    outcome = await sender.send_all(todo, total=len(plan),
                                    rates={c: n / window for c, n in per_window.items()})
    if outcome["control"] == "cancelled":
        await state.finish("cancelled")
        raise RunCancelled("campaign cancelled")
    if outcome["transient_failures"]:
        raise RetryableError(f"{outcome['transient_failures']} messages failed for now; "
                             "the retry sends only those")  # fmt: skip
    retried = await retry_step(ctx, state=state, campaign=campaign, plan=plan,
                               rates={c: n / window for c, n in per_window.items()})
    await state.finish("sent")
    sent_now = outcome["sent_now"] + retried
    return {**outcome, "sent_now": sent_now, "retried": retried, "already_done": len(done),
            "send_sec": time.monotonic() - started, **(await state.stats())}  # fmt: skip


async def retry_step(ctx: WorkflowContext, *, state: CampaignState, campaign: dict[str, Any],
                     plan: list[dict[str, Any]], rates: dict[str, float]) -> int:
    """Messages the platform failed after taking them, by ``on_delivery_failure``: with
    "retry", each once more on the customer's next consented channel (campaign.retry)."""
    if delivery_policy(ctx.inputs) != "retry":
        return 0
    items = retry_items(plan, done=await state.done(), failed=await state.failed_later())
    if not items:
        return 0
    sender = CampaignSender(ctx, state=state, campaign=campaign,
                            personalization=ctx.inputs.get("personalization") or {},
                            quiet_hours=ctx.inputs.get("quiet_hours"))  # fmt: skip
    out = await sender.send_all(items, total=len(items), rates=rates)
    await state.add({f"retried:{c}": n for c, n in out["sent_now_by_channel"].items()})
    ctx.log(message("log.campaign_resent", n=out["sent_now"],
                    by_channel=out["sent_now_by_channel"]))
    return int(out["sent_now"])


async def report_step(ctx: WorkflowContext, *, state: CampaignState, campaign: dict[str, Any],
                      planned: dict[str, Any]) -> dict[str, Any]:
    """The campaign report (counters, attributed revenue) as an artifact."""
    totals = await ctx.tools.revenue.campaign_totals(state.cid)
    counters = await state.stats()
    report = {"campaign_id": state.cid, "campaign": campaign, "plan": planned,
              "counters": counters, "revenue": totals.revenue, "orders": totals.orders}
    stored = await ctx.tools.files.save("campaign-report.json", orjson.dumps(report),
                                        content_type="application/json")  # fmt: skip
    await ctx.add_artifact(name="campaign-report.json", path=stored.path,
                           content_type=stored.content_type, size=stored.size)  # fmt: skip
    return {"counters": counters, "revenue": totals.revenue, "orders": totals.orders}
