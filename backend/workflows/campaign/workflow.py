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
platforms failed later once more on another channel) → report. The plan lives in the
database (``campaign_recipients``) and is read back a chunk at a time per channel, so a
run's memory does not grow with the audience. Live counters:
``GET /campaign-runs/{run_id}/stats``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import orjson

from backend.connectors.types import Customer
from backend.core.errors import ErrorItem, InvalidInput, RetryableError, RunCancelled
from backend.core.messages import message
from backend.core.outcome import NothingDone
from backend.services.campaign_recipients import CampaignRecipients
from backend.services.campaign_state import CampaignState, campaign_id_for, channel_rates
from backend.workflows.campaign.order_message import is_order_event, run_for_order
from backend.workflows.campaign.plan import plan_recipients, segment_rules
from backend.workflows.campaign.retry import delivery_policy, retry_items
from backend.workflows.campaign.send import CampaignSender
from backend.workflows.campaign.window import outside_window, send_time
from backend.workflows.context import WorkflowContext

__all__ = ["run"]

_CHANNELS = ("whatsapp", "telegram", "email", "sms")
_CRM_PAGE = 1000  # customers a CRM page; the plan is stored a chunk per page and channel


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
    """The CRM's customers a page at a time: planning keeps only the page at hand,
    never the CRM's customer records (with purchase histories) at once."""
    crm = ctx.platforms.crm()
    cursor: str | None = None
    while True:
        page = await crm.customers(cursor=cursor, page_size=_CRM_PAGE)
        yield page.items
        cursor = page.next_cursor
        if cursor is None:
            return


async def plan_step(ctx: WorkflowContext, *, cid: str, channels: list[str]) -> dict[str, Any]:
    """Who gets which message on which channel, into the campaign's recipients table
    (the database: a Redis that lost it would make a resumed send step send nothing)."""
    return await plan_recipients(
        customer_pages(ctx), store=CampaignRecipients(campaign_id=cid),
        rules=segment_rules(ctx.inputs, channels), channels=channels,
        audience=dict(ctx.inputs.get("audience") or {}))


def _sender(ctx: WorkflowContext, *, state: CampaignState, campaign: dict[str, Any]
            ) -> CampaignSender:  # fmt: skip
    return CampaignSender(ctx, state=state, campaign=campaign,
                          personalization=ctx.inputs.get("personalization") or {},
                          quiet_hours=ctx.inputs.get("quiet_hours"))  # fmt: skip


async def send_step(ctx: WorkflowContext, *, state: CampaignState, campaign: dict[str, Any],
                    channels: list[str], planned: dict[str, Any]) -> dict[str, Any]:
    """Send every planned message not sent yet, each channel within its rate, reading
    the plan a chunk at a time per channel."""
    await state.start(run_id=ctx.run_id, job_id=ctx.job_id, name=str(campaign["name"]),
                      planned=planned["by_channel"], skipped=planned["skipped"])  # fmt: skip
    done = await state.done_count()
    if done or ctx.attempt > 1:  # resuming: a dead attempt may hold claims of the rest
        released = await ctx.tools.messaging.release_pending_prefix(f"campaign:{state.cid}:")
        ctx.log(message("log.campaign_resuming", done=done, released=released))
    window = float(ctx.inputs.get("rate_window_sec") or 60)
    per_window = {c: max(1, int(n)) for c, n in channel_rates(ctx.inputs, channels).items()}
    for channel, count in per_window.items():
        ctx.tools.messaging.set_limit(channel, count=count, per=window)
    rates = {c: n / window for c, n in per_window.items()}
    store = CampaignRecipients(campaign_id=state.cid)
    feeds = {channel: unsent_pages(ctx, store=store, state=state, channel=channel)
             for channel in planned["by_channel"]}
    started = time.monotonic()
    outcome = await _sender(ctx, state=state, campaign=campaign).send_all(
        feeds, total=planned["planned"], rates=rates)
    if outcome["control"] == "cancelled":
        await state.finish("cancelled")
        raise RunCancelled("campaign cancelled")
    if outcome["transient_failures"]:
        raise RetryableError(f"{outcome['transient_failures']} messages failed for now; "
                             "the retry sends only those")  # fmt: skip
    retried = await retry_step(ctx, state=state, campaign=campaign, store=store, rates=rates)
    await state.finish("sent")
    sent_now = outcome["sent_now"] + retried
    return {**outcome, "sent_now": sent_now, "retried": retried, "already_done": done,
            "send_sec": time.monotonic() - started, **(await state.stats())}  # fmt: skip


async def unsent_pages(ctx: WorkflowContext, *, store: CampaignRecipients, state: CampaignState,
                       channel: str) -> AsyncIterator[list[dict[str, Any]]]:  # fmt: skip
    """The channel's planned messages the ledger has not recorded as sent, a chunk of
    the plan at a time (keyset on its order), each with its tracked link registered."""
    after = -1
    while chunks := await store.chunks(channel=channel, after=after):
        after, items = chunks[-1]
        sent = await state.sent_among([f"{i['customer_id']}:{channel}" for i in items])
        todo = [i for i in items if f"{i['customer_id']}:{channel}" not in sent]
        if todo:
            yield await with_links(ctx, cid=state.cid, items=todo)


async def with_links(ctx: WorkflowContext, *, cid: str, items: list[dict[str, Any]]
                     ) -> list[dict[str, Any]]:  # fmt: skip
    """``items`` with the token of their tracked link, registered before sending."""
    tokens = await ctx.tools.revenue.link_tokens(
        campaign_id=cid, job_id=ctx.job_id,
        recipients=[(i["customer_id"], i["channel"]) for i in items])  # fmt: skip
    return [{**item, "token": token} for item, token in zip(items, tokens, strict=True)]


async def _listed(pages: list[list[dict[str, Any]]]) -> AsyncIterator[list[dict[str, Any]]]:
    for page in pages:
        yield page


async def retry_step(ctx: WorkflowContext, *, state: CampaignState, campaign: dict[str, Any],
                     store: CampaignRecipients, rates: dict[str, float]) -> int:
    """Messages the platform failed after taking them, by ``on_delivery_failure``: with
    "retry", each once more on the customer's next consented channel (campaign.retry)."""
    if delivery_policy(ctx.inputs) != "retry":
        return 0
    failed = await state.failed_later()
    if not failed:
        return 0
    hit: list[dict[str, Any]] = []  # the plan items of failed messages (few)
    after = -1
    while chunks := await store.chunks(channel=None, after=after, limit=20):
        after = chunks[-1][0]
        hit += [i for _, items in chunks for i in items
                if f"{i['customer_id']}:{i['channel']}" in failed]
    fallbacks = [f"{i['customer_id']}:{f['channel']}" for i in hit
                 for f in i.get("fallbacks") or []]  # fmt: skip
    items = retry_items(hit, done=await state.sent_among(fallbacks), failed=failed)
    if not items:
        return 0
    by_channel: dict[str, list[dict[str, Any]]] = {}
    for item in await with_links(ctx, cid=state.cid, items=items):
        by_channel.setdefault(item["channel"], []).append(item)
    out = await _sender(ctx, state=state, campaign=campaign).send_all(
        {c: _listed([page]) for c, page in by_channel.items()}, total=len(items), rates=rates)
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
