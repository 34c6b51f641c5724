"""Campaign dashboard: the live funnel per channel, revenue, pause from the page."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Page, expect

from backend.models.types import utcnow
from backend.services.campaign_state import CampaignState, campaign_id_for, record_event, stats
from backend.tools.sent_ledger import Recorded, SentLedger
from tests.e2e.conftest import WebServer, screenshot

pytestmark = pytest.mark.browser

JOB = "black-friday-campaign-2026"


async def _send(run_id: int, count: int) -> None:
    """What the campaign workflow records while it sends (its sends are the messaging
    tool's ledger rows)."""
    cid = campaign_id_for(JOB, "Black Friday 2026")
    state = CampaignState(campaign_id=cid)
    await state.start(run_id=run_id, job_id=JOB, name="Black Friday 2026",
                      planned={"whatsapp": 4_000, "telegram": 3_000, "email": 3_000},
                      skipped={"no_consent": 120})  # fmt: skip
    ledger = SentLedger(run_id=run_id)
    for n in range(count):
        channel = ("whatsapp", "telegram", "email")[n % 3]
        key = f"campaign:{cid}:c{n}:{channel}"
        claim = await ledger.claim(key, channel=channel, to=f"to-{n}")
        await ledger.record(Recorded(key=key, token=claim.token, provider_id=f"m{n}",
                                     status="sent", attempts=1, sent_at=utcnow()))


def test_funnel_moves_and_pause(
    admin_page: Page, web_server: WebServer, demo_day: dict[str, int]
) -> None:
    run_id = demo_day[JOB]
    # Playwright's sync API holds this thread's event loop: run the coroutine on another.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _send(run_id, 90)).result()
    for n in range(0, 30, 3):  # WhatsApp messages delivered, some opened
        record_event(channel="whatsapp", message_id=f"m{n}", kind="delivered", revenue=None)
    page = admin_page
    page.goto(f"{web_server.url}/campaigns")
    expect(page.get_by_test_id("stat-sent-value")).to_have_text("90")
    whatsapp = page.locator("[data-testid=channel-row][data-channel=whatsapp]")
    expect(whatsapp).to_contain_text("4.000")
    expect(page.get_by_test_id("live-indicator")).to_have_attribute("data-live", "true")

    # Tracking webhooks arrive without a worker event: the page polls its counters.
    for n in range(0, 30, 3):
        record_event(channel="whatsapp", message_id=f"m{n}", kind="opened", revenue=None)
    record_event(channel="whatsapp", message_id="m0", kind="converted", revenue=1_499_000)
    expect(page.get_by_test_id("stat-revenue-value")).to_have_text("Rp 1.499.000", timeout=8_000)
    expect(whatsapp).to_contain_text("33,3 %")  # opened 10 of the 30 WhatsApp messages sent
    page.locator("[data-testid=chart-funnel] .js-plotly-plot .main-svg").first.wait_for()
    screenshot(page, "campaigns")

    page.get_by_test_id("campaign-pause").click()
    expect(page.get_by_test_id("campaign-resume")).to_be_visible()
    assert stats(run_id)["control"] == "paused"
