"""The sandbox's SMTP server (aiosmtpd): accepts every message and stores it.

Stored mail is listed by ``GET /_admin/mail``. A repeated ``Message-ID`` is counted as a
duplicate and not stored again, so tests can prove a campaign emailed exactly once.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import hashlib
from email.message import EmailMessage
from typing import Any

from aiohttp import web
from aiosmtpd.smtp import SMTP, Envelope, Session

from backend.sandbox.outbox import record_message
from backend.sandbox.platform import STATE_KEY

__all__ = ["MailHandler", "start_smtp"]

_BODY_CAP = 20_000


class MailHandler:
    """aiosmtpd handler writing into the sandbox state of ``app``."""

    def __init__(self, app: web.Application) -> None:
        self.app = app

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        state = self.app[STATE_KEY]
        raw = (
            envelope.content
            if isinstance(envelope.content, bytes)
            else (str(envelope.content).encode())
        )
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        state.counters.requests["email"] += 1
        message_id = str(msg.get("Message-ID") or "").strip() or (
            "<" + hashlib.sha1(raw).hexdigest() + "@sandbox>"
        )
        if message_id in state.mail_ids:
            state.counters.duplicates["email"] += 1
            return "250 OK (duplicate Message-ID ignored)"
        state.mail_ids.add(message_id)
        stored = _parse(msg, raw)
        stored.update(
            id=len(state.mail) + 1,
            message_id=message_id,
            envelope_from=envelope.mail_from,
            envelope_to=list(envelope.rcpt_tos),
            received_at=state.now(),
        )
        state.mail.append(stored)
        for rcpt in envelope.rcpt_tos:
            record_message(
                self.app,
                channel="email",
                recipient=rcpt.lower(),
                message_id=message_id,
                text=(stored["text"] or "") + " " + (stored["html"] or ""),
                meta={"subject": stored["subject"]},
            )
        return "250 Message accepted for delivery"


def _parse(msg: EmailMessage, raw: bytes) -> dict[str, Any]:
    text_part = msg.get_body(preferencelist=("plain",))
    html_part = msg.get_body(preferencelist=("html",))
    attachments = []
    for part in msg.iter_attachments():
        raw_payload = part.get_payload(decode=True)
        payload = raw_payload if isinstance(raw_payload, bytes) else b""
        attachments.append(
            {
                "filename": part.get_filename(),
                "content_type": part.get_content_type(),
                "size": len(payload),
                "sha256": hashlib.sha256(payload).hexdigest(),
            }
        )
    return {
        "subject": str(msg.get("Subject", "")),
        "from": str(msg.get("From", "")),
        "to": str(msg.get("To", "")),
        "cc": str(msg.get("Cc", "")),
        "text": text_part.get_content()[:_BODY_CAP] if text_part else None,
        "html": html_part.get_content()[:_BODY_CAP] if html_part else None,
        "attachments": attachments,
        "size": len(raw),
    }


async def start_smtp(app: web.Application, *, host: str, port: int) -> asyncio.Server:
    """Serve SMTP on the running loop; port 0 picks a free one (see ``server.sockets``)."""
    handler = MailHandler(app)
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: SMTP(handler, hostname="sandbox.spio.local", enable_SMTPUTF8=True),
        host=host,
        port=port,
    )
