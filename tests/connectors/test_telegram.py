"""Telegram connector against the sandbox's Bot API."""

from __future__ import annotations

import hashlib

import pytest
from pydantic import SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TransientError
from backend.connectors.messages import Attachment, OutboundMessage
from backend.connectors.telegram import TelegramConfig, TelegramConnector
from tests.connectors.messaging_support import admin, client, sandbox, sandbox_handle

__all__ = ["client", "sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio


def _tg(sandbox, client, **config) -> TelegramConnector:
    return TelegramConnector(
        config=TelegramConfig(base_url=sandbox.base_url, **config), client=client
    )


async def test_text_message_reaches_the_chat(sandbox, client) -> None:
    sent = await _tg(sandbox, client).send(
        OutboundMessage("-1001234567890", "Laporan harian siap"), idempotency_key="t1"
    )
    chat_id, message_id = sent.provider_id.split(":")
    assert sent.channel == "telegram" and message_id.isdigit() and chat_id == "-1001234567890"
    [item] = admin(sandbox, "sent?channel=telegram")["items"]
    assert item["recipient"] == "-1001234567890" and item["text"] == "Laporan harian siap"


async def test_document_is_uploaded_with_caption(sandbox, client) -> None:
    pdf = b"%PDF-1.7 laporan" * 100
    await _tg(sandbox, client).send(
        OutboundMessage(
            "-1001234567890",
            "Laporan BI",
            attachments=(Attachment("bi.pdf", pdf, "application/pdf"),),
        ),
        idempotency_key="t2",
    )
    [item] = admin(sandbox, "sent?channel=telegram")["items"]
    assert item["text"] == "Laporan BI" and item["document"] == "bi.pdf"
    docs = sandbox.state.documents
    assert docs[-1]["sha256"] == hashlib.sha256(pdf).hexdigest()


async def test_wrong_token_is_auth_failure(sandbox, client) -> None:
    tg = _tg(sandbox, client, bot_token=SecretStr("123:wrong"))
    with pytest.raises(AuthFailed) as caught:
        await tg.send(OutboundMessage("42", "x"), idempotency_key="t3")
    assert "wrong" not in str(caught.value)


async def test_429_carries_retry_after(sandbox, client) -> None:
    admin(sandbox, "limits", {"telegram.bot": {"limit": 1, "window_sec": 30}})
    tg = _tg(sandbox, client)
    await tg.send(OutboundMessage("42", "one"), idempotency_key="t4")
    with pytest.raises(RateLimited) as caught:
        await tg.send(OutboundMessage("43", "two"), idempotency_key="t5")
    assert caught.value.retry_after >= 29


async def test_bad_chat_rejected_and_faults_transient(sandbox, client) -> None:
    tg = _tg(sandbox, client)
    with pytest.raises(Rejected, match="chat"):
        await tg.send(OutboundMessage("not a chat", "x"), idempotency_key="t6")
    admin(sandbox, "faults", {"platforms": {"telegram": {"p_5xx": 1.0}}})
    with pytest.raises(TransientError):
        await tg.send(OutboundMessage("42", "x"), idempotency_key="t7")


async def test_unreachable_server_error_hides_the_token(client) -> None:
    tg = TelegramConnector(config=TelegramConfig(base_url="http://127.0.0.1:9"), client=client)
    with pytest.raises(TransientError) as caught:
        await tg.send(OutboundMessage("42", "x"), idempotency_key="t8")
    assert "sendMessage failed" in str(caught.value)
    assert TelegramConfig().bot_token.get_secret_value().split(":")[1] not in str(caught.value)
