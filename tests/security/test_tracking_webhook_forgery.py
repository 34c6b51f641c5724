"""The probe's forged "converted" event: signed with the old public default secret it
is refused (401), and even a correctly signed event naming a message this install never
sent changes no revenue (the probe took a campaign from 0 to 99,999,999)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac

import orjson
import pytest

from backend.core.security import tracking_webhook_secret
from backend.tools.revenue import RevenueTool


def _signed(event: dict, secret: str) -> tuple[bytes, dict[str, str]]:
    body = orjson.dumps(event)
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Sandbox-Signature": signature, "Content-Type": "application/json"}


def _campaign_revenue(env, campaign_id: str) -> float:
    async def read() -> float:
        return (await RevenueTool().campaign_totals(campaign_id)).revenue

    return asyncio.run(read())


def _link(env, campaign_id: str) -> str:
    async def make() -> str:
        return await RevenueTool().link_token(campaign_id=campaign_id, job_id="bf-job",
                                              customer_id="c1", channel="whatsapp")  # fmt: skip

    return asyncio.run(make())


FORGED = {"id": "evt_forged", "type": "converted", "channel": "whatsapp",
          "message_id": "wamid.never-sent", "recipient": "c1", "revenue": 99_999_999,
          "currency": "IDR", "order_id": "forged-1"}


def test_the_old_default_secret_is_refused(api):
    body, headers = _signed(FORGED, "sandbox-webhook-secret")
    assert api.post("/webhooks/tracking", content=body, headers=headers).status_code == 401
    assert tracking_webhook_secret() != "sandbox-webhook-secret"


@pytest.mark.parametrize("message_id", ["wamid.never-sent", None])
def test_unknown_message_ids_never_change_revenue(api, env, message_id):
    campaign = "bf2026"
    token = _link(env, campaign)  # a real campaign link: the forger knows its shape
    # A touch the forger planted first (a click needs no message): still no money.
    touch = {"id": "evt_click", "type": "clicked", "channel": "whatsapp", "message_id": None,
             "link_token": token, "recipient": "c1"}
    body, headers = _signed(touch, tracking_webhook_secret())
    assert api.post("/webhooks/tracking", content=body, headers=headers).status_code == 200
    event = {**FORGED, "message_id": message_id, "link_token": token}
    body, headers = _signed(event, tracking_webhook_secret())
    answer = api.post("/webhooks/tracking", content=body, headers=headers)
    assert answer.status_code == 200
    assert not any(step.startswith("order:") for step in answer.json()["applied"])
    assert _campaign_revenue(env, campaign) == 0.0


def test_non_finite_or_negative_revenue_is_not_counted():
    from backend.tools.tracking import revenue_amount

    assert revenue_amount(1500) == 1500.0
    for bad in (float("inf"), float("nan"), -5, "1e400", True, None, {"a": 1}):
        assert revenue_amount(bad) is None
