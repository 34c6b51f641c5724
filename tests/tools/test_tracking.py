"""Tracking events from the sandbox update delivery status and attribute revenue."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.core.db import get_engine
from backend.tools import default_connectors
from backend.tools.messaging import MessagingTool
from backend.tools.revenue import RevenueTool, tracked_url
from backend.tools.templates import Template
from backend.tools.tracking import apply_tracking_event
from tests.connectors.messaging_support import admin, sandbox, sandbox_handle

__all__ = ["sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio

CUSTOMERS = 80


async def _settled_events(sandbox) -> list[dict]:
    """Tracking events once the (accelerated) funnel has played out."""
    previous = -1
    for _ in range(100):
        events = admin(sandbox, "tracking?limit=100000")["events"]
        if len(events) == previous:
            return events
        previous = len(events)
        await asyncio.sleep(0.3)
    raise AssertionError("tracking events kept coming")


async def test_campaign_revenue_from_tracked_links(settings, redis, sandbox) -> None:
    admin(sandbox, "tracking", {"speed": 20000})
    port = int(sandbox.base_url.rsplit(":", 1)[1])
    box = settings.model_copy(update={"sandbox_port": port, "smtp_port": sandbox.smtp_port})
    revenue = RevenueTool(engine=get_engine(box.resolved_database_url))
    async with httpx.AsyncClient(timeout=10) as client:
        messaging = MessagingTool(
            settings=box,
            redis=redis,
            connectors=default_connectors(settings=box, client=client),
            limits={},
        )
        for i in range(CUSTOMERS):
            token = await revenue.link_token(
                campaign_id="bf2026", job_id="bf-job", customer_id=f"c{i}", channel="whatsapp"
            )
            params = {
                "name": f"Pelanggan {i}",
                "campaign": "Black Friday",
                "discount": "50%",
                "link": tracked_url(sandbox.base_url, token),
            }
            await messaging.send(
                "whatsapp", f"6281{i:08d}", Template("promo", params), idempotency_key=f"bf:c{i}"
            )
    events = await _settled_events(sandbox)
    conversions = [e for e in events if e["type"] == "converted"]
    assert conversions, "the seeded funnel should convert someone among 80 recipients"

    for _ in range(2):  # webhooks are retried; applying twice must change nothing
        for event in events:
            await apply_tracking_event(event, messaging=messaging, revenue=revenue)

    totals = await revenue.campaign_totals("bf2026")
    assert totals.orders == len(conversions)
    assert totals.revenue == sum(e["revenue"] for e in conversions)
    assert totals.revenue_by_channel == {"whatsapp": totals.revenue}
    assert (await revenue.job_totals("bf-job")).orders == len(conversions)

    converted = {e["message_id"] for e in conversions}
    failed = {e["message_id"] for e in events if e["type"] == "failed"}
    statuses = {}
    for i in range(CUSTOMERS):
        delivery = await messaging.delivery(f"bf:c{i}")
        statuses[delivery.provider_id] = delivery.status
    assert {statuses[mid] for mid in converted} == {"converted"}
    assert {statuses[mid] for mid in failed} <= {"failed"}
    assert set(statuses.values()) <= {"delivered", "opened", "clicked", "converted", "failed"}


async def test_unknown_event_type_refused(redis, settings) -> None:
    with pytest.raises(ValueError, match="unknown tracking event"):
        await apply_tracking_event(
            {"type": "bounced"},
            messaging=None,  # type: ignore[arg-type]
            revenue=RevenueTool(),
        )


async def test_an_event_overtaking_the_sends_record_still_counts(redis, settings) -> None:
    """At a platform's speed the delivery report can arrive before the sender recorded
    the platform's answer: the event waits for the record instead of being dropped."""
    from backend.models.types import utcnow
    from backend.tools.sent_ledger import Recorded, SentLedger

    engine = get_engine(settings.resolved_database_url)
    messaging = MessagingTool(settings=settings, redis=redis, connectors={}, limits={})
    revenue = RevenueTool(engine=engine)
    ledger = SentLedger(run_id=1, engine=engine)
    claim = await ledger.claim("bf:late", channel="email", to="a@b.id")
    event = {"id": "evt1", "type": "delivered", "channel": "email", "message_id": "m-late"}
    applying = asyncio.ensure_future(
        apply_tracking_event(event, messaging=messaging, revenue=revenue))
    await asyncio.sleep(0.5)
    assert not applying.done()
    await ledger.record(Recorded(key="bf:late", token=claim.token, provider_id="m-late",
                                 status="sent", attempts=1, sent_at=utcnow()))
    assert await applying == ["status:delivered"]
    assert (await messaging.delivery("bf:late")).status == "delivered"
    started = asyncio.get_running_loop().time()
    never = {**event, "message_id": "m-never-sent"}
    assert await apply_tracking_event(never, messaging=messaging, revenue=revenue) == []
    assert 4 < asyncio.get_running_loop().time() - started < 8
