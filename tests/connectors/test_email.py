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


@pytest.mark.parametrize(
    "message",
    [
        OutboundMessage("budi@toko.id", "Halo Budi,\nDiskon 20% hari ini.\n", subject="Promo"),
        OutboundMessage(
            "Sari W <sari@toko.id>",
            "Halo Sari 👋 diskon spesial untukmu: kode BF-7Q2 " * 6 + "\n.\nSampai jumpa",
            subject="Selamat datang, Sari — diskon 20% menunggu 🎉",
        ),
        OutboundMessage("a@b.co", "x" * 300, subject="s" * 120),
        OutboundMessage("a@b.co", "Baris pertama jadi subjek\r\nlalu isi"),
    ],
    ids=["ascii", "unicode", "long-lines", "no-subject"],
)
def test_lean_plain_text_mail_reads_like_the_full_mime(message: OutboundMessage) -> None:
    """The lean path's bytes parse to the same headers and text as the email package's."""
    import email
    import email.policy

    from backend.connectors.email_mime import build_mime, render_mail

    sender, mid = "SPIO Agent <noreply@spio.local>", "<k@spio.local>"
    lean = render_mail(message, sender=sender, message_id=mid)
    assert lean.raw is not None and lean.mime is None
    assert (lean.sender, lean.recipient) == (
        "noreply@spio.local",
        message.to.split("<")[-1].strip(">"),
    )
    full = build_mime(message, sender=sender, message_id=mid)
    got = email.message_from_bytes(lean.raw, policy=email.policy.default)
    want = email.message_from_bytes(full.as_bytes(), policy=email.policy.default)
    for header in ("From", "To", "Subject", "Message-ID", "Content-Type"):
        assert str(got[header]) == str(want[header]), header
    assert got.get_content().replace("\r\n", "\n") == want.get_content().replace("\r\n", "\n")
    assert all(len(line) <= 78 for line in lean.raw.split(b"\r\n"))


def test_html_attachments_and_unsafe_headers_take_the_full_path() -> None:
    from backend.connectors.email_mime import render_mail

    sender, mid = "SPIO Agent <noreply@spio.local>", "<k@spio.local>"
    html = OutboundMessage("a@b.co", "t", html="<p>t</p>")
    injected = OutboundMessage("a@b.co", "t", subject="hi\r\nBcc: x@evil.co")
    assert render_mail(html, sender=sender, message_id=mid).mime is not None
    with pytest.raises(ValueError):  # the email package refuses a header with a line break
        render_mail(injected, sender=sender, message_id=mid)


async def test_parallel_sends_share_a_bounded_pool_and_survive_a_dropped_connection(
    sandbox,
) -> None:
    import asyncio
    import socket

    connector = EmailConnector(
        config=EmailConfig(host=sandbox.smtp_host, port=sandbox.smtp_port, pool_size=3)
    )
    try:
        await asyncio.gather(*(
            connector.send(OutboundMessage(f"c{i}@b.co", f"Halo {i}"), idempotency_key=f"p:{i}")
            for i in range(12)
        ))  # fmt: skip
        # Three sends went out at once on three connections; the other nine reused them.
        assert connector.open_connections == 3
        for _ in range(3):
            await connector.send(OutboundMessage("s@b.co", "seq"), idempotency_key="p:seq")
        assert connector.open_connections == 3
        # A pooled connection the server (or the network) has closed is replaced.
        for smtp in connector._idle:  # noqa: SLF001 - no public way to break a socket
            smtp.sock.shutdown(socket.SHUT_RDWR)
        await connector.send(OutboundMessage("late@b.co", "after"), idempotency_key="p:late")
    finally:
        await connector.aclose()
    assert connector.open_connections == 0
    mail = admin(sandbox, "mail")
    assert mail["count"] == 14
    assert {m["envelope_to"][0] for m in mail["items"]} >= {"c0@b.co", "c11@b.co", "late@b.co"}
