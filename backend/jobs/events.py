"""Event intake: an event is recorded once and starts one run of each job it matches.

The event row and its runs are written in one transaction, before the sender is
answered: a crash before the commit leaves nothing (the sender delivers again, its
retry is the first), a crash after it leaves the runs queued. Re-delivered, the same
(source, event_id) finds its row and starts nothing. The runs are plain queued runs:
the scheduler's dispatch sends them under the job's flow group cap, priority and queue
pressure, the worker retries them by the job's policy, and their side effects go
through the same exactly-once ledger as scheduled runs. A job that does not allow
overlap runs its events one after another (the dispatch holds the next one back while
one is active): an event is never skipped, unlike a clock tick that finds its job busy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend.core.db import DB_UNAVAILABLE_ERRORS, write_transaction
from backend.core.errors import Unavailable
from backend.core.redis import wake_scheduler
from backend.domain.quiet import quiet_until
from backend.domain.spec import JobSpec
from backend.domain.triggers import matches
from backend.jobs.service import spec_of
from backend.models import Event, Job, Run
from backend.models.types import utcnow

__all__ = ["Intake", "ingest_event", "record_event", "event_input", "list_events", "run_due",
           "prune_events"]

DEFAULT_TIMEZONE = "Asia/Jakarta"  # an event job has no schedule to carry a zone


@dataclass(frozen=True, slots=True)
class Intake:
    """What became of one delivered event."""

    event: int  # events.id (the first delivery's, for a duplicate)
    duplicate: bool
    runs: list[int] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)


def _insert_event(session: Session, values: dict[str, Any]) -> int | None:
    """INSERT ... ON CONFLICT (source, event_id) DO NOTHING; the new id, or None."""
    table = Event.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (insert(table).values(**values)
            .on_conflict_do_nothing(index_elements=["source", "event_id"])
            .returning(table.c.id))
    return session.execute(stmt).scalar_one_or_none()


def _existing(session: Session, *, source: str, event_id: str) -> int:
    found = session.exec(select(Event.id).where(Event.source == source,
                                                Event.event_id == event_id)).one()
    return int(found or 0)


def _candidates(session: Session, *, kind: str, job_id: str | None) -> list[Job]:
    """Jobs an event of ``kind`` may start: enabled, not paused, with that trigger."""
    query = select(Job).where(col(Job.enabled).is_(True), col(Job.paused).is_(False),
                              Job.trigger_event == kind)
    if job_id is not None:
        query = query.where(Job.job_id == job_id)
    return list(session.exec(query.order_by(col(Job.job_id))).all())


def run_due(spec: JobSpec, *, at: datetime) -> datetime | None:
    """When an event's run may start, if later than ``at``: the trigger's ``delay_sec``
    (a cart left unpaid N hours), then past the job's quiet hours (a thank-you for an
    order paid at 23:00 goes at 08:00)."""
    delay = spec.trigger.delay_sec if spec.trigger is not None else None
    due = at + timedelta(seconds=delay or 0)
    zone = spec.schedule.timezone if spec.schedule is not None else DEFAULT_TIMEZONE
    quiet = (spec.inputs.model_extra or {}).get("quiet_hours")
    due = quiet_until(quiet, tz=zone, at=due) or due
    return due if due > at else None


def _start_run(session: Session, *, job: Job, event_pk: int, at: datetime) -> int | None:
    """One queued run of ``job`` for the event, unless it has one. (job_id,
    scheduled_for) is unique too: two events of one job in the same microsecond take
    the next free one."""
    from backend.jobs.runs import new_run  # the runs module imports the service

    spec = spec_of(job)
    not_before = run_due(spec, at=at)
    for shift in range(50):
        run = new_run(job=job, spec=spec, scheduled_for=at + timedelta(microseconds=shift),
                      trigger="event", not_before=not_before)
        run.event_id = event_pk
        try:
            with session.begin_nested():
                session.add(run)
                session.flush()
        except IntegrityError:
            taken = session.exec(select(Run.id).where(Run.job_id == job.job_id,
                                                      Run.event_id == event_pk)).first()
            if taken is not None:
                return None
            continue
        return run.id
    raise RuntimeError(f"no free occurrence for event {event_pk} of job {job.job_id}")


def record_event(*, session: Session, source: str, event_id: str, kind: str,
                 data: dict[str, Any], job_id: str | None = None,
                 occurred_at: datetime | None = None, now: datetime | None = None) -> Intake:
    """Record the event and queue a run of each job it matches (in ``session``; the
    caller commits). ``job_id``: the event is for that job only (a webhook)."""
    now = now or utcnow()
    pk = _insert_event(session, {
        "source": source, "event_id": event_id, "kind": kind, "job_id": job_id,
        "data": data, "occurred_at": occurred_at, "received_at": now, "runs_started": 0})
    if pk is None:
        return Intake(event=_existing(session, source=source, event_id=event_id),
                      duplicate=True)
    runs: list[int] = []
    jobs: list[str] = []
    for job in _candidates(session, kind=kind, job_id=job_id):
        trigger = spec_of(job).trigger
        if trigger is None or not matches(trigger, kind=kind, data=data):
            continue
        run_id = _start_run(session, job=job, event_pk=pk, at=now)
        if run_id is not None:
            runs.append(run_id)
            jobs.append(job.job_id)
    if runs:
        session.execute(update(Event).where(col(Event.id) == pk)
                        .values(runs_started=len(runs)))
    return Intake(event=pk, duplicate=False, runs=runs, jobs=jobs)


def ingest_event(*, source: str, event_id: str, kind: str, data: dict[str, Any],
                 job_id: str | None = None, occurred_at: datetime | None = None) -> Intake:
    """``record_event`` in its own transaction, then wake the scheduler so the runs are
    sent now rather than on its next idle tick."""
    try:
        # A short write transaction: on SQLite, this process's writers take turns on a
        # lock instead of SQLite's sleeping busy handler, which under a burst of
        # concurrent deliveries starves some of them past the sender's timeout.
        with write_transaction() as conn:
            session = Session(bind=conn, expire_on_commit=False)
            intake = record_event(session=session, source=source, event_id=event_id,
                                  kind=kind, data=data, job_id=job_id,
                                  occurred_at=occurred_at)
            session.flush()
    except DB_UNAVAILABLE_ERRORS as exc:
        raise Unavailable(f"database unavailable: {type(exc).__name__}") from exc
    if intake.runs:
        wake_scheduler("event")
    return intake


def event_input(*, session: Session, event_pk: int) -> dict[str, Any] | None:
    """The event as a run sees it, ``inputs.event``."""
    event = session.get(Event, event_pk)
    if event is None:
        return None
    return {"id": event.event_id, "kind": event.kind, "source": event.source,
            "occurred_at": event.occurred_at.isoformat() if event.occurred_at else None,
            "received_at": event.received_at.isoformat(), "data": event.data}


def list_events(*, session: Session, kind: str | None = None, job_id: str | None = None,
                offset: int = 0, limit: int = 50) -> tuple[list[Event], int]:
    """Events received, newest first; ``job_id``: those that started a run of that job
    (or were sent to it, a webhook)."""
    query = select(Event)
    if kind:
        query = query.where(Event.kind == kind)
    if job_id:
        started = select(Run.event_id).where(Run.job_id == job_id,
                                             col(Run.event_id).is_not(None))
        query = query.where(or_(col(Event.job_id) == job_id, col(Event.id).in_(started)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Event.id).desc()).offset(offset).limit(limit)).all()
    return list(rows), int(total)


def prune_events(*, before: datetime, batch: int = 1000) -> int:
    """Delete events received before ``before`` none of whose runs is still queued or
    running, ``batch`` at a time; their runs keep their history but no longer point at
    them. The number deleted."""
    active = exists().where(col(Run.event_id) == col(Event.id),
                            col(Run.status).in_(("queued", "running")))  # fmt: skip
    with write_transaction() as conn:
        ids = list(conn.execute(select(Event.id).where(col(Event.received_at) < before, ~active)
                                .order_by(col(Event.id)).limit(batch)).scalars())
        if not ids:
            return 0
        conn.execute(update(Run).where(col(Run.event_id).in_(ids)).values(event_id=None))
        conn.execute(delete(Event).where(col(Event.id).in_(ids)))
    return len(ids)
