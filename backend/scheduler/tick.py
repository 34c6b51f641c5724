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

import orjson
import redis
from sqlalchemy import and_, bindparam, case, exists, func, or_, select, true, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from backend.core.config import Settings
from backend.core.redis import publish_event
from backend.domain.schedule import jitter_for, plan_catchup
from backend.domain.spec import Schedule
from backend.domain.vocab import PRIORITIES
from backend.models import ACTIVE_STATUSES, Job, Run
from backend.models.types import utcnow
from backend.services.queues import queue_depths
from backend.worker.broker import enqueue_runs

__all__ = ["TickReport", "Ticker", "held_priorities"]

log = logging.getLogger("spio.scheduler")
_RANK = {p: i for i, p in enumerate(PRIORITIES)}


@dataclass(frozen=True, slots=True)
class _JobPlan:
    schedule: Schedule
    max_attempts: int
    timeout_ms: int


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


def _insert_json(session: Session, table: Any, rows: list[dict[str, Any]]) -> list[Any]:
    """PostgreSQL: one INSERT ... SELECT FROM json_populate_recordset(one JSON document).

    A multi-VALUES insert of 10,000 runs has 200,000 placeholders, which psycopg spent
    most of a burst rewriting; one array per column still had psycopg quote every
    element in Python. orjson writes the whole batch in a few milliseconds and the
    server reads it with the table's own column types."""
    names = ", ".join(rows[0])
    sql = (f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM '
           f'json_populate_recordset(NULL::"{table.name}", %s::json) '
           "ON CONFLICT (job_id, scheduled_for) DO NOTHING "
           "RETURNING id, priority, dispatched_at")
    document = orjson.dumps(rows).decode()
    return list(session.connection().exec_driver_sql(sql, (document,)).all())


def _serial_event_waits() -> Any:
    """An event run that must wait: its job does not allow overlap and has a run
    active (sent or running). Events queue behind it instead of being skipped."""
    other = Run.__table__.alias("other")  # type: ignore[attr-defined]
    jobs = Job.__table__  # type: ignore[attr-defined]
    return and_(
        col(Run.trigger) == "event",
        exists().where(jobs.c.job_id == Run.job_id, jobs.c.allow_overlap.is_(False)),
        exists().where(other.c.job_id == Run.job_id, or_(
            other.c.status == "running",
            and_(other.c.status == "queued", other.c.dispatched_at.is_not(None)))),
    )


def _serial_jobs(session: Session, job_ids: set[str]) -> set[str]:
    """Of ``job_ids``, the jobs that do not allow overlap."""
    if not job_ids:
        return set()
    return set(session.execute(
        select(col(Job.job_id)).where(col(Job.job_id).in_(job_ids),
                                      col(Job.allow_overlap).is_(False))).scalars())


