"""The sent-message ledger: every message the messaging tool sent, by idempotency key.

It is what keeps a campaign's sends exactly once across retries, worker deaths and a
Redis that lost everything (a real WhatsApp API has no idempotency key to save us), so
it lives in the database. A row is first a claim (``state = 'pending'``, held by one
sender until ``lease_until``), then the delivery (``'sent'``, with the platform's
message id, which tracking webhooks use to find it again).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["SentMessage"]


class SentMessage(SQLModel, table=True):
    __tablename__ = "sent_messages"
    __table_args__ = (Index("ix_sent_messages_provider", "channel", "provider_id"),)

    key: str = Field(primary_key=True, max_length=300)
    channel: str = Field(max_length=20)
    recipient: str = Field(max_length=320)
    state: str = Field(max_length=10)  # pending | sent
    claim: str | None = Field(default=None, max_length=32)
    # ``<run id>:<sender instance>`` of the claim: a later attempt of the same run takes
    # the claims of its dead predecessor over at once instead of waiting out the lease.
    holder: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    provider_id: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, max_length=20)
    # Why the platform reported the message failed after taking it (a status webhook:
    # "131047: Re-engagement message", "Twilio error 30003").
    error: str | None = Field(default=None, max_length=300)
    attempts: int = 0
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
