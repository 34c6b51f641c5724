"""Per-endpoint rate limits: token buckets keyed by rule and subject (account, chat, ...).

A rule admits ``burst`` requests at once and refills ``limit`` per ``window_sec``; that is
how most platforms behave (a sliding-window client never trips it). ``limit <= 0`` turns
a rule off. Rules are changed at runtime through ``POST /_admin/limits``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["LimitRule", "RateLimiter", "DEFAULT_LIMITS"]


@dataclass(slots=True)
class LimitRule:
    """``limit`` requests per ``window_sec``; ``burst`` (default ``limit``) at once."""

    limit: float
    window_sec: float = 1.0
    burst: float | None = None

    @property
    def rate(self) -> float:
        return self.limit / self.window_sec

    @property
    def capacity(self) -> float:
        return self.burst if self.burst is not None else self.limit

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# Close to the platforms' documented defaults; benchmarks raise them through the admin API.
DEFAULT_LIMITS: dict[str, LimitRule] = {
    "whatsapp.messages": LimitRule(80, 1.0),  # Cloud API: 80 msg/s per phone number
    "whatsapp.pair": LimitRule(0, 6.0),  # per business-user pair; off unless a test sets it
    "telegram.bot": LimitRule(30, 1.0),  # about 30 msg/s per bot
    "telegram.chat": LimitRule(1, 1.0, burst=3),  # about 1 msg/s per private chat
    "telegram.group": LimitRule(20, 60.0),  # 20 msg/min per group
    "sms.messages": LimitRule(10, 1.0),  # per account (queue admission)
    "shopee.api": LimitRule(50, 1.0),
    "tiktok_shop.api": LimitRule(50, 1.0),
    "tokopedia.api": LimitRule(50, 1.0),
    "lazada.api": LimitRule(40, 1.0),
    "blibli.api": LimitRule(30, 1.0),
    "instagram_shop.api": LimitRule(50, 1.0),
    "facebook_shop.api": LimitRule(50, 1.0),
    "website.api": LimitRule(200, 1.0),
    "google_shopping.api": LimitRule(60, 1.0),
    "priceza.api": LimitRule(20, 1.0),
    "idealo.api": LimitRule(20, 1.0),
    "market.search": LimitRule(200, 1.0, burst=400),  # public competitor search per platform
    "facebook_ads.api": LimitRule(50, 1.0),
    "google_ads.api": LimitRule(50, 1.0),
    "tiktok_ads.api": LimitRule(50, 1.0),
    "google_analytics.api": LimitRule(10, 1.0, burst=20),
    "crm.api": LimitRule(200, 1.0),
    "social.api": LimitRule(50, 1.0),
}


class RateLimiter:
    """Token buckets for all rules; not thread-safe (the sandbox runs on one event loop)."""

    def __init__(self, rules: dict[str, LimitRule] | None = None) -> None:
        self.rules: dict[str, LimitRule] = {
            k: LimitRule(**v.as_dict()) for k, v in (rules or DEFAULT_LIMITS).items()
        }
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}

    def set_rule(self, name: str, rule: LimitRule) -> None:
        self.rules[name] = rule
        # A changed rule starts from a full bucket, like a fresh window.
        for key in [k for k in self._buckets if k[0] == name]:
            del self._buckets[key]

    def reset(self) -> None:
        self._buckets.clear()

    def acquire(self, name: str, subject: str, *, now: float | None = None) -> float:
        """Take one token; returns 0.0 when admitted, else the seconds until one is free."""
        rule = self.rules.get(name)
        if rule is None or rule.limit <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        key = (name, subject)
        tokens, last = self._buckets.get(key, (rule.capacity, now))
        tokens = min(rule.capacity, tokens + (now - last) * rule.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / rule.rate

    def snapshot(self) -> dict[str, dict[str, Any]]:
        return {k: v.as_dict() for k, v in sorted(self.rules.items())}


def retry_after_header(wait: float) -> str:
    """Retry-After is whole seconds; round up so obeying it always succeeds."""
    return str(max(1, math.ceil(wait)))
