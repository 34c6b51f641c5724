"""Run service: creating, listing, reading and cancelling runs."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from backend.core.errors import Conflict, NotFound
from backend.core.outcome import NOTHING_DONE
from backend.domain.spec import JobSpec
from backend.jobs.events import event_input
from backend.models import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    Artifact,
    Job,
    Run,
    RunAttempt,
    RunLog,
    RunStep,
)
from backend.models.types import utcnow

__all__ = [
    "RunDetail",
    "new_run",
    "list_runs",
    "list_run_rows",
    "last_runs",
    "get_run",
    "get_run_detail",
    "cancel_run",
    "retry_run",
]


def new_run(
    *,
    job: Job,
    spec: JobSpec,
    scheduled_for: datetime,
    trigger: str,
    not_before: datetime | None = None,
) -> Run:
    """A queued run for one occurrence of ``job`` (not yet added to a session)."""
    return Run(
        job_id=job.job_id,
        workflow=job.workflow,
        scheduled_for=scheduled_for,
        trigger=trigger,
        status="queued",
        priority=job.priority,
        flow_group=job.flow_group,
        flow_max_active_runs=job.flow_max_active_runs,
        max_attempts=spec.retry_policy.max_retry + 1,
        timeout_ms=spec.timeout_ms,
        not_before=not_before,
        spec_version=job.version,
    )


@dataclass
class RunDetail:
    run: Run
    attempts: list[RunAttempt] = field(default_factory=list)
    steps: list[RunStep] = field(default_factory=list)
    logs: list[RunLog] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    event: dict[str, Any] | None = None  # the event that started it


def get_run(*, session: Session, run_id: int) -> Run:
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"no run {run_id}")
    return run


def _filtered(query: Any, *, job_id: str | None, status: str | None, workflow: str | None,
              since: datetime | None) -> Any:
    if job_id:
        query = query.where(Run.job_id == job_id)
    if status == "active":
        query = query.where(col(Run.status).in_(ACTIVE_STATUSES))
    elif status:
        wanted = status.split(",")
        matches: ColumnElement[bool] = col(Run.status).in_(wanted)
        if NOTHING_DONE in wanted:  # succeeded runs that did none of their work
            matches = or_(matches, col(Run.outcome) == NOTHING_DONE)
        query = query.where(matches)
    if workflow:
        query = query.where(Run.workflow == workflow)
    if since:
        query = query.where(col(Run.created_at) >= since)
    return query


def list_runs(
    *,
    session: Session,
    job_id: str | None = None,
    status: str | None = None,
    workflow: str | None = None,
    since: datetime | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Run], int]:
    """Newest first. ``status`` may be a comma-separated list, or ``active``."""
    query = _filtered(select(Run), job_id=job_id, status=status, workflow=workflow, since=since)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Run.id).desc()).offset(offset).limit(limit)).all()
    return list(rows), int(total)


@functools.lru_cache(maxsize=64)
def _run_page_statements(columns: tuple[str, ...], *, by_job: bool, by_workflow: bool,
                         statuses: tuple[str, ...] | None) -> tuple[Any, Any]:
    """The page and count statements of one filter shape, built once: building a
    22-column SELECT and its cache key on every request cost more than running it."""
    where: list[ColumnElement[bool]] = []
    if by_job:
        where.append(col(Run.job_id) == bindparam("job_id"))
    if statuses is not None:
        matches: ColumnElement[bool] = col(Run.status).in_(statuses)
        if NOTHING_DONE in statuses:  # succeeded runs that did none of their work
            matches = or_(matches, col(Run.outcome) == NOTHING_DONE)
        where.append(matches)
    if by_workflow:
        where.append(col(Run.workflow) == bindparam("workflow"))
    page = (sa_select(*(getattr(Run, name) for name in columns)).where(*where)
            .order_by(col(Run.id).desc()).offset(bindparam("offset")).limit(bindparam("limit")))
    count = sa_select(func.count()).select_from(Run).where(*where)
    return page, count


def list_run_rows(
    *,
    session: Session,
    columns: tuple[str, ...],
    job_id: str | None = None,
    status: str | None = None,
    workflow: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """:func:`list_runs` as plain rows of ``columns``: building ORM objects for a page
    of 50 runs was most of what the API's run list cost."""
    statuses = (tuple(ACTIVE_STATUSES) if status == "active"
                else tuple(status.split(",")) if status else None)
    page, count = _run_page_statements(columns, by_job=bool(job_id),
                                       by_workflow=bool(workflow), statuses=statuses)
    params = {"job_id": job_id, "workflow": workflow, "offset": offset, "limit": limit}
    # On the session's connection, not through the session: these are plain column
    # SELECTs, and the ORM's execution path (compile state, result setup) cost more than
    # fetching the page.
    conn = session.connection()
    total = conn.execute(count, params).scalar_one()
    rows = conn.execute(page, params)
    return [dict(zip(columns, row, strict=True)) for row in rows], int(total)


