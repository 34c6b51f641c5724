"""Email connector against the sandbox's SMTP server."""

from __future__ import annotations

import hashlib

import pytest

from backend.connectors.base import TransientError
from backend.connectors.email import EmailConfig, EmailConnector
from backend.connectors.messages import Attachment, OutboundMessage, message_id_for
from tests.connectors.messaging_support import admin, sandbox, sandbox_handle

__all__ = ["sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio


def _mail(sandbox) -> EmailConnector:
    return EmailConnector(config=EmailConfig(host=sandbox.smtp_host, port=sandbox.smtp_port))


async def test_mail_with_attachment_arrives(sandbox) -> None:
    xlsx = b"PK\x03\x04 excel" * 50
    connector = _mail(sandbox)
    try:
        sent = await connector.send(
            OutboundMessage(
                "ceo@company.com",
                "Ringkasan penjualan terlampir.",
                subject="Laporan BI harian",
                html="<p>Ringkasan penjualan terlampir.</p>",
                attachments=(
                    Attachment(
                        "sales.xlsx",
                        xlsx,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                ),
            ),
            idempotency_key="bi:2026-11-26:ceo",
        )
    finally:
        await connector.aclose()
    assert sent.provider_id == message_id_for("bi:2026-11-26:ceo", domain="spio.local")
    [mail] = admin(sandbox, "mail")["items"]
    assert mail["subject"] == "Laporan BI harian" and mail["envelope_to"] == ["ceo@company.com"]
    assert "terlampir" in mail["text"] and "<p>" in mail["html"]
    [att] = mail["attachments"]
    assert att["filename"] == "sales.xlsx" and att["sha256"] == hashlib.sha256(xlsx).hexdigest()


async def test_retried_send_is_one_mail(sandbox) -> None:
    connector = _mail(sandbox)
    message = OutboundMessage("a@b.co", "Promo", subject="Promo")
    try:
        for _ in range(3):  # the connection is reused between sends
            await connector.send(message, idempotency_key="promo:a@b.co")
        await connector.send(message, idempotency_key="promo:other")
    finally:
        await connector.aclose()
    assert admin(sandbox, "mail")["count"] == 2
    assert admin(sandbox, "counters")["duplicates"]["email"] == 2


async def test_unreachable_server_is_transient() -> None:
    connector = EmailConnector(config=EmailConfig(host="127.0.0.1", port=9, timeout_sec=2))
    with pytest.raises(TransientError, match="email"):
        await connector.send(OutboundMessage("a@b.co", "x"), idempotency_key="k")
