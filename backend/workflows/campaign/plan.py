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
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from backend.connectors.types import Customer
from backend.core.errors import ErrorItem, InvalidInput

__all__ = ["DEFAULT_SEGMENTS", "plan_audience", "address_of", "segment_rules"]

DEFAULT_SEGMENTS: list[dict[str, str]] = [
    {"segment": "vip", "channel": "whatsapp", "message": "personal"},
    {"segment": "new", "channel": "email", "message": "welcome"},
    {"segment": "*", "channel": "telegram", "message": "template"},
]
_CHANNELS = ("whatsapp", "telegram", "email", "sms")


def address_of(customer: Customer, channel: str) -> str | None:
    """Where ``channel`` reaches the customer (None when the CRM has no address)."""
    return {
        "whatsapp": customer.phone,
        "sms": customer.phone,
        "telegram": customer.telegram_chat_id,
        "email": customer.email,
    }.get(channel)


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


def _channel_for(customer: Customer, wanted: str, channels: list[str]) -> str | None:
    def ok(channel: str) -> bool:
        return bool(customer.consent.get(channel)) and bool(address_of(customer, channel))

    if wanted in channels and ok(wanted):
        return wanted
    if customer.preferred_channel in channels and ok(customer.preferred_channel):
        return customer.preferred_channel
    return next((c for c in channels if ok(c)), None)


def plan_audience(
    customers: list[Customer],
    *,
    rules: list[dict[str, str]],
    channels: list[str],
    audience: dict[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """The sends ``[{customer_id, channel, to, segment, message, name, purchases,
    fallbacks}]`` and the counts of who was left out and why."""
    audience = audience or {}
    only = audience.get("segment")
    limit = audience.get("limit")
    plan: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    for customer in customers:
        segment = customer.segment_hint or "regular"
        if only and only not in ("all", "*") and segment != only:
            continue
        rule = next(r for r in rules if r["segment"] in (segment, "*"))
        channel = _channel_for(customer, rule["channel"], channels)
        if channel is None:
            skipped["no_consent"] += 1
            continue
        plan.append({
            "customer_id": customer.customer_id, "channel": channel,
            "to": address_of(customer, channel), "segment": segment,
            "message": rule.get("message", "template"), "name": customer.name,
            "purchases": [p.get("sku") for p in customer.purchase_history[:3]],
            # Where a retry goes when the platform fails the message later (consented).
            "fallbacks": [{"channel": c, "to": address_of(customer, c)} for c in channels
                          if c != channel and customer.consent.get(c)
                          and address_of(customer, c)],
        })  # fmt: skip
        if limit and len(plan) >= int(limit):
            break
    return plan, skipped
