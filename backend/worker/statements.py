"""The run lifecycle's SQL, built once per process.

Every run executes these a handful of times; building SQLAlchemy statements per call
cost more CPU than running them (coercion and cache keys), so they are built here once
with bound parameters and executed as plain Core statements.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select

from backend.models import Job, Run, RunAttempt
from backend.models.types import UTCDateTime

__all__ = ["Statements", "statements"]


@dataclass(frozen=True)
class Statements:
    claim: Any
    attempt_numbers: Any
    insert_attempt: Any
    failures: Any
    finish_final: Any
    finish_succeeded: Any
    finish_retry: Any
    hand_back: Any
    job_succeeded: Any
    job_failed: Any


@functools.cache
def statements() -> Statements:
    runs = Run.__table__  # type: ignore[attr-defined]
    attempts = RunAttempt.__table__  # type: ignore[attr-defined]
    jobs = Job.__table__  # type: ignore[attr-defined]
    now = bindparam("b_now", type_=UTCDateTime())
    due = func.coalesce(runs.c.not_before, runs.c.scheduled_for)
    mine = and_(runs.c.id == bindparam("b_id"), runs.c.worker_id == bindparam("b_me"),
                runs.c.status == "running")
    ended = {"error": bindparam("b_error"), "error_type": bindparam("b_error_type"),
             "heartbeat_at": now}
    final = {**ended, "status": bindparam("b_status"), "finished_at": now,
             "result": bindparam("b_result"), "outcome": bindparam("b_outcome"),
             "outcome_reason": bindparam("b_outcome_reason")}
    return Statements(
        claim=runs.update()
        .where(
            runs.c.id == bindparam("b_id"),
            or_(
                and_(runs.c.status == "queued", runs.c.cancel_requested.is_(False)),
                and_(runs.c.status == "running",
                     runs.c.heartbeat_at < bindparam("b_stale", type_=UTCDateTime())),
            ),
        )
        .values(
            status="running",
            worker_id=bindparam("b_me"),
            heartbeat_at=now,
            attempt=runs.c.attempt + 1,
            # Sent ahead of time (the scheduler's look-ahead), a run starts on the dot.
            started_at=func.coalesce(runs.c.started_at, case((due > now, due), else_=now)),
        )
        .returning(runs.c.job_id, runs.c.workflow, runs.c.attempt, runs.c.spec_version,
                   runs.c.timeout_ms, runs.c.not_before, runs.c.scheduled_for,
                   runs.c.event_id),
        attempt_numbers=select(attempts.c.number).where(attempts.c.run_id == bindparam("b_id")),
        # An attempt's row is written when it ends (one statement fewer per run); the
        # attempt in progress is described by the run row itself.
        insert_attempt=attempts.insert().values(
            run_id=bindparam("b_id"), number=bindparam("b_number"),
            worker_id=bindparam("b_worker"), status=bindparam("b_status"),
            started_at=bindparam("b_start", type_=UTCDateTime()),
            finished_at=bindparam("b_finished", type_=UTCDateTime()),
            error=bindparam("b_error")),
        failures=select(func.count(attempts.c.id), func.max(runs.c.max_attempts))
        .select_from(runs.outerjoin(attempts, and_(
            attempts.c.run_id == runs.c.id,
            attempts.c.status.in_(("failed", "timed_out")))))
        .where(runs.c.id == bindparam("b_id")),
        finish_final=runs.update().where(mine).values(**final),
        finish_succeeded=runs.update().where(mine).values(**final, progress=1.0),
        finish_retry=runs.update().where(mine).values(
            **ended, status="queued", dispatched_at=None, worker_id=None,
            not_before=bindparam("b_not_before", type_=UTCDateTime())),
        hand_back=runs.update().where(mine).values(
            status="queued", dispatched_at=None, worker_id=None, heartbeat_at=now),
        job_succeeded=jobs.update().where(jobs.c.job_id == bindparam("b_job"))
        .values(last_run_at=now, consecutive_failures=0),
        job_failed=jobs.update().where(jobs.c.job_id == bindparam("b_job"))
        .values(last_run_at=now,
                consecutive_failures=jobs.c.consecutive_failures + bindparam("b_inc"))
        .returning(jobs.c.consecutive_failures),
    )
