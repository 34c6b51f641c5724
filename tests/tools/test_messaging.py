"""The messaging tool against the sandbox: exactly once, limits, 429s, templates, status."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

import httpx
import pytest

from backend.connectors.base import Rejected
from backend.core.errors import InvalidInput
from backend.core.ratelimit import RateLimit
from backend.tools import build_tools, default_connectors
from backend.tools.messaging import MessagingTool
from backend.tools.templates import Template
from tests.connectors.messaging_support import admin, sandbox, sandbox_handle

__all__ = ["sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio

PROMO = {"name": "Sari", "campaign": "Black Friday", "discount": "50%", "link": "https://t/x"}


@pytest.fixture
def box_settings(settings, sandbox):
    """Settings whose default connectors point at this test's sandbox."""
    return settings.model_copy(
        update={
            "sandbox_port": urlsplit(sandbox.base_url).port,
            "smtp_port": sandbox.smtp_port,
        }
    )


@pytest.fixture
async def client():
    async with httpx.AsyncClient(timeout=10) as c:
        yield c


def _tool(box_settings, redis, client, **limits: RateLimit) -> MessagingTool:
    return MessagingTool(
        settings=box_settings,
        redis=redis,
        connectors=default_connectors(settings=box_settings, client=client),
        limits=limits,
        backoff_base_sec=0.05,
    )


async def test_same_key_sent_once_even_concurrently(box_settings, redis, client, sandbox) -> None:
    tool = _tool(box_settings, redis, client)
    results = await asyncio.gather(
        *(
            tool.send(
                "whatsapp", "6281100000001", Template("promo", PROMO), idempotency_key="bf:c1:wa"
            )
            for _ in range(20)
        )
    )
    assert sum(not r.duplicate for r in results) == 1
    assert len({r.provider_id for r in results}) == 1
    assert admin(sandbox, "counters")["messages"]["whatsapp"] == {"6281100000001": 1}
    stored = await tool.delivery("bf:c1:wa")
    assert stored is not None and stored.provider_id == results[0].provider_id


async def test_channel_limit_holds_without_429(box_settings, redis, client, sandbox) -> None:
    admin(sandbox, "limits", {"whatsapp.messages": {"limit": 10, "window_sec": 1}})
    tool = _tool(box_settings, redis, client, whatsapp=RateLimit("whatsapp", 10, 1.0))
    started = time.monotonic()
    await asyncio.gather(
        *(
            tool.send(
                "whatsapp", f"62811{i:07d}", Template("promo", PROMO), idempotency_key=f"l{i}"
            )
            for i in range(30)
        )
    )
    elapsed = time.monotonic() - started
    counters = admin(sandbox, "counters")
    assert sum(counters["messages"]["whatsapp"].values()) == 30
    assert counters["rate_limited"].get("whatsapp", 0) == 0
    assert 2.0 <= elapsed < 5.0  # two full windows, plus a loaded machine's slack


async def test_platform_429_is_waited_out(box_settings, redis, client, sandbox) -> None:
    admin(sandbox, "limits", {"sms.messages": {"limit": 4, "window_sec": 1}})
    tool = _tool(box_settings, redis, client)  # no limit of ours: the platform says when
    deliveries = await asyncio.gather(
        *(
            tool.send("sms", f"+62812000000{i:02d}", "Promo", idempotency_key=f"s{i}")
            for i in range(8)
        )
    )
    counters = admin(sandbox, "counters")
    assert len(deliveries) == 8 and sum(counters["messages"]["sms"].values()) == 8
    assert counters["rate_limited"]["sms"] >= 1
    assert (await tool.counts())["rate_limited"]["sms"] >= 1


async def test_templates_render_per_channel(box_settings, redis, client, sandbox) -> None:
    tool = _tool(box_settings, redis, client)
    try:
        await tool.send(
            "email", "sari@example.com", Template("promo", PROMO, lang="en"), idempotency_key="e1"
        )
        await tool.send("telegram", "42", Template("promo", PROMO), idempotency_key="t1")
    finally:
        await tool.aclose()
    [mail] = admin(sandbox, "mail")["items"]
    assert mail["subject"] == "Black Friday for Sari"
    assert mail["text"].startswith("Hi Sari! Black Friday: 50% off")
    [tg] = admin(sandbox, "sent?channel=telegram")["items"]
    assert tg["text"].startswith("Halo Sari! Black Friday: diskon 50% khusus untukmu.")
    with pytest.raises(InvalidInput, match="needs discount, link"):
        await tool.send(
            "telegram",
            "42",
            Template("promo", {"name": "x", "campaign": "y"}),
            idempotency_key="t2",
        )


async def test_refused_message_frees_its_key(box_settings, redis, client, sandbox) -> None:
    tool = _tool(box_settings, redis, client)
    with pytest.raises(Rejected, match="132001"):  # no such template: refused at send
        await tool.send("whatsapp", "6285700000009", Template("promo", PROMO, lang="fr"),
                        idempotency_key="r1")
    assert await tool.delivery("r1") is None


async def test_status_moves_forward_only(box_settings, redis, client, sandbox) -> None:
    tool = _tool(box_settings, redis, client)
    sent = await tool.send("sms", "+6281200000077", "Halo", idempotency_key="st1")
    assert await tool.record_status("sms", sent.provider_id, "read")
    assert await tool.record_status("sms", sent.provider_id, "delivered")  # late, ignored
    assert (await tool.delivery("st1")).status == "read"
    assert not await tool.record_status("sms", "SMunknown", "read")


async def test_tools_container_with_the_workers_sync_redis(
    box_settings, sync_redis, sandbox
) -> None:
    tools = build_tools(settings=box_settings, redis=sync_redis, run_id=7, job_id="crisis")
    try:
        delivery = await tools.messaging.send(
            "telegram", "-100200", "Krisis terdeteksi", idempotency_key="crisis:7:tg"
        )
        await tools.kv.set("last_alert", delivery.provider_id)
        await tools.metrics.inc("alerts_sent_total", channel="telegram")
        assert await tools.kv.get("last_alert") == delivery.provider_id
        assert await tools.metrics.run_totals() == {"alerts_sent_total": 1.0}
    finally:
        await tools.aclose()
    assert admin(sandbox, "counters")["messages"]["telegram"] == {"-100200": 1}
