"""SMS connector against the sandbox's Twilio-style API."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected
from backend.connectors.messages import Attachment, OutboundMessage
from backend.connectors.sms import SmsConfig, SmsConnector
from tests.connectors.messaging_support import admin, client, sandbox, sandbox_handle

__all__ = ["client", "sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio


def _sms(sandbox, client, **config) -> SmsConnector:
    return SmsConnector(
        config=SmsConfig(base_url=f"{sandbox.base_url}/sms", **config), client=client
    )


async def test_sms_is_queued(sandbox, client) -> None:
    sent = await _sms(sandbox, client).send(
        OutboundMessage("+6281234567890", "Krisis: 40 komentar negatif dalam 5 menit"),
        idempotency_key="s1",
    )
    assert sent.provider_id.startswith("SM") and sent.status == "queued"
    assert admin(sandbox, "counters")["messages"]["sms"] == {"+6281234567890": 1}


async def test_wrong_auth_token_fails(sandbox, client) -> None:
    sms = _sms(sandbox, client, auth_token=SecretStr("nope"))
    with pytest.raises(AuthFailed):
        await sms.send(OutboundMessage("+6281234567890", "x"), idempotency_key="s2")


async def test_invalid_number_rejected_with_platform_code(sandbox, client) -> None:
    with pytest.raises(Rejected, match="21211"):
        await _sms(sandbox, client).send(OutboundMessage("0812", "x"), idempotency_key="s3")
    with pytest.raises(Rejected, match="text only"):
        await _sms(sandbox, client).send(
            OutboundMessage("+6281234567890", "x", attachments=(Attachment("a", b"1"),)),
            idempotency_key="s4",
        )


async def test_429_retry_after(sandbox, client) -> None:
    admin(sandbox, "limits", {"sms.messages": {"limit": 1, "window_sec": 5}})
    sms = _sms(sandbox, client)
    await sms.send(OutboundMessage("+6281234567890", "a"), idempotency_key="s5")
    with pytest.raises(RateLimited) as caught:
        await sms.send(OutboundMessage("+6281234567891", "b"), idempotency_key="s6")
    assert 1 <= caught.value.retry_after <= 5


async def test_same_key_counts_once(sandbox, client) -> None:
    sms = _sms(sandbox, client)
    message = OutboundMessage("+6281234567890", "sekali saja")
    first = await sms.send(message, idempotency_key="s7")
    second = await sms.send(message, idempotency_key="s7")
    assert second.provider_id == first.provider_id and second.replayed
    assert admin(sandbox, "counters")["messages"]["sms"] == {"+6281234567890": 1}