class Ticker:
    """The work of one tick, against one database and one Redis."""

    def __init__(self, *, settings: Settings, engine: Engine, client: redis.Redis) -> None:
        self.settings = settings
        self.engine = engine
        self.client = client
        self._plans: dict[tuple[str, int], _JobPlan] = {}
        self._schedules: dict[bytes, Schedule] = {}

    # --- phase 1: fire ----------------------------------------------------------------
    def _plan(self, row: Any) -> _JobPlan:
        """What the tick needs of a job's spec, parsed once per spec version.

        Specs were validated on the way in, so only the schedule is re-modelled."""
        cache_key = (row.job_id, row.version)
        plan = self._plans.get(cache_key)
        if plan is None:
            if len(self._plans) > 100_000:
                self._plans.clear()
            spec = row.spec
            plan = self._plans[cache_key] = _JobPlan(
                schedule=self._schedule(spec["schedule"]),
                max_attempts=int(spec.get("retry_policy", {}).get("max_retry", 0)) + 1,
                timeout_ms=int(spec.get("timeout_ms", 600_000)),
            )
        return plan

    def _schedule(self, raw: dict[str, Any]) -> Schedule:
        """Many jobs share a schedule ("every 5 minutes"): model each distinct one once."""
        cache_key = orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)
        schedule = self._schedules.get(cache_key)
        if schedule is None:
            if len(self._schedules) > 100_000:
                self._schedules.clear()
            schedule = self._schedules[cache_key] = Schedule.model_validate(raw)
        return schedule

    def _insert_ignore(self, session: Session, rows: list[dict[str, Any]]) -> list[tuple[int, str]]:
        """Insert runs, skipping occurrences that exist; returns (id, priority) of the
        inserted runs marked as sent."""
        if not rows:
            return []
        for row in rows:
            row.setdefault("dispatched_at", None)
        table = Run.__table__  # type: ignore[attr-defined]
        if self.engine.dialect.name == "postgresql":
            result = _insert_json(session, table, rows)
        else:
            stmt = (
                sqlite.insert(table)
                .on_conflict_do_nothing(index_elements=["job_id", "scheduled_for"])
                .returning(table.c.id, table.c.priority, table.c.dispatched_at)
            )
            result = list(session.execute(stmt, rows).all())
        return [(r[0], r[1]) for r in result if r[2] is not None]

    def _advance(self, session: Session, advances: list[dict[str, Any]]) -> None:
        """Move each fired job's next_run_at on."""
        table = Job.__table__  # type: ignore[attr-defined]
        if self.engine.dialect.name == "postgresql":
            # one statement reading one JSON document, not 10,000 pipelined UPDATEs
            session.connection().exec_driver_sql(
                f'UPDATE "{table.name}" SET next_run_at = v.b_next FROM '
                "json_to_recordset(%s::json) AS v(b_job_id varchar, b_next timestamptz) "
                f'WHERE "{table.name}".job_id = v.b_job_id',
                (orjson.dumps(advances).decode(),))
            return
        session.execute(
            update(table)
            .where(table.c.job_id == bindparam("b_job_id"))
            .values(next_run_at=bindparam("b_next")),
            advances,
            execution_options={"synchronize_session": False},
        )

    def fire_due(self, *, now: datetime, report: TickReport, held: set[str]) -> None:
        """Create the runs of due occurrences. Runs nothing else waits ahead of (no flow
        cap, priority not held, no older run waiting) are sent in the same tick, which
        spares a burst of due jobs a second pass over the runs table."""
        horizon = now + timedelta(milliseconds=self.settings.scheduler_lookahead_ms)
        budget = self.settings.scheduler_max_dispatch_per_tick - report.dispatched
        with Session(self.engine) as session:
            query = (
                select(Job.job_id, Job.version, Job.spec, Job.workflow, Job.priority,  # type: ignore[call-overload]
                       Job.flow_group, Job.flow_max_active_runs, Job.allow_overlap,
                       Job.next_run_at)
                .where(col(Job.enabled).is_(True), col(Job.paused).is_(False),
                       col(Job.next_run_at) <= horizon)
                .order_by(col(Job.next_run_at))
                .limit(self.settings.scheduler_fire_batch)
            )
            if self.engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            jobs = session.execute(query).all()
            if not jobs:
                return
            no_overlap = [j.job_id for j in jobs if not j.allow_overlap]
            busy: dict[str, int] = {}
            for start in range(0, len(no_overlap), 900):
                chunk = no_overlap[start : start + 900]
                busy.update(session.execute(
                    select(col(Run.job_id), func.min(col(Run.id)))
                    .where(col(Run.job_id).in_(chunk), col(Run.status).in_(ACTIVE_STATUSES))
                    .group_by(Run.job_id)
                ).all())
            if budget > 0 and self._others_waiting(session, horizon=horizon, held=held):
                budget = 0
            runs: list[dict[str, Any]] = []
            eligible: list[dict[str, Any]] = []
            advances: list[dict[str, Any]] = []
            grace = self.settings.scheduler_missed_grace_sec
            for job in jobs:
                job_plan = self._plan(job)
                plan = plan_catchup(job_plan.schedule, due=job.next_run_at, now=now,
                                    grace_sec=grace)
                advances.append({"b_job_id": job.job_id, "b_next": plan.next_at})
                if plan.fire is None:
                    report.skipped += plan.skipped
                    continue
                row = self._run_row(job, job_plan, plan.fire, now)
                if job.job_id in busy:
                    row.update(status="skipped", finished_at=now,
                               skip_reason=f"run {busy[job.job_id]} still active "
                                           "(allow_overlap is false)")
                    report.skipped += 1
                else:
                    report.fired += 1
                    if (not (job.flow_group and job.flow_max_active_runs)
                            and job.priority not in held
                            and (row["not_before"] is None or row["not_before"] <= horizon)):
                        eligible.append(row)
                runs.append(row)
            # most urgent first, then most late, as the dispatch phase would order them
            eligible.sort(key=lambda r: (_RANK.get(r["priority"], 9),
                                         r["not_before"] or r["scheduled_for"]))
            for row in eligible[:max(budget, 0)]:
                row["dispatched_at"] = now
            sent = self._insert_ignore(session, runs)
            self._advance(session, advances)
            session.commit()
        # After the commit, so a fast worker always finds its run; a crash right here is
        # repaired by requeue_orphans (scheduler_dispatch_stale_sec).
        if sent:
            enqueue_runs(sent)
            report.dispatched += len(sent)
            report.dispatched_ids.extend(run_id for run_id, _ in sent)

    @staticmethod
    def _others_waiting(session: Session, *, horizon: datetime, held: set[str]) -> bool:
        """Is an older run (a retry, a run-now) waiting that fresh runs must not overtake?"""
        due_at = func.coalesce(Run.not_before, Run.scheduled_for)
        query = (
            select(col(Run.id))
            .where(col(Run.status) == "queued", col(Run.dispatched_at).is_(None),
                   col(Run.cancel_requested).is_(False), due_at <= horizon,
                   col(Run.flow_max_active_runs).is_(None))
            .limit(1)
        )
        if held:
            query = query.where(col(Run.priority).not_in(held))
        return session.execute(query).first() is not None

    @staticmethod
    def _run_row(job: Any, plan: _JobPlan, fire: datetime, now: datetime) -> dict[str, Any]:
        jitter = jitter_for(job_id=job.job_id, occurrence=fire,
                            jitter_sec=plan.schedule.jitter_sec)
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
            "max_attempts": plan.max_attempts,
            "timeout_ms": plan.timeout_ms,
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
    def pressure(self, *, report: TickReport) -> set[str]:
        report.depths = queue_depths(self.client)
        return held_priorities(total_depth=sum(report.depths.values()),
                               high=self.settings.scheduler_pressure_depth_high)

    def dispatch(self, *, now: datetime, report: TickReport, held: set[str]) -> None:
        """Send queued runs that wait (retries, run-now, flow-capped, held back)."""
        settings = self.settings
        horizon = now + timedelta(milliseconds=settings.scheduler_lookahead_ms)
        limit = settings.scheduler_max_dispatch_per_tick - report.dispatched
        if limit <= 0:
            return
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
                select(col(Run.id), col(Run.priority), col(Run.flow_group),
                       col(Run.flow_max_active_runs), col(Run.job_id), col(Run.trigger))
                .where(*base, col(Run.priority).not_in(held) if held else true(),
                       ~_serial_event_waits())
                .order_by(rank, due_at, col(Run.id))
                .limit(limit * 4)
            ).all()
            if not candidates:
                return
            serial = _serial_jobs(session, {c.job_id for c in candidates
                                            if c.trigger == "event"})
            groups = {c.flow_group for c in candidates if c.flow_group and c.flow_max_active_runs}
            active: dict[str, int] = {}
            if groups:
                active = dict(session.execute(
                    select(col(Run.flow_group), func.count())
                    .where(col(Run.flow_group).in_(groups), or_(
                        col(Run.status) == "running",
                        and_(col(Run.status) == "queued", col(Run.dispatched_at).is_not(None)),
                    ))
                    .group_by(Run.flow_group)
                ).all())
            chosen: list[tuple[int, str]] = []
            serial_sent: set[str] = set()
            for c in candidates:
                if c.trigger == "event" and c.job_id in serial:
                    if c.job_id in serial_sent:
                        continue  # one event run of a non-overlapping job at a time
                    serial_sent.add(c.job_id)
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
            sent_at = utcnow()
            ids = [run_id for run_id, _ in chosen]
            for start in range(0, len(ids), 900):
                session.execute(
                    update(Run)
                    .where(col(Run.id).in_(ids[start : start + 900]), col(Run.status) == "queued",
                           col(Run.dispatched_at).is_(None))
                    .values(dispatched_at=sent_at)
                    .execution_options(synchronize_session=False)
                )
            session.commit()
        report.dispatched += len(chosen)
        report.dispatched_ids.extend(ids)
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
    held = ticker.pressure(report=report)
    if reap:
        ticker.requeue_orphans(now=now, report=report)
    ticker.fire_due(now=now, report=report, held=held)
    ticker.dispatch(now=now, report=report, held=held)
    return report
