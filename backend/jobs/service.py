"""Job service: the only code that writes the jobs table. API, UI, CLI and planner call it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, or_
from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from backend.core.errors import Conflict, ErrorItem, InvalidInput, NotFound
from backend.domain.schedule import first_fire
from backend.domain.spec import JobSpec
from backend.jobs.validation import ParsedSpec, parse_spec
from backend.models import Job, JobState, JobVersion, Run
from backend.models.types import utcnow

__all__ = [
    "create_job",
    "update_job",
    "patch_job",
    "delete_job",
    "set_paused",
    "run_now",
    "get_job",
    "list_jobs",
    "job_versions",
    "revert_job",
    "spec_of",
]


def spec_of(job: Job) -> JobSpec:
    """The job's stored spec as a model (it was validated on the way in)."""
    return JobSpec.model_validate(job.spec)


def _apply(job: Job, spec: JobSpec, *, now: datetime, reschedule: bool) -> None:
    job.type = spec.type
    job.workflow = spec.workflow or "agent"
    job.spec = spec.public_dict()
    job.enabled = spec.enabled
    job.priority = spec.inputs.pressure_priority
    job.flow_group = spec.inputs.flow_group
    job.flow_max_active_runs = spec.inputs.flow_max_active_runs
    job.allow_overlap = spec.inputs.allow_overlap
    job.trigger_event = spec.trigger.event if spec.trigger else None
    if job.trigger_event != "webhook":  # no longer a webhook job: its secret goes
        job.hook_secret_encrypted = None
    job.updated_at = now
    if reschedule:
        job.next_run_at = first_fire(spec.schedule, now=now) if spec.schedule else None


# Is the id taken, and which version did it reach? A job deleted and created again keeps
# counting versions: (job_id, version) names one spec forever, which runs and the
# workers' spec cache rely on. One round trip, and a statement built once.
_TAKEN_AND_LAST = sa_select(
    sa_select(col(Job.job_id)).where(col(Job.job_id) == bindparam("job_id")).exists(),
    sa_select(func.max(JobVersion.version))
    .where(col(JobVersion.job_id) == bindparam("job_id")).scalar_subquery(),
)


def create_job(*, session: Session, parsed: ParsedSpec, actor: str) -> Job:
    """Store a new job; 409 when the id is taken. Nothing is written on failure."""
    spec = parsed.spec
    taken, last = session.execute(_TAKEN_AND_LAST, {"job_id": spec.job_id}).one()
    if taken:
        raise Conflict(f"job {spec.job_id!r} already exists (use PUT to replace it)",
                       key="error.job_exists", params={"job": spec.job_id})
    now = utcnow()
    job = Job(job_id=spec.job_id, type=spec.type, workflow=spec.workflow or "agent", spec={},
              version=(last or 0) + 1)
    job.workflow_inferred = parsed.workflow_inferred
    job.created_by = actor
    job.created_at = now
    _apply(job, spec, now=now, reschedule=True)
    try:
        _insert_new(session, job, actor=actor)
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(f"job {spec.job_id!r} already exists", key="error.job_exists",
                       params={"job": spec.job_id}) from exc
    return job


_JOB_COLUMNS = tuple(column.name for column in Job.__table__.columns)  # type: ignore[attr-defined]
_INSERT_JOB = sa_insert(Job.__table__)  # type: ignore[attr-defined]
_INSERT_VERSION = sa_insert(JobVersion.__table__)  # type: ignore[attr-defined]


def _insert_new(session: Session, job: Job, *, actor: str) -> None:
    """The job's row and its first version, as two plain INSERTs: the ORM's flush (unit
    of work, identity map, state bookkeeping) cost a quarter of POST /jobs. The job then
    joins the session as a stored row, so later changes to it are UPDATEs."""
    conn = session.connection()
    conn.execute(_INSERT_JOB, {name: getattr(job, name) for name in _JOB_COLUMNS})
    conn.execute(_INSERT_VERSION, {"job_id": job.job_id, "version": job.version,
                                   "spec": job.spec, "created_by": actor,
                                   "created_at": job.created_at})
    make_transient_to_detached(job)
    session.add(job)


def get_job(*, session: Session, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"no job {job_id!r}", key="error.no_job", params={"job": job_id})
    return job


