"""A campaign's plan in the database: written a chunk per CRM page and channel, read
back by channel in keyset order, replaced when the job plans again; the planner
streams CRM pages into it without holding the CRM."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from backend.connectors.types import Customer
from backend.services.campaign_recipients import CampaignRecipients
from backend.workflows.campaign.plan import plan_recipients, segment_rules

CHANNELS = ["whatsapp", "telegram", "email"]


def _items(start: int, count: int, channel: str) -> list[dict]:
    return [{"customer_id": f"C{n}", "channel": channel, "to": f"addr-{n}"}
            for n in range(start, start + count)]


def _walk(store: CampaignRecipients, channel: str | None, limit: int = 1) -> list[dict]:
    got, after = [], -1
    while chunks := asyncio.run(store.chunks(channel=channel, after=after, limit=limit)):
        assert len(chunks) <= limit
        assert [s for s, _ in chunks] == sorted(s for s, _ in chunks)
        assert all(s > after for s, _ in chunks)
        after = chunks[-1][0]
        got += [item for _, items in chunks for item in items]
    return got


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
def test_chunks_by_channel_in_plan_order_and_replaced_on_replan(env):
    store = CampaignRecipients(campaign_id="job:bf")
    asyncio.run(store.add([(0, "email", _items(0, 300, "email")),
                           (1, "whatsapp", _items(300, 200, "whatsapp"))]))
    asyncio.run(store.add([(2, "email", _items(500, 100, "email")), (3, "sms", [])]))
    other = CampaignRecipients(campaign_id="job:other")
    asyncio.run(other.add([(0, "email", _items(0, 5, "email"))]))
    assert asyncio.run(store.count()) == 600

    assert _walk(store, "email") == _items(0, 300, "email") + _items(500, 100, "email")
    assert _walk(store, "whatsapp", limit=5) == _items(300, 200, "whatsapp")
    assert _walk(store, "sms") == []  # an empty chunk is not stored
    assert len(_walk(store, None, limit=2)) == 600

    asyncio.run(store.clear())
    assert asyncio.run(store.count()) == 0 and _walk(store, None) == []
    assert asyncio.run(other.count()) == 5  # another campaign's plan stays


def _customer(n: int, *, consent: bool = True) -> Customer:
    return Customer(customer_id=f"C{n:04d}", name=f"Name {n}", email=f"c{n}@example.co.id",
                    phone=f"+62811{n:06d}", telegram_chat_id=str(500 + n),
                    consent=dict.fromkeys(CHANNELS, consent), preferred_channel="email",
                    segment_hint=("vip", "new", "regular")[n % 3])


async def _pages(count: int, size: int) -> AsyncIterator[list[Customer]]:
    for start in range(0, count, size):
        yield [_customer(n, consent=n % 10 != 0) for n in range(start, min(count, start + size))]


def test_plan_streams_pages_into_the_store_with_the_audience_cut(env):
    store = CampaignRecipients(campaign_id="job:plan")
    asyncio.run(store.add([(0, "email", _items(0, 50, "email"))]))  # an earlier plan: replaced
    rules = segment_rules({}, CHANNELS)
    summary = asyncio.run(plan_recipients(_pages(250, 40), store=store, rules=rules,
                                          channels=CHANNELS))
    assert summary["customers"] == 250
    assert summary["skipped"] == {"no_consent": 25}
    assert summary["planned"] == 225 == asyncio.run(store.count())
    rule = ("whatsapp", "email", "telegram")  # vip, new, regular: the seed's rules
    for channel in CHANNELS:
        stored = _walk(store, channel)
        expected = [f"C{n:04d}" for n in range(250) if n % 10 and rule[n % 3] == channel]
        assert [i["customer_id"] for i in stored] == expected
        assert summary["by_channel"][channel] == len(stored)
        assert all(len(i["fallbacks"]) == 2 and i["channel"] not in
                   {f["channel"] for f in i["fallbacks"]} for i in stored)

    cut = asyncio.run(plan_recipients(_pages(250, 40), store=store, rules=rules,
                                      channels=CHANNELS, audience={"limit": 55}))
    assert cut["planned"] == 55 == asyncio.run(store.count())
    assert cut["customers"] == 250  # every page is still read and counted
