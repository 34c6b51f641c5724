"""Jobs: the stored spec, its scheduling state, and every version of the spec."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from backend.models.types import UTCDateTime, utcnow

__all__ = ["Job", "JobVersion"]


class Job(SQLModel, table=True):
    """One job. ``spec`` is the validated JobSpec as JSON; the rest is denormalised from it
    so the scheduler can select due jobs without parsing specs."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_due", "enabled", "paused", "next_run_at"),)

    job_id: str = Field(primary_key=True, max_length=128)
    type: str = Field(max_length=100)
    workflow: str = Field(max_length=40, index=True)
    workflow_inferred: bool = False
    spec: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    version: int = 1
    enabled: bool = True
    paused: bool = False
    priority: str = Field(default="normal", max_length=10)
    flow_group: str | None = Field(default=None, max_length=100, index=True)
    flow_max_active_runs: int | None = None
    allow_overlap: bool = False
    # the event kind of an event trigger (jobs an event may start are selected by it)
    trigger_event: str | None = Field(default=None, max_length=40, index=True)
    # a webhook-triggered job's secret, encrypted like connector secrets (shown once)
    hook_secret_encrypted: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    next_run_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_run_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True))
    consecutive_failures: int = 0
    created_by: str = Field(default="system", max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class JobVersion(SQLModel, table=True):
    """Every saved spec of a job, for history, diff and revert."""

    __tablename__ = "job_versions"

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=128, index=True)
    version: int
    spec: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_by: str = Field(default="system", max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
