"""The revenue tool: orders counted once, for the right campaign, within the window,
kept in the database (a Redis that lost everything changes no total)."""

from __future__ import annotations

import asyncio

import pytest

from backend.core.db import get_engine
from backend.tools.revenue import RevenueTool

pytestmark = pytest.mark.anyio


def _tool(settings, *, window_days: int = 7) -> RevenueTool:
    return RevenueTool(window_days=window_days,
                       engine=get_engine(settings.resolved_database_url))


async def test_tracked_link_and_last_touch_attribution(settings) -> None:
    rev = _tool(settings, window_days=7)
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


async def test_repeated_webhooks_count_once(settings) -> None:
    rev = _tool(settings)
    results = await asyncio.gather(
        *(
            rev.record_order(order_id="o9", amount=10_000, campaign_id="c", job_id="j")
            for _ in range(10)
        )
    )
    assert sum(r.counted for r in results if r) == 1
    assert (await rev.campaign_totals("c")).revenue == 10_000


async def test_touch_outside_window_or_unknown_customer(settings) -> None:
    rev = _tool(settings, window_days=7)
    now = 1_800_000_000.0
    await rev.record_touch(customer_id="c2", campaign_id="x", job_id="j", channel="sms", at=now)
    late = await rev.record_order(order_id="o3", amount=1, customer_id="c2", at=now + 8 * 86400)
    unknown = await rev.record_order(order_id="o4", amount=1, customer_id="nobody")
    assert late is None and unknown is None


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
async def test_totals_outlive_redis_on_both_databases(env) -> None:
    from tests.workflows.test_workflow_records import lose_redis

    rev = RevenueTool(window_days=7)
    token = await rev.link_token(campaign_id="bf", job_id="bf-job", customer_id="c1",
                                 channel="email")  # fmt: skip
    await rev.record_touch(customer_id="c1", campaign_id="bf", job_id="bf-job", channel="email")
    assert (await rev.record_order(order_id="o1", amount=25_000, customer_id="c1")).counted
    lose_redis(env)
    link = await rev.resolve_link(token)
    assert link is not None and (link.campaign_id, link.customer_id) == ("bf", "c1")
    again = await rev.record_order(order_id="o1", amount=25_000, customer_id="c1")
    assert again is not None and not again.counted  # a re-delivered webhook after the flush
    assert (await rev.record_order(order_id="o2", amount=5_000, customer_id="c1")).counted
    totals = await rev.campaign_totals("bf")
    assert (totals.revenue, totals.orders, totals.revenue_by_channel) == (
        30_000, 2, {"email": 30_000})


def test_the_upgrade_copies_links_touches_and_orders_from_redis(tmp_path, monkeypatch) -> None:
    import sqlite3
    import time

    import orjson
    import redis as syncredis

    from tests.conftest import TEST_REDIS_URL, migrate_reading_redis

    prefix = f"migr{int(time.time() * 1000) % 10**8}"
    client = syncredis.Redis.from_url(TEST_REDIS_URL)
    link = {"campaign_id": "bf", "job_id": "bf-job", "customer_id": "c1", "channel": "sms"}
    client.set(f"{prefix}:rev:link:tok1", orjson.dumps(link))
    client.set(f"{prefix}:rev:touch:c1", orjson.dumps({**link, "at": 1.8e9}))
    client.set(f"{prefix}:rev:order:o1", orjson.dumps(
        {"campaign_id": "bf", "job_id": "bf-job", "amount": 12_500.0, "at": 1.8e9}))
    client.hset(f"{prefix}:rev:campaign:bf", mapping={"revenue": 12_500, "orders": 1,
                                                      "revenue:sms": 12_500, "orders:sms": 1})
    client.close()
    migrate_reading_redis(f"sqlite:///{tmp_path / 'spio.db'}", prefix=prefix,
                          monkeypatch=monkeypatch)
    with sqlite3.connect(tmp_path / "spio.db") as conn:
        assert conn.execute("SELECT token, campaign_id, customer_id, channel FROM "
                            "tracked_links").fetchall() == [("tok1", "bf", "c1", "sms")]
        assert conn.execute("SELECT customer_id, campaign_id, at FROM revenue_touches"
                            ).fetchall() == [("c1", "bf", 1.8e9)]  # fmt: skip
        assert conn.execute("SELECT order_id, campaign_id, job_id, channel, amount FROM "
                            "revenue_orders").fetchall() == [
            ("o1", "bf", "bf-job", "sms", 12_500.0)]
