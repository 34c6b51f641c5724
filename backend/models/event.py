"""Events that start runs: what arrived (a marketplace push, a signed webhook), once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["Event"]


class Event(SQLModel, table=True):
    """One event as received. (source, event_id) is unique: a platform that delivers
    the same event again finds it recorded and starts nothing more."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("source", "event_id", name="uq_events_source_id"),
        Index("ix_events_kind_received", "kind", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # who sent it: "webhook:<job_id>", "shopee:<shop_id>", "tiktok_shop:<shop_id>", "api"
    source: str = Field(max_length=160)
    event_id: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    # a webhook event is for one job; a marketplace event for every job it matches
    job_id: str | None = Field(default=None, max_length=128, index=True)
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    occurred_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True))
    received_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    runs_started: int = 0
