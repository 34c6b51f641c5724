"""The job spec: what a user (or the planner) hands the system, as in the seed document.

Validation here is the only gate into the jobs table. Errors carry a JSON path
(``schedule.cron``) and, for recognisable cron mistakes, a suggested fix.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from backend.domain.cron import check_cron
from backend.domain.problems import problem
from backend.domain.triggers import SCHEDULE_KEYS, EventTrigger
from backend.domain.vocab import WORKFLOW_KINDS, Priority, WorkflowKind

__all__ = [
    "WORKFLOW_KINDS",
    "WorkflowKind",
    "Priority",
    "Schedule",
    "RetryPolicy",
    "JobInputs",
    "JobSpec",
    "EventTrigger",
]

JOB_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"


class Schedule(BaseModel):
    """When a job fires: exactly one of ``interval_sec``, ``cron`` or ``at``."""

    model_config = ConfigDict(extra="forbid")

    interval_sec: float | None = Field(None, ge=1, le=366 * 86400, description="Fixed period.")
    cron: str | None = Field(None, max_length=200, description="5-field cron in `timezone`.")
    at: datetime | None = Field(None, description="Fire once at this moment.")
    timezone: str = Field("Asia/Jakarta", description="IANA zone for cron and naive times.")
    jitter_sec: float = Field(0, ge=0, le=3600, description="Random delay added to each fire.")
    start_at: datetime | None = Field(None, description="No fire before this moment.")
    end_at: datetime | None = Field(None, description="No fire after this moment.")
    missed: Literal["run_once", "skip"] = Field(
        "run_once",
        description="After downtime: run the latest missed occurrence once, or skip to the next.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise problem("spec.unknown_zone", zone=value) from exc
        return value

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        found = check_cron(value)
        if found is not None:
            # The suggestion needs the whole spec (campaign dates); JobSpec adds it.
            raise problem(found.key, **found.params)
        return value

    @model_validator(mode="after")
    def _exactly_one_trigger(self) -> Schedule:
        given = [n for n in ("interval_sec", "cron", "at") if getattr(self, n) is not None]
        if len(given) != 1:
            if given:
                raise problem("spec.one_trigger_many", given=", ".join(given))
            raise problem("spec.one_trigger")
        # end_at before start_at is refused by backend.jobs.runnable, naming both fields.
        return self


class RetryPolicy(BaseModel):
    """Further attempts after a failure, waiting ``backoff_sec[i]`` (the last repeats)."""

    model_config = ConfigDict(extra="forbid")

    max_retry: int = Field(0, ge=0, le=50)
    backoff_sec: list[float] = Field(default_factory=lambda: [60.0], max_length=50)

    @field_validator("backoff_sec")
    @classmethod
    def _non_negative(cls, value: list[float]) -> list[float]:
        if any(v < 0 or v > 7 * 86400 for v in value):
            raise problem("spec.backoff_range")
        return value

    def delay_for(self, *, retry_number: int) -> float:
        """Seconds to wait before retry ``retry_number`` (1-based)."""
        if not self.backoff_sec:
            return 0.0
        return self.backoff_sec[min(retry_number, len(self.backoff_sec)) - 1]


class JobInputs(BaseModel):
    """Free-form per workflow; the fields every workflow shares are validated."""

    model_config = ConfigDict(extra="allow")

    flow_group: str | None = Field(None, min_length=1, max_length=100)
    flow_max_active_runs: int | None = Field(None, ge=1, le=10_000)
    pressure_priority: Priority = "normal"
    allow_overlap: bool = False
    # What the run writes for people (reports, messages it composes, summaries).
    language: Literal["id", "en"] | None = Field(
        None, description="id (the default) or en: the language of what the run writes.")

    @field_validator("language", mode="before")
    @classmethod
    def _known_language(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str) or value.strip().lower() not in ("id", "en"):
            raise problem("spec.language", value=value)
        return value.strip().lower()


class JobSpec(BaseModel):
    """A job as users write it (see shared/seed/heavy_jobs.md)."""

    model_config = ConfigDict(extra="forbid")

    job_id: str = Field(..., pattern=JOB_ID_PATTERN, description="Stable id chosen by the user.")
    type: str = Field("agent.workflow", min_length=1, max_length=100)
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    workflow: WorkflowKind | None = Field(
        None, description="Workflow kind; inferred from type and inputs when absent."
    )

    @field_validator("workflow", mode="before")
    @classmethod
    def _known_workflow(cls, value: Any) -> Any:
        if value is not None and value not in WORKFLOW_KINDS:
            raise problem("spec.unknown_workflow", workflow=value,
                          known=", ".join(WORKFLOW_KINDS))
        return value
    schedule: Schedule | None = Field(None, description="Absent: the job runs only on demand.")
    trigger: EventTrigger | None = Field(
        None, description="An event that starts a run (order.paid, webhook, ...); a "
        "schedule given here is stored as `schedule`.")
    timeout_ms: int = Field(600_000, ge=100, le=7 * 86400 * 1000)
    retry_policy: RetryPolicy = Field(default_factory=RetryPolicy)
    inputs: JobInputs = Field(default_factory=JobInputs)
    enabled: bool = True

    @model_validator(mode="before")
    @classmethod
    def _schedule_as_trigger(cls, data: Any) -> Any:
        """``trigger`` may hold a schedule (``{"cron": ...}``): it is the ``schedule``."""
        if not isinstance(data, dict):
            return data
        trigger = data.get("trigger")
        if isinstance(trigger, dict) and "event" not in trigger and any(
                k in trigger for k in SCHEDULE_KEYS):
            if data.get("schedule") is not None:
                raise problem("spec.trigger_and_schedule")
            data = {**data, "schedule": trigger}
            data.pop("trigger")
        return data

    @property
    def priority(self) -> str:
        return self.inputs.pressure_priority

    def public_dict(self) -> dict[str, Any]:
        """The spec as stored and shown: JSON types, no unset noise."""
        return self.model_dump(mode="json", exclude_none=True)
