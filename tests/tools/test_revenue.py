"""The revenue tool: orders counted once, for the right campaign, within the window."""

from __future__ import annotations

import asyncio

import pytest

from backend.tools.revenue import RevenueTool

pytestmark = pytest.mark.anyio


async def test_tracked_link_and_last_touch_attribution(redis, settings) -> None:
    rev = RevenueTool(redis=redis, prefix=settings.redis_prefix, window_days=7)
    now = 1_800_000_000.0
    await rev.record_touch(
        customer_id="c1", campaign_id="bf", job_id="bf-job", channel="whatsapp", at=now
    )
    # An older touch arriving late does not steal the attribution.
    await rev.record_touch(
        customer_id="c1", campaign_id="old", job_id="old-job", channel="sms", at=now - 50
    )
    last_touch = await rev.record_order(order_id="o1", amount=150_000, customer_id="c1", at=now)
    linked = await rev.record_order(
        order_id="o2", amount=50_000, campaign_id="bf", job_id="bf-job", channel="email", at=now
    )
    assert last_touch is not None and last_touch.campaign_id == "bf" and last_touch.counted
    assert linked is not None and linked.channel == "email"

    totals = await rev.campaign_totals("bf")
    assert totals.revenue == 200_000 and totals.orders == 2
    assert totals.revenue_by_channel == {"whatsapp": 150_000, "email": 50_000}
    assert (await rev.job_totals("bf-job")).orders == 2
    assert (await rev.campaign_totals("old")).orders == 0


async def test_repeated_webhooks_count_once(redis, settings) -> None:
    rev = RevenueTool(redis=redis, prefix=settings.redis_prefix)
    results = await asyncio.gather(
        *(
            rev.record_order(order_id="o9", amount=10_000, campaign_id="c", job_id="j")
            for _ in range(10)
        )
    )
    assert sum(r.counted for r in results if r) == 1
    assert (await rev.campaign_totals("c")).revenue == 10_000


async def test_touch_outside_window_or_unknown_customer(redis, settings) -> None:
    rev = RevenueTool(redis=redis, prefix=settings.redis_prefix, window_days=7)
    now = 1_800_000_000.0
    await rev.record_touch(customer_id="c2", campaign_id="x", job_id="j", channel="sms", at=now)
    late = await rev.record_order(order_id="o3", amount=1, customer_id="c2", at=now + 8 * 86400)
    unknown = await rev.record_order(order_id="o4", amount=1, customer_id="nobody")
    assert late is None and unknown is None
