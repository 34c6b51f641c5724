"""The one call policy: what a platform's answer makes the caller do next."""

from __future__ import annotations

import asyncio
import email.utils
import time

import pytest

from backend.connectors.base import AuthFailed, RateLimited, TransientError
from backend.connectors.policy import (
    CallStats,
    RetryBudget,
    backoff_delay,
    call_with_policy,
    parse_retry_after,
)

FAST = RetryBudget(retries=3, rate_waits=2, backoff_base_sec=0.001, backoff_max_sec=0.002)


class Platform:
    """Answers with the given errors in turn, then succeeds; counts the tries."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.tries = 0

    async def call(self) -> str:
        self.tries += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def _run(platform: Platform, budget: RetryBudget = FAST, stats: CallStats | None = None) -> str:
    return asyncio.run(call_with_policy(platform.call, budget=budget, platform="shopee",
                                        stats=stats))  # fmt: skip


def _transient() -> TransientError:
    return TransientError("HTTP 503", platform="shopee", status=503)


def _limited(wait: float = 0.01) -> RateLimited:
    return RateLimited("429", platform="shopee", retry_after=wait, status=429)


def test_transient_failures_are_retried_within_the_budget() -> None:
    stats = CallStats()
    assert _run(Platform(_transient(), _transient(), _transient()), stats=stats) == "ok"
    assert stats.as_dict()["retried"] == {"shopee": 3}
    with pytest.raises(TransientError):
        _run(Platform(*[_transient() for _ in range(4)]))


def test_waiting_out_a_429_does_not_spend_the_retries() -> None:
    platform = Platform(_limited(), _transient(), _limited(), _transient(), _transient())
    assert _run(platform) == "ok" and platform.tries == 6
    with pytest.raises(RateLimited):
        _run(Platform(_limited(), _limited(), _limited()))


def test_a_429_waits_what_the_platform_asked() -> None:
    started = time.monotonic()
    assert _run(Platform(_limited(0.3))) == "ok"
    assert time.monotonic() - started >= 0.3


def test_refused_credentials_are_not_retried() -> None:
    platform = Platform(AuthFailed("bad signature", platform="shopee"))
    with pytest.raises(AuthFailed):
        _run(platform)
    assert platform.tries == 1


def test_a_slot_is_taken_before_every_try() -> None:
    slots = []

    async def slot() -> None:
        slots.append(time.monotonic())

    platform = Platform(_transient(), _limited())
    asyncio.run(call_with_policy(platform.call, budget=FAST, slot=slot))
    assert len(slots) == platform.tries == 3


def test_backoff_is_full_jitter_capped() -> None:
    delays = [backoff_delay(n, base=0.2, cap=1.0) for n in range(8) for _ in range(50)]
    assert min(delays) >= 0 and max(delays) <= 1.0
    assert max(backoff_delay(0, base=0.2, cap=1.0) for _ in range(200)) <= 0.2


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert parse_retry_after("2", default=1) == 2
    assert parse_retry_after(None, default=1.5) == 1.5
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", default=1) == 0
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= parse_retry_after(soon, default=1) <= 30
    assert parse_retry_after("99999", default=1) == 300
    assert parse_retry_after("soon", default=1.5) == 1.5
