"""Durable per-job state: what a job must remember from one run to the next.

A catalog sync's watermark, the BI report's day-by-day history, a monitor's feed cursors
and baseline. Redis here keeps nothing on disk, and losing any of these changes what the
next run does (a full catalog reload, trend charts without their past, a re-read feed),
so they live in the database. Values are small JSON documents, one row per job and name.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["JobState"]


class JobState(SQLModel, table=True):
    """One named value of one job (``job_id``, ``name``)."""

    __tablename__ = "job_state"

    job_id: str = Field(primary_key=True, max_length=128)
    name: str = Field(primary_key=True, max_length=200)
    value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
