"""A campaign's state in the database: its control (running / paused / cancelled), its
counters, which tracking events were counted (once per message and kind), and its
planned recipients (in chunks, read back a chunk at a time while sending).

Which customers are done is not kept here: the sent-message ledger
(``sent_messages``, keys ``campaign:<campaign id>:<customer>:<channel>``) says it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["Campaign", "CampaignCounter", "CampaignEvent", "CampaignRecipient"]


class Campaign(SQLModel, table=True):
    __tablename__ = "campaigns"

    campaign_id: str = Field(primary_key=True, max_length=300)
    run_id: int | None = Field(default=None, index=True)
    job_id: str = Field(max_length=128)
    name: str = Field(max_length=200)
    control: str = Field(default="running", max_length=20)
    status: str | None = Field(default=None, max_length=20)  # sent | cancelled
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class CampaignCounter(SQLModel, table=True):
    """One figure of one campaign (``planned:email``, ``failed:sms``, ``clicked``...)."""

    __tablename__ = "campaign_counters"

    campaign_id: str = Field(primary_key=True, max_length=300)
    name: str = Field(primary_key=True, max_length=100)
    value: float = 0.0


class CampaignEvent(SQLModel, table=True):
    """A tracking event counted for a campaign: ``message`` is ``channel:provider id``."""

    __tablename__ = "campaign_events"

    campaign_id: str = Field(primary_key=True, max_length=300)
    message: str = Field(primary_key=True, max_length=250)
    kind: str = Field(primary_key=True, max_length=20)


class CampaignRecipient(SQLModel, table=True):
    """A chunk of a campaign's plan: the recipients of one CRM page on one channel, in
    plan order (``seq``; the send step reads a channel's chunks by keyset on it).
    ``items`` is their plan items as a JSON list (address, segment, message, name,
    purchases, fallbacks); a row per chunk, not per recipient, keeps planning a
    million customers to a few thousand rows."""

    __tablename__ = "campaign_recipients"

    campaign_id: str = Field(primary_key=True, max_length=300)
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    channel: str = Field(max_length=20)
    size: int
    items: str = Field(sa_column=Column(Text, nullable=False))
