"""Runs and everything a run leaves behind: attempts, steps, logs, artifacts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.domain.vocab import ACTIVE_STATUSES, FINAL_STATUSES
from backend.models.types import UTCDateTime, utcnow

__all__ = [
    "ACTIVE_STATUSES",
    "FINAL_STATUSES",
    "Run",
    "RunAttempt",
    "RunStep",
    "RunLog",
    "Artifact",
]

# queued: waiting to be sent or sent to a queue; running: a worker holds it.


def _ts(nullable: bool = True) -> Any:
    return Field(None, sa_column=Column(UTCDateTime(), nullable=nullable))


class Run(SQLModel, table=True):
    """One occurrence of a job. (job_id, scheduled_for) is unique: an occurrence fires once."""

    __tablename__ = "runs"
    __table_args__ = (
        UniqueConstraint("job_id", "scheduled_for", name="uq_runs_occurrence"),
        Index("ix_runs_dispatch", "status", "dispatched_at", "not_before"),
        Index("ix_runs_flow", "flow_group", "status"),
        Index("ix_runs_job_status", "job_id", "status"),
        Index("ix_runs_created", "created_at"),
        # an event starts at most one run of each job
        Index("uq_runs_event", "job_id", "event_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=128)
    workflow: str = Field(max_length=40)
    scheduled_for: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    trigger: str = Field(default="schedule", max_length=20)
    event_id: int | None = None  # the event (events.id) that started it
    status: str = Field(default="queued", max_length=20)
    priority: str = Field(default="normal", max_length=10)
    flow_group: str | None = Field(default=None, max_length=100)
    flow_max_active_runs: int | None = None
    attempt: int = 0
    max_attempts: int = 1
    timeout_ms: int = 600_000
    not_before: datetime | None = _ts()
    dispatched_at: datetime | None = _ts()
    started_at: datetime | None = _ts()
    finished_at: datetime | None = _ts()
    heartbeat_at: datetime | None = _ts()
    worker_id: str | None = Field(default=None, max_length=120)
    progress: float = 0.0
    progress_message: str | None = Field(default=None, max_length=500)
    cancel_requested: bool = False
    skip_reason: str | None = Field(default=None, max_length=300)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    error_type: str | None = Field(default=None, max_length=100)
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # A succeeded run that did none of its work: "nothing_done", with the reason
    # (backend.core.outcome: key, params, expected, text). NULL: it did its work.
    outcome: str | None = Field(default=None, max_length=20)
    outcome_reason: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    spec_version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class RunAttempt(SQLModel, table=True):
    __tablename__ = "run_attempts"
    __table_args__ = (UniqueConstraint("run_id", "number", name="uq_attempt_number"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(index=True)
    number: int
    status: str = Field(default="running", max_length=20)
    worker_id: str | None = Field(default=None, max_length=120)
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    finished_at: datetime | None = _ts()
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class RunStep(SQLModel, table=True):
    """A named step of a run. A succeeded step keeps its checkpoint; retries reuse it."""

    __tablename__ = "run_steps"
    __table_args__ = (UniqueConstraint("run_id", "name", name="uq_step_name"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(index=True)
    name: str = Field(max_length=200)
    position: int = 0
    status: str = Field(default="running", max_length=20)
    attempt: int = 1
    attempts: int = 1
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    finished_at: datetime | None = _ts()
    checkpoint: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class RunLog(SQLModel, table=True):
    __tablename__ = "run_logs"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(index=True)
    ts: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    level: str = Field(default="info", max_length=10)
    step: str | None = Field(default=None, max_length=200)
    message: str = Field(sa_column=Column(Text, nullable=False))


class Artifact(SQLModel, table=True):
    __tablename__ = "artifacts"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(index=True)
    job_id: str = Field(max_length=128, index=True)
    name: str = Field(max_length=300)
    path: str = Field(max_length=1000)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    size: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