def update_job(*, session: Session, job_id: str, parsed: ParsedSpec, actor: str) -> Job:
    """Replace a job's spec (a new version); the schedule restarts from now if it changed."""
    job = get_job(session=session, job_id=job_id)
    spec = parsed.spec
    if spec.job_id != job_id:
        raise InvalidInput([ErrorItem("job_id", f"must match the URL ({job_id!r})")])
    old_schedule = job.spec.get("schedule")
    now = utcnow()
    _apply(job, spec, now=now, reschedule=spec.public_dict().get("schedule") != old_schedule)
    job.workflow_inferred = parsed.workflow_inferred
    job.version += 1
    session.add(job)
    session.add(JobVersion(job_id=job_id, version=job.version, spec=job.spec, created_by=actor))
    return job


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """JSON merge patch (RFC 7386): null deletes, objects merge, the rest replaces."""
    out = dict(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def patch_job(*, session: Session, job_id: str, changes: dict[str, Any], actor: str) -> Job:
    job = get_job(session=session, job_id=job_id)
    merged = _merge(job.spec, changes)
    if job.workflow_inferred and "workflow" not in changes:
        merged.pop("workflow", None)  # re-infer from the patched inputs
    return update_job(session=session, job_id=job_id, parsed=parse_spec(merged), actor=actor)


def delete_job(*, session: Session, job_id: str) -> None:
    """Remove a job; its runs stay as history, queued ones are cancelled. What it kept
    between runs (a sync's watermark, feed cursors) goes with it: a job created again
    under the same id starts from its spec, not from the old job's place."""
    job = get_job(session=session, job_id=job_id)
    for run in session.exec(
        select(Run).where(Run.job_id == job_id, col(Run.status) == "queued")
    ).all():
        run.status = "cancelled"
        run.finished_at = utcnow()
        run.error = "job deleted"
        session.add(run)
    for run in session.exec(
        select(Run).where(Run.job_id == job_id, col(Run.status) == "running")
    ).all():
        run.cancel_requested = True
        session.add(run)
    session.exec(delete(JobState).where(col(JobState.job_id) == job_id))
    session.delete(job)


def set_paused(*, session: Session, job_id: str, paused: bool) -> Job:
    """Pause or resume. Resuming starts the schedule afresh from now (no backlog burst)."""
    job = get_job(session=session, job_id=job_id)
    if job.paused != paused:
        job.paused = paused
        if not paused:
            spec = spec_of(job)
            job.next_run_at = first_fire(spec.schedule, now=utcnow()) if spec.schedule else None
        job.updated_at = utcnow()
        session.add(job)
    return job


def run_now(*, session: Session, job_id: str, trigger: str = "manual") -> Run:
    """Queue a run of the job at once; the scheduler dispatches it on its next tick."""
    from backend.jobs.runs import new_run  # the runs module imports this one

    job = get_job(session=session, job_id=job_id)
    run = new_run(job=job, spec=spec_of(job), scheduled_for=utcnow(), trigger=trigger)
    session.add(run)
    session.flush()
    return run


def queue_follow_up(*, session: Session, job_id: str, trigger: str) -> Run | None:
    """A run of the job at once, unless one is already waiting to start (it will see
    the same work); None then. A running one may have looked already, so it does not
    count."""
    waiting = session.exec(select(Run.id).where(
        Run.job_id == job_id, Run.status == "queued")).first()
    if waiting is not None:
        return None
    return run_now(session=session, job_id=job_id, trigger=trigger)


def list_jobs(
    *,
    session: Session,
    search: str | None = None,
    workflow: str | None = None,
    status: str | None = None,
    flow_group: str | None = None,
    priority: str | None = None,
    trigger: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Job], int]:
    """Jobs matching the filters, by id; ``status`` is active | paused | disabled;
    ``trigger`` is ``event`` (any event trigger), one event (``order.paid``) or
    ``schedule`` (no event trigger: on a clock, or run by hand)."""
    query = select(Job)
    if trigger == "schedule":
        query = query.where(col(Job.trigger_event).is_(None))
    elif trigger == "event":
        query = query.where(col(Job.trigger_event).is_not(None))
    elif trigger:
        query = query.where(Job.trigger_event == trigger)
    if search:
        like = f"%{search.lower()}%"
        query = query.where(or_(func.lower(Job.job_id).like(like), func.lower(Job.type).like(like)))
    if workflow:
        query = query.where(Job.workflow == workflow)
    if flow_group:
        query = query.where(Job.flow_group == flow_group)
    if priority:
        query = query.where(Job.priority == priority)
    if status == "paused":
        query = query.where(col(Job.paused).is_(True))
    elif status == "disabled":
        query = query.where(col(Job.enabled).is_(False))
    elif status == "active":
        query = query.where(col(Job.paused).is_(False), col(Job.enabled).is_(True))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Job.job_id).offset(offset).limit(limit)).all()
    return list(rows), int(total)


def job_versions(*, session: Session, job_id: str) -> list[JobVersion]:
    get_job(session=session, job_id=job_id)
    rows = session.exec(
        select(JobVersion)
        .where(JobVersion.job_id == job_id)
        .order_by(col(JobVersion.version).desc())
    ).all()
    return list(rows)


def revert_job(*, session: Session, job_id: str, version: int, actor: str) -> Job:
    """Save an earlier version's spec as the newest version."""
    old = session.exec(
        select(JobVersion).where(JobVersion.job_id == job_id, JobVersion.version == version)
    ).first()
    if old is None:
        raise NotFound(f"job {job_id!r} has no version {version}")
    return update_job(session=session, job_id=job_id, parsed=parse_spec(old.spec), actor=actor)