def last_runs(*, session: Session, job_ids: list[str]) -> dict[str, Run]:
    """The newest ended run of each job (jobs that never ran have none)."""
    if not job_ids:
        return {}
    newest = (select(func.max(Run.id)).where(col(Run.job_id).in_(job_ids),
                                             col(Run.status).in_(FINAL_STATUSES))
              .group_by(Run.job_id))  # fmt: skip
    rows = session.exec(select(Run).where(col(Run.id).in_(newest))).all()
    return {r.job_id: r for r in rows}


def get_run_detail(*, session: Session, run_id: int, log_limit: int = 500) -> RunDetail:
    run = get_run(session=session, run_id=run_id)
    attempts = session.exec(
        select(RunAttempt).where(RunAttempt.run_id == run_id).order_by(col(RunAttempt.number))
    ).all()
    steps = session.exec(
        select(RunStep).where(RunStep.run_id == run_id).order_by(col(RunStep.position))
    ).all()
    logs = session.exec(
        select(RunLog)
        .where(RunLog.run_id == run_id)
        .order_by(col(RunLog.id).desc())
        .limit(log_limit)
    ).all()
    artifacts = session.exec(
        select(Artifact).where(Artifact.run_id == run_id).order_by(col(Artifact.id))
    ).all()
    event = (event_input(session=session, event_pk=run.event_id)
             if run.event_id is not None else None)  # fmt: skip
    return RunDetail(run, list(attempts), list(steps), list(reversed(logs)), list(artifacts),
                     event)


def cancel_run(*, session: Session, run_id: int) -> Run:
    """Cancel a queued run at once; ask a running one to stop (its worker finishes it)."""
    run = get_run(session=session, run_id=run_id)
    if run.status in FINAL_STATUSES:
        raise Conflict(f"run {run_id} already ended ({run.status})", key="error.run_ended",
                       params={"run": run_id, "status": run.status})
    if run.status == "queued":
        run.status = "cancelled"
        run.finished_at = utcnow()
        run.error = "cancelled by user"
    run.cancel_requested = True
    session.add(run)
    return run


def retry_run(*, session: Session, run_id: int) -> Run:
    """Give an ended, unsuccessful run another attempt, resuming from its failed step."""
    run = get_run(session=session, run_id=run_id)
    if run.status not in ("failed", "timed_out", "cancelled"):
        raise Conflict(
            f"run {run_id} is {run.status}; only failed, timed out or cancelled runs retry",
            key="error.run_not_retryable", params={"run": run_id})
    failures = session.exec(
        select(func.count())
        .select_from(RunAttempt)
        .where(RunAttempt.run_id == run_id, col(RunAttempt.status).in_(("failed", "timed_out")))
    ).one()
    run.status = "queued"
    run.max_attempts = int(failures) + 1
    run.dispatched_at = None
    run.not_before = None
    run.finished_at = None
    run.cancel_requested = False
    session.add(run)
    return run
