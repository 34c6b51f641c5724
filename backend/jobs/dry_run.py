"""Dry run: a proposed job executed once on the workers, without saving the job.

The spec is stored only as version 1 of a throwaway job id (``dryrun-<hex>``) that has
no row in the jobs table, so the scheduler never fires it again, the jobs list never
shows it, and its idempotency keys (all scoped by job id) can never make a later real
run of the same spec skip a message as "already sent". The run is marked with the
``dry_run`` trigger and gets a single attempt.

The worker runs a dry run's workflow under ``connectors.runtime.sandbox_only``: every
connector keeps its sandbox defaults even where a live account is saved in Settings,
so a dry run never touches a real shop. (An ``agent`` job's own HTTP calls to URLs in
its spec are not connector calls and go where the spec says.)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from backend.jobs.runs import get_run_detail
from backend.jobs.validation import ParsedSpec
from backend.models import ACTIVE_STATUSES, JobVersion, Run
from backend.models.types import utcnow

__all__ = [
    "DRY_RUN_PREFIX",
    "DRY_RUN_TRIGGER",
    "DryRunResult",
    "DryRunStep",
    "is_dry_run",
    "start_dry_run",
    "dry_run_result",
]

DRY_RUN_PREFIX = "dryrun-"
DRY_RUN_TRIGGER = "dry_run"


def is_dry_run(job_id: str) -> bool:
    """Whether ``job_id`` names a throwaway dry-run job."""
    return job_id.startswith(DRY_RUN_PREFIX)


def start_dry_run(*, session: Session, parsed: ParsedSpec, actor: str) -> Run:
    """Queue one attempt of ``parsed`` under a fresh throwaway job id; the scheduler
    dispatches it on its next tick like any run-now. Returns the queued run."""
    throwaway = f"{DRY_RUN_PREFIX}{uuid.uuid4().hex[:12]}"
    spec = parsed.spec.model_copy(update={"job_id": throwaway})
    session.add(JobVersion(job_id=throwaway, version=1, spec=spec.public_dict(),
                           created_by=actor))  # fmt: skip
    run = Run(
        job_id=throwaway,
        workflow=spec.workflow or "agent",
        scheduled_for=utcnow(),
        trigger=DRY_RUN_TRIGGER,
        status="queued",
        priority=spec.inputs.pressure_priority,
        flow_group=spec.inputs.flow_group,
        flow_max_active_runs=spec.inputs.flow_max_active_runs,
        max_attempts=1,  # once: a dry run shows what happens, it does not insist
        timeout_ms=spec.timeout_ms,
        spec_version=1,
    )
    session.add(run)
    session.flush()
    return run


@dataclass(frozen=True, slots=True)
class DryRunStep:
    name: str
    status: str
    duration_sec: float | None
    attempts: int
    error: str | None


@dataclass(frozen=True, slots=True)
class DryRunResult:
    """What the dry run did so far: its state, steps, outputs or error."""

    run_id: int
    job_id: str
    status: str
    progress: float
    message: str
    duration_sec: float | None
    error: str | None
    outputs: dict[str, Any] | None
    steps: list[DryRunStep] = field(default_factory=list)
    artifacts: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.status not in ACTIVE_STATUSES


def _seconds(start: Any, end: Any) -> float | None:
    return None if start is None or end is None else (end - start).total_seconds()


def dry_run_result(*, session: Session, run_id: int) -> DryRunResult:
    """The dry run's state (NotFound when there is no such run)."""
    detail = get_run_detail(session=session, run_id=run_id, log_limit=0)
    run = detail.run
    end = run.finished_at or (utcnow() if run.started_at else None)
    return DryRunResult(
        run_id=int(run.id or 0),
        job_id=run.job_id,
        status=run.status,
        progress=float(run.progress or 0.0),
        message=run.progress_message or "",
        duration_sec=_seconds(run.started_at, end),
        error=run.error,
        outputs=run.result if isinstance(run.result, dict) else None,
        steps=[DryRunStep(name=s.name, status=s.status, attempts=s.attempts, error=s.error,
                          duration_sec=_seconds(s.started_at, s.finished_at))
               for s in detail.steps],  # fmt: skip
        artifacts=[a.name for a in detail.artifacts],
    )
