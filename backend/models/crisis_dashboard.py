"""The crisis dashboard's data in the database: each monitor tick, and per job its
current status, top negative posts and auto-response counts.

What the crisis page shows is what a seller acts on during a crisis (and looks back at
after it), so it outlives a Redis restart: Redis here keeps nothing on disk.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["CrisisTick", "CrisisDashboard"]


class CrisisTick(SQLModel, table=True):
    """One tick of one monitor job (mentions, negative share, mean score, status,
    alerts, topics), ``at`` in epoch seconds."""

    __tablename__ = "crisis_ticks"
    __table_args__ = (Index("ix_crisis_ticks_job_at", "job_id", "at", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=128)
    at: float
    tick: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CrisisDashboard(SQLModel, table=True):
    """A monitor job's latest status, its top negative posts and auto-responses sent."""

    __tablename__ = "crisis_dashboards"

    job_id: str = Field(primary_key=True, max_length=128)
    status: str = Field(default="green", max_length=10)
    top: list[dict[str, Any]] = Field(default_factory=list,
                                      sa_column=Column(JSON, nullable=False))
    responses: dict[str, int] = Field(default_factory=dict,
                                      sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
