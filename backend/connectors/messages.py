"""What the messaging connectors (WhatsApp, Telegram, SMS, email) share.

A connector receives an :class:`OutboundMessage` and an idempotency key and returns a
:class:`SentMessage`, or raises one of ``backend.connectors.base``'s errors. It sends
exactly one request per call: waiting, retrying and the sent-message ledger belong to
the messaging tool above it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import orjson

from backend.connectors.base import TransientError

__all__ = [
    "Attachment",
    "TemplateRef",
    "OutboundMessage",
    "SentMessage",
    "StatusUpdate",
    "ChannelConnector",
    "json_body",
    "transport_error",
    "message_id_for",
]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent along with a message (a report PDF, an Excel export)."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class TemplateRef:
    """A pre-approved platform template (WhatsApp outside the 24-hour window)."""

    name: str
    language: str
    params: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """One message to one recipient; ``text`` is always set (templates render it too)."""

    to: str
    text: str
    subject: str | None = None
    html: str | None = None
    template: TemplateRef | None = None
    attachments: tuple[Attachment, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SentMessage:
    """The platform accepted the message."""

    channel: str
    provider_id: str  # wamid, Telegram message_id, SMS sid, email Message-ID
    status: str  # the platform's first status: accepted, sent, queued
    replayed: bool = False  # the platform recognised the idempotency key


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """What the platform reported later about a sent message (a status webhook or
    callback): ``status`` is sent, delivered, read or failed; a failure says why."""

    channel: str
    provider_id: str
    status: str
    recipient: str = ""
    error_code: int | None = None
    error: str = ""


class ChannelConnector(Protocol):
    """The shape the messaging tool relies on."""

    channel: str

    @property
    def account(self) -> str:
        """A non-secret id of the sending account (phone number id, bot id, ...)."""
        ...

    async def send(self, message: OutboundMessage, *, idempotency_key: str) -> SentMessage:
        """Send once; raise a ``backend.connectors.base`` error on failure."""
        ...


def json_body(response: httpx.Response) -> Any:
    """The response's JSON, or None when it is not JSON (a malformed or HTML body)."""
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None


def transport_error(exc: httpx.TransportError, *, platform: str) -> TransientError:
    """Connection resets and timeouts: the message may or may not have left; retry with
    the same idempotency key."""
    return TransientError(f"{exc.__class__.__name__}: {exc}", platform=platform)


def message_id_for(idempotency_key: str, *, domain: str = "spio.local") -> str:
    """An RFC 5322 Message-ID that is the same for every attempt of one send."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"
