"""One scheduler tick: fire due occurrences, take back orphaned runs, dispatch queued runs.

Three guards stop an occurrence firing twice: the leader lock, the unique
(job_id, scheduled_for) constraint with INSERT ... ON CONFLICT DO NOTHING, and the
worker's conditional claim (a duplicate message does nothing).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import redis
from sqlalchemy import and_, bindparam, case, func, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from backend.core.config import PRIORITIES, Settings
from backend.core.redis import publish_event
from backend.jobs.spec import JobSpec
from backend.models import ACTIVE_STATUSES, Job, Run
from backend.models.types import utcnow
from backend.scheduler.timing import jitter_for, plan_catchup
from backend.worker.broker import enqueue_runs
from backend.worker.queues import queue_depths

__all__ = ["TickReport", "Ticker", "held_priorities"]

log = logging.getLogger("spio.scheduler")
_RANK = {p: i for i, p in enumerate(PRIORITIES)}


@dataclass
class TickReport:
    leader: bool = True
    fired: int = 0
    skipped: int = 0
    dispatched: int = 0
    held_back: int = 0
    requeued: int = 0
    depths: dict[str, int] = field(default_factory=dict)
    dispatched_ids: list[int] = field(default_factory=list)


def held_priorities(*, total_depth: int, high: int) -> set[str]:
    """Priorities held back under queue pressure (critical never is)."""
    if total_depth > 2 * high:
        return {"high", "normal", "low"}
    if total_depth > high:
        return {"normal", "low"}
    if total_depth > high // 2:
        return {"low"}
    return set()


class Ticker:
    """The work of one tick, against one database and one Redis."""

    def __init__(self, *, settings: Settings, engine: Engine, client: redis.Redis) -> None:
        self.settings = settings
        self.engine = engine
        self.client = client
        self._specs: dict[tuple[str, int], JobSpec] = {}

    # --- phase 1: fire ----------------------------------------------------------------
    def _spec(self, job: Job) -> JobSpec:
        cache_key = (job.job_id, job.version)
        spec = self._specs.get(cache_key)
        if spec is None:
            if len(self._specs) > 50_000:
                self._specs.clear()
            spec = self._specs[cache_key] = JobSpec.model_validate(job.spec)
        return spec

    def _insert_ignore(self, session: Session, rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        table = Run.__table__  # type: ignore[attr-defined]
        dialect = self.engine.dialect.name
        insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert_fn(table).on_conflict_do_nothing(index_elements=["job_id", "scheduled_for"])
        result = session.execute(stmt, rows)
        return int(result.rowcount or 0)

    def fire_due(self, *, now: datetime, report: TickReport) -> None:
        horizon = now + timedelta(milliseconds=self.settings.scheduler_lookahead_ms)
        with Session(self.engine) as session:
            query = (
                select(Job)
                .where(col(Job.enabled).is_(True), col(Job.paused).is_(False),
                       col(Job.next_run_at) <= horizon)
                .order_by(col(Job.next_run_at))
                .limit(self.settings.scheduler_fire_batch)
            )
            if self.engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            jobs = list(session.scalars(query))
            if not jobs:
                return
            no_overlap = [j.job_id for j in jobs if not j.allow_overlap]
            busy: dict[str, int] = {}
            for start in range(0, len(no_overlap), 900):
                chunk = no_overlap[start : start + 900]
                busy.update(session.execute(
                    select(Run.job_id, func.min(Run.id))
                    .where(col(Run.job_id).in_(chunk), col(Run.status).in_(ACTIVE_STATUSES))
                    .group_by(Run.job_id)
                ).all())
            runs: list[dict[str, Any]] = []
            advances: list[dict[str, Any]] = []
            for job in jobs:
                spec = self._spec(job)
                due = job.next_run_at
                assert due is not None and spec.schedule is not None
                plan = plan_catchup(spec.schedule, due=due, now=now,
                                    grace_sec=self.settings.scheduler_missed_grace_sec)
                advances.append({"b_job_id": job.job_id, "b_next": plan.next_at})
                if plan.fire is None:
                    report.skipped += plan.skipped
                    continue
                row = self._run_row(job, spec, plan.fire, now)
                if job.job_id in busy:
                    row.update(status="skipped", finished_at=now,
                               skip_reason=f"run {busy[job.job_id]} still active "
                                           "(allow_overlap is false)")
                    report.skipped += 1
                else:
                    report.fired += 1
                runs.append(row)
            self._insert_ignore(session, runs)
            table = Job.__table__  # type: ignore[attr-defined]
            session.execute(
                update(table)
                .where(table.c.job_id == bindparam("b_job_id"))
                .values(next_run_at=bindparam("b_next")),
                advances,
                execution_options={"synchronize_session": False},
            )
            session.commit()

    @staticmethod
    def _run_row(job: Job, spec: JobSpec, fire: datetime, now: datetime) -> dict[str, Any]:
        assert spec.schedule is not None
        jitter = jitter_for(job_id=job.job_id, occurrence=fire,
                            jitter_sec=spec.schedule.jitter_sec)
        return {
            "job_id": job.job_id,
            "workflow": job.workflow,
            "scheduled_for": fire,
            "trigger": "schedule",
            "status": "queued",
            "priority": job.priority,
            "flow_group": job.flow_group,
            "flow_max_active_runs": job.flow_max_active_runs,
            "attempt": 0,
            "max_attempts": spec.retry_policy.max_retry + 1,
            "timeout_ms": spec.timeout_ms,
            "not_before": fire + timedelta(seconds=jitter) if jitter else None,
            "progress": 0.0,
            "cancel_requested": False,
            "spec_version": job.version,
            "created_at": now,
            # every row carries every key: executemany takes its columns from the first row
            "finished_at": None,
            "skip_reason": None,
        }

    # --- phase 2: take back runs whose worker died or whose message was lost ------------
    def requeue_orphans(self, *, now: datetime, report: TickReport) -> None:
        stale_beat = now - timedelta(seconds=self.settings.worker_stale_after_sec)
        stale_send = now - timedelta(seconds=self.settings.scheduler_dispatch_stale_sec)
        with Session(self.engine) as session:
            result = session.execute(
                update(Run)
                .where(or_(
                    and_(col(Run.status) == "running", col(Run.heartbeat_at) < stale_beat),
                    and_(col(Run.status) == "queued", col(Run.dispatched_at) < stale_send),
                ))
                .values(status="queued", dispatched_at=None, worker_id=None)
                .execution_options(synchronize_session=False)
            )
            session.commit()
            report.requeued = int(result.rowcount or 0)  # type: ignore[attr-defined]
            if report.requeued:
                log.warning("took back %s orphaned runs", report.requeued)

    # --- phase 3: dispatch ------------------------------------------------------------
    def dispatch(self, *, now: datetime, report: TickReport) -> None:
        settings = self.settings
        horizon = now + timedelta(milliseconds=settings.scheduler_lookahead_ms)
        report.depths = queue_depths(self.client)
        held = held_priorities(total_depth=sum(report.depths.values()),
                               high=settings.scheduler_pressure_depth_high)
        limit = settings.scheduler_max_dispatch_per_tick
        rank = case(_RANK, value=Run.priority, else_=len(_RANK))
        due_at = func.coalesce(Run.not_before, Run.scheduled_for)
        with Session(self.engine) as session:
            base = (
                col(Run.status) == "queued",
                col(Run.dispatched_at).is_(None),
                col(Run.cancel_requested).is_(False),
                due_at <= horizon,
            )
            if held:
                report.held_back = int(session.execute(
                    select(func.count()).select_from(Run)
                    .where(*base, col(Run.priority).in_(held))
                ).scalar_one())
            candidates = session.execute(
                select(Run.id, Run.priority, Run.flow_group, Run.flow_max_active_runs)
                .where(*base, col(Run.priority).not_in(held) if held else true())
                .order_by(rank, due_at, Run.id)
                .limit(limit * 4)
            ).all()
            if not candidates:
                return
            groups = {c.flow_group for c in candidates if c.flow_group and c.flow_max_active_runs}
            active: dict[str, int] = {}
            if groups:
                active = dict(session.execute(
                    select(Run.flow_group, func.count())
                    .where(col(Run.flow_group).in_(groups), or_(
                        col(Run.status) == "running",
                        and_(col(Run.status) == "queued", col(Run.dispatched_at).is_not(None)),
                    ))
                    .group_by(Run.flow_group)
                ).all())
            chosen: list[tuple[int, str]] = []
            for c in candidates:
                if c.flow_group and c.flow_max_active_runs:
                    if active.get(c.flow_group, 0) >= c.flow_max_active_runs:
                        continue
                    active[c.flow_group] = active.get(c.flow_group, 0) + 1
                chosen.append((c.id, c.priority))
                if len(chosen) >= limit:
                    break
            if not chosen:
                return
            # Send first, then mark: a crash in between re-sends (harmless, the worker's
            # claim ignores duplicates) instead of losing the run.
            enqueue_runs(chosen)
            ids = [run_id for run_id, _ in chosen]
            for start in range(0, len(ids), 900):
                session.execute(
                    update(Run)
                    .where(col(Run.id).in_(ids[start : start + 900]), col(Run.status) == "queued",
                           col(Run.dispatched_at).is_(None))
                    .values(dispatched_at=now)
                    .execution_options(synchronize_session=False)
                )
            session.commit()
        report.dispatched = len(chosen)
        report.dispatched_ids = ids
        publish_event("scheduler.dispatched", count=len(chosen))

    def next_wake(self, *, now: datetime) -> datetime | None:
        """The earliest moment something becomes due (job occurrence or retry)."""
        with Session(self.engine) as session:
            job_next = session.execute(
                select(func.min(Job.next_run_at))
                .where(col(Job.enabled).is_(True), col(Job.paused).is_(False))
            ).scalar_one()
            retry_next = session.execute(
                select(func.min(Run.not_before))
                .where(col(Run.status) == "queued", col(Run.dispatched_at).is_(None))
            ).scalar_one()
        moments = [m for m in (job_next, retry_next) if m is not None]
        return min(moments) if moments else None


def tick(ticker: Ticker, *, now: datetime | None = None, reap: bool = True) -> TickReport:
    """Fire, reap and dispatch once (the caller holds the leader lock)."""
    now = now or utcnow()
    report = TickReport()
    ticker.fire_due(now=now, report=report)
    if reap:
        ticker.requeue_orphans(now=now, report=report)
    ticker.dispatch(now=now, report=report)
    return report
