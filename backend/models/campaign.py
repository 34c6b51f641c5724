"""A campaign's state in the database: its control (running / paused / cancelled), its
counters, and which tracking events were counted (once per message and kind).

Which customers are done is not kept here: the sent-message ledger
(``sent_messages``, keys ``campaign:<campaign id>:<customer>:<channel>``) says it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["Campaign", "CampaignCounter", "CampaignEvent"]


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
