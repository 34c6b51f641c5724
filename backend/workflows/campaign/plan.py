"""Who gets which campaign message on which channel: segments, consent, audience.

The rules are data in the job (``inputs.segments``), shown in the job editor as they are;
the default is the seed design's:

    [{"segment": "vip", "channel": "whatsapp", "message": "personal"},
     {"segment": "new", "channel": "email", "message": "welcome"},
     {"segment": "*",   "channel": "telegram", "message": "template"}]

A customer's segment is the CRM's ``segment_hint``; the first rule whose ``segment``
matches (``*`` matches all) decides. Consent (Indonesia's PDP law): a message goes only on
a channel the customer consented to. When the rule's channel lacks consent or an address,
the customer's preferred channel is used if it is one of the campaign's channels and
consented, else the first consented campaign channel; a customer who consented to none is
left out and counted as ``no_consent``. Exactly one message per customer per campaign.

:func:`plan_recipients` plans a CRM a page at a time into the campaign's recipients
table: a million customers pass through in pages, never all in memory.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from typing import Any, Protocol

from backend.connectors.types import Customer
from backend.core.errors import ErrorItem, InvalidInput

__all__ = ["DEFAULT_SEGMENTS", "plan_audience", "plan_recipients", "address_of", "segment_rules",
           "PlanStore"]

DEFAULT_SEGMENTS: list[dict[str, str]] = [
    {"segment": "vip", "channel": "whatsapp", "message": "personal"},
    {"segment": "new", "channel": "email", "message": "welcome"},
    {"segment": "*", "channel": "telegram", "message": "template"},
]
_CHANNELS = ("whatsapp", "telegram", "email", "sms")


_ADDRESS = {"whatsapp": "phone", "sms": "phone", "telegram": "telegram_chat_id",
            "email": "email"}  # fmt: skip


def address_of(customer: Customer, channel: str) -> str | None:
    """Where ``channel`` reaches the customer (None when the CRM has no address)."""
    field = _ADDRESS.get(channel)
    return getattr(customer, field) if field else None


def segment_rules(inputs: dict[str, Any], channels: list[str]) -> list[dict[str, str]]:
    """The job's segment rules, checked against its channels."""
    rules = inputs.get("segments") or DEFAULT_SEGMENTS
    for i, rule in enumerate(rules):
        if rule.get("channel") not in _CHANNELS:
            raise InvalidInput([ErrorItem(f"inputs.segments.{i}.channel",
                                          f"one of {', '.join(_CHANNELS)}")])  # fmt: skip
    if not any(r.get("segment") == "*" for r in rules):
        rules = [*rules, {"segment": "*", "channel": channels[0], "message": "template"}]
    return rules


def plan_audience(
    customers: list[Customer],
    *,
    rules: list[dict[str, str]],
    channels: list[str],
    audience: dict[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """The sends ``[{customer_id, channel, to, segment, message, name, purchases,
    fallbacks}]`` and the counts of who was left out and why. Runs once per customer of
    the CRM (a million for a big shop): each customer's usable channels (consented, with
    an address) are found once, and the rule, preferred channel and fallbacks read them."""
    audience = audience or {}
    only = audience.get("segment")
    only = None if only in (None, "", "all", "*") else only
    limit = int(audience.get("limit") or 0)
    fields = [(c, _ADDRESS[c]) for c in channels]
    rule_of: dict[str, tuple[str, str]] = {}
    plan: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    # Plain loops, not comprehensions: on Python 3.11 each comprehension is a function
    # call, and this body runs a million times for a big CRM.
    for customer in customers:
        segment = customer.segment_hint or "regular"
        if only and segment != only:
            continue
        rule = rule_of.get(segment)
        if rule is None:
            found = next(r for r in rules if r["segment"] in (segment, "*"))
            rule = rule_of[segment] = (found["channel"], found.get("message", "template"))
        consent = customer.consent
        usable: dict[str, str] = {}
        for c, field in fields:
            if consent.get(c):
                address = getattr(customer, field)
                if address:
                    usable[c] = address
        if not usable:
            skipped["no_consent"] += 1
            continue
        wanted, preferred = rule[0], customer.preferred_channel
        channel = (wanted if wanted in usable else preferred if preferred in usable
                   else next(iter(usable)))  # fmt: skip
        # Where a retry goes when the platform fails the message later (consented).
        fallbacks = []
        for c, to in usable.items():
            if c != channel:
                fallbacks.append({"channel": c, "to": to})
        purchases = []
        for bought in customer.purchase_history[:3]:
            purchases.append(bought.get("sku"))
        plan.append({"customer_id": customer.customer_id, "channel": channel,
                     "to": usable[channel], "segment": segment, "message": rule[1],
                     "name": customer.name, "purchases": purchases,
                     "fallbacks": fallbacks})  # fmt: skip
        if limit and len(plan) >= limit:
            break
    return plan, skipped


class PlanStore(Protocol):
    """Where a plan goes (``backend.services.campaign_recipients``)."""

    async def clear(self) -> None: ...

    async def add(self, chunks: Sequence[tuple[int, str, list[dict[str, Any]]]]) -> None: ...


async def plan_recipients(
    pages: AsyncIterator[list[Customer]],
    *,
    store: PlanStore,
    rules: list[dict[str, str]],
    channels: list[str],
    audience: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Plan every page into ``store`` (replacing an earlier plan), a chunk per page and
    channel; returns the counts ``{customers, planned, by_channel, skipped}``. A page is
    segmented while the one before it is written."""
    audience = dict(audience or {})
    limit = int(audience.pop("limit", 0) or 0)
    await store.clear()
    planned, customers, seq = 0, 0, 0
    by_channel: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    writing: asyncio.Future[None] | None = None
    async for page in pages:
        customers += len(page)  # every page is read: the report counts all customers
        if limit and planned >= limit:
            continue
        cut = {"limit": limit - planned} if limit else {}
        got, left_out = plan_audience(page, rules=rules, channels=channels,
                                      audience={**audience, **cut})  # fmt: skip
        skipped += left_out
        per: dict[str, list[dict[str, Any]]] = {}
        for item in got:
            per.setdefault(item["channel"], []).append(item)
        chunks = []
        for channel, items in per.items():
            chunks.append((seq, channel, items))
            by_channel[channel] += len(items)
            seq += 1
        if writing is not None:
            await writing
        writing = asyncio.ensure_future(store.add(chunks))
        planned += len(got)
    if writing is not None:
        await writing
    return {"customers": customers, "planned": planned,
            "by_channel": dict(by_channel), "skipped": dict(skipped)}  # fmt: skip
