"""The life of one run inside a worker: claim, attempt, heartbeat, finish or retry.

Every transition is a conditional UPDATE, so a duplicate message, a second worker or a
worker presumed dead can never finish a run twice:

    queued --claim--> running --ok--> succeeded
                         |--error, retries left--> queued (not_before = now + backoff)
                         |--error, none left / non-retryable--> failed
                         |--timeout_ms--> timed_out (or queued for a retry)
                         |--cancel--> cancelled
    running, heartbeat stale --claim by another worker--> running (attempt resumed)
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import select

from backend.connectors.runtime import sandbox_only
from backend.core.config import get_settings
from backend.core.db import DB_UNAVAILABLE_ERRORS, session_scope, write_transaction
from backend.core.errors import RunCancelled, Unavailable, WorkflowError
from backend.core.messages import message as user_text
from backend.core.outcome import NOTHING_DONE, nothing_done_of
from backend.core.redis import publish_event
from backend.domain.spec import JobSpec
from backend.jobs.dry_run import is_dry_run
from backend.jobs.events import event_input
from backend.models import Alert, Job, JobVersion
from backend.models.types import utcnow
from backend.worker.context import RunContext
from backend.worker.group_write import group_write
from backend.worker.heartbeat import get_monitor
from backend.worker.statements import statements
from backend.workflows import get_workflow

__all__ = ["execute_run", "worker_id"]

log = logging.getLogger("spio.worker")
_WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def worker_id() -> str:
    return f"{_WORKER_ID}:{threading.get_ident()}"


@dataclass(frozen=True, slots=True)
class _Claimed:
    """What a worker needs of the run it just claimed."""

    id: int
    job_id: str
    workflow: str
    attempt: int
    spec_version: int
    timeout_ms: int
    starts_at: datetime
    scheduled_for: datetime
    event_id: int | None = None


def _claim(run_id: int, me: str) -> _Claimed | None:
    """Take the run (queued, or running with a silent worker) in one short transaction,
    shared with the other threads' lifecycle writes of the moment (group_write)."""
    now = utcnow()
    stale = now - timedelta(seconds=get_settings().worker_stale_after_sec)
    return group_write(functools.partial(_claim_in, run_id=run_id, me=me, now=now,
                                         stale=stale))


def _claim_in(conn: Any, *, run_id: int, me: str, now: datetime, stale: datetime
              ) -> _Claimed | None:  # fmt: skip
    sql = statements()
    row = conn.execute(sql.claim, {"b_id": run_id, "b_me": me, "b_now": now,
                                   "b_stale": stale}).first()
    if row is None:
        return None
    starts_at = max(now, row.not_before or row.scheduled_for)
    if row.attempt > 1:
        # An earlier attempt that never wrote its row had a worker that vanished: it
        # is recorded as abandoned, does not count against the retry budget, and
        # this attempt resumes from its checkpoints.
        recorded = set(conn.execute(sql.attempt_numbers, {"b_id": run_id}).scalars())
        for number in range(1, row.attempt):
            if number not in recorded:
                conn.execute(sql.insert_attempt, {
                    "b_id": run_id, "b_number": number, "b_worker": None,
                    "b_status": "abandoned", "b_start": None, "b_finished": now,
                    "b_error": "worker stopped answering"})
    return _Claimed(id=run_id, job_id=row.job_id, workflow=row.workflow, attempt=row.attempt,
                    spec_version=row.spec_version, timeout_ms=row.timeout_ms,
                    starts_at=starts_at, scheduled_for=row.scheduled_for,
                    event_id=row.event_id)


@functools.lru_cache(maxsize=2048)
def _spec_version(database: str, job_id: str, version: int) -> JobSpec | None:
    """A job's spec at a version. (job_id, version) never changes meaning within a
    database (versions keep counting when a job is re-created), so each is read once."""
    with session_scope() as session:
        spec = session.execute(
            select(JobVersion.spec).where(JobVersion.job_id == job_id,
                                          JobVersion.version == version)
        ).scalar_one_or_none()
    return None if spec is None else JobSpec.model_validate(spec)


def _load_spec(run: _Claimed) -> JobSpec:
    spec = _spec_version(get_settings().resolved_database_url, run.job_id, run.spec_version)
    if spec is not None:
        return spec
    with session_scope() as session:
        job = session.get(Job, run.job_id)
        if job is None:
            raise WorkflowError(f"job {run.job_id!r} no longer exists")
        return JobSpec.model_validate(job.spec)


class AttemptTimedOut(Exception):
    """The attempt ran past the job's timeout_ms (not a timeout inside the workflow)."""


async def _drive(ctx: RunContext, workflow: Any, timeout_sec: float, hb_box: dict[str, Any]) -> Any:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    assert task is not None
    hb_box["cancel"] = lambda: loop.call_soon_threadsafe(task.cancel)
    hb_box["ready"].set()
    deadline = asyncio.timeout(timeout_sec)
    try:
        # A dry run (automation page) talks to the sandbox even where accounts are live.
        with sandbox_only(is_dry_run(ctx.job_id)):
            async with deadline:
                return await workflow(ctx)
    except TimeoutError:
        if deadline.expired():
            raise AttemptTimedOut from None
        raise
    finally:
        await ctx.aclose()


_LOOPS = threading.local()


def _run_in_thread_loop(coro: Any) -> Any:
    """Like asyncio.run, but each worker thread keeps its event loop (and the loop's
    thread pool) for the next run instead of building and tearing them down per run."""
    loop = getattr(_LOOPS, "loop", None)
    if loop is None or loop.is_closed():
        loop = _LOOPS.loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(coro)
    finally:
        leftovers = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in leftovers:  # background tasks a workflow forgot must not leak into the next run
            task.cancel()
        if leftovers:
            loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))


_CLAIM_PATIENCE_SEC = 30.0


_CLAIM_RETRY_ERRORS: tuple[type[Exception], ...] = (*DB_UNAVAILABLE_ERRORS, Unavailable)


def _claim_patiently(run_id: int, me: str) -> _Claimed | None:
    """Claim, waiting out a short database outage: the message is all this worker has
    of the run, and dropping it would leave the run waiting for the scheduler's
    dispatch-stale re-send (minutes) instead of the seconds the outage lasted."""
    deadline = time.monotonic() + _CLAIM_PATIENCE_SEC
    pause = 0.25
    while True:
        try:
            return _claim(run_id, me)
        except _CLAIM_RETRY_ERRORS:
            if time.monotonic() + pause > deadline:
                raise
            log.warning("database unavailable; claiming run %s again in %.2f s", run_id, pause)
            time.sleep(pause)
            pause = min(pause * 2, 4.0)


def execute_run(run_id: int) -> str:
    """Run (or resume) one run to its next state. Returns the state it left the run in.

    Idempotent: a duplicate message for a run that another worker holds, or that has
    ended, does nothing.
    """
    me = worker_id()
    run = _claim_patiently(run_id, me)
    if run is None:
        return "not-claimed"
    publish_event("run.updated", run_id=run_id, job_id=run.job_id, status="running",
                  attempt=run.attempt)
    settings = get_settings()
    try:
        spec = _load_spec(run)
        workflow = get_workflow(run.workflow)
    except WorkflowError as exc:
        return _finish(run, me, status="failed", error=str(exc), error_type=type(exc).__name__,
                       retry=False)

    # Dispatched a little ahead of time (the scheduler's look-ahead): start on the dot.
    wait = run.starts_at.timestamp() - time.time()
    if 0 < wait < 5:
        time.sleep(wait)

    ctx = RunContext(run_id=run_id, job_id=run.job_id, attempt=run.attempt, spec=spec,
                     settings=settings, scheduled_for=run.scheduled_for)
    if run.event_id is not None:  # started by an event: the workflow reads it as an input
        with session_scope() as session:
            ctx.inputs["event"] = event_input(session=session, event_pk=run.event_id)
    hb_box: dict[str, Any] = {"ready": threading.Event()}

    def cancel() -> None:
        hb_box["ready"].wait(5)
        if "cancel" in hb_box:
            hb_box["cancel"]()

    monitor = get_monitor()
    heartbeat = monitor.hold(run_id, worker_id=me, on_cancel=cancel, flush_logs=ctx.flush_logs)
    outcome: tuple[str, str | None, str | None, Any, bool]
    try:
        result = _run_in_thread_loop(_drive(ctx, workflow, run.timeout_ms / 1000, hb_box))
        outcome = ("succeeded", None, None, result, False)
    except AttemptTimedOut:
        stopped = ctx.failed_step or ctx.current_step
        where = f" in step {stopped!r}" if stopped else ""
        outcome = ("timed_out", f"timed out after {run.timeout_ms} ms{where}", "Timeout",
                   None, True)
    except (asyncio.CancelledError, RunCancelled):
        outcome = ("cancelled", "cancelled by user", "Cancelled", None, False)
    except WorkflowError as exc:
        outcome = ("failed", str(exc), type(exc).__name__, None, exc.retryable)
    except Exception as exc:
        tb = traceback.format_exc(limit=8)
        ctx.log(f"{type(exc).__name__}: {exc}\n{tb}", level="error")
        outcome = ("failed", f"{type(exc).__name__}: {exc}", type(exc).__name__, None, True)
    finally:
        monitor.release(run_id)
        try:
            ctx.flush_logs()
        except Exception:
            log.warning("could not flush logs of run %s", run_id, exc_info=True)
    if heartbeat.lost:
        return "lost"  # another worker owns the run now
    status, error, error_type, result, retryable = outcome
    if heartbeat.handed_back and status == "cancelled":
        return _hand_back(run, me)
    return _finish(run, me, status=status, error=error, error_type=error_type,
                   result=result, retry=retryable, spec=spec)


def _finish(
    run: _Claimed,
    me: str,
    *,
    status: str,
    error: str | None,
    error_type: str | None,
    retry: bool,
    result: Any = None,
    spec: JobSpec | None = None,
) -> str:
    """Close the attempt and move the run on (ended, or queued for its retry) in one
    transaction, unless another worker took the run over meanwhile."""
    now = utcnow()
    # Succeeded, but did none of its work: stored as such (amber, with the reason).
    reason = nothing_done_of(result) if status == "succeeded" else None
    if reason is not None:
        result = {**result, NOTHING_DONE: reason}
    params: dict[str, Any] = {"b_id": run.id, "b_me": me, "b_now": now, "b_error": error,
                              "b_error_type": error_type, "b_status": status,
                              "b_result": result, "b_outcome": NOTHING_DONE if reason else None,
                              "b_outcome_reason": reason}
    # One transaction, shared with the other threads' lifecycle writes of the moment.
    moved = group_write(functools.partial(_finish_in, run=run, me=me, status=status,
                                          retry=retry, spec=spec, params=params, now=now,
                                          reason=reason))  # fmt: skip
    if moved is None:
        return "lost"  # another worker owns the run now; nothing was written
    next_state, final = moved
    publish_event("run.updated", run_id=run.id, job_id=run.job_id,
                  status="queued" if not final else status, error=error,
                  outcome=NOTHING_DONE if reason else None)
    return next_state


def _finish_in(conn: Any, *, run: _Claimed, me: str, status: str, retry: bool,
               spec: JobSpec | None, params: dict[str, Any], now: datetime,
               reason: dict[str, Any] | None) -> tuple[str, bool] | None:  # fmt: skip
    """The writes of :func:`_finish`; None when another worker owns the run."""
    sql = statements()
    params = dict(params)  # a batch written again must start from the caller's values
    final = True
    next_state = status
    finish = sql.finish_succeeded if status == "succeeded" else sql.finish_final
    if status in ("failed", "timed_out") and retry:
        earlier, max_attempts = conn.execute(sql.failures, {"b_id": run.id}).one()
        failures = earlier + 1  # this attempt's failure is not recorded yet
        if failures < (max_attempts or 1):
            delay = spec.retry_policy.delay_for(retry_number=failures) if spec else 0.0
            params["b_not_before"] = now + timedelta(seconds=delay)
            finish = sql.finish_retry
            final = False
            next_state = "retrying"
    if conn.execute(finish, params).rowcount != 1:
        return None
    conn.execute(sql.insert_attempt, {
        "b_id": run.id, "b_number": run.attempt, "b_worker": me, "b_status": status,
        "b_start": run.starts_at, "b_finished": now, "b_error": params["b_error"]})
    if final:
        _record_outcome(conn, run=run, status=status, now=now, nothing_done=reason)
    return next_state, final


def _hand_back(run: _Claimed, me: str) -> str:
    """This worker shuts down: record the attempt as abandoned (it does not count against
    the retry budget) and queue the run again at once, for any worker to resume from its
    checkpoints, instead of leaving it to look dead for worker_stale_after_sec."""
    sql = statements()
    now = utcnow()
    with write_transaction() as conn:
        if conn.execute(sql.hand_back, {"b_id": run.id, "b_me": me, "b_now": now}).rowcount != 1:
            return "lost"
        conn.execute(sql.insert_attempt, {
            "b_id": run.id, "b_number": run.attempt, "b_worker": me, "b_status": "abandoned",
            "b_start": run.starts_at, "b_finished": now, "b_error": "worker shut down"})
    publish_event("run.updated", run_id=run.id, job_id=run.job_id, status="queued")
    return "handed-back"


def _record_outcome(conn: Any, *, run: _Claimed, status: str, now: datetime,
                    nothing_done: dict[str, Any] | None = None) -> None:
    """Track failures in a row per job and raise an alert at the configured count.

    A run that did nothing although it was expected to act (``nothing_done`` with
    ``expected``) counts as a failure here and raises its own alert with the reason:
    green must never hide a campaign that sent nothing."""
    sql = statements()
    expected_idle = nothing_done is not None and bool(nothing_done.get("expected"))
    if status == "succeeded" and not expected_idle:
        conn.execute(sql.job_succeeded, {"b_job": run.job_id, "b_now": now})
        return
    failed = status in ("failed", "timed_out") or expected_idle
    failures = conn.execute(sql.job_failed, {"b_job": run.job_id, "b_now": now,
                                             "b_inc": 1 if failed else 0}).scalar_one_or_none()
    if expected_idle and nothing_done is not None:
        conn.execute(insert(Alert).values(
            job_id=run.job_id, run_id=run.id, kind=NOTHING_DONE, acknowledged=False,
            message=user_text("alert.nothing_done", job=run.job_id,
                              reason={"key": nothing_done["key"],
                                      "params": nothing_done.get("params") or {}}),
            details=nothing_done, created_at=now))
        publish_event("alert", job_id=run.job_id, run_id=run.id, kind=NOTHING_DONE)
    threshold = get_settings().failure_alert_after
    if failed and failures == threshold:
        conn.execute(insert(Alert).values(
            job_id=run.job_id, run_id=run.id, kind="consecutive_failures", acknowledged=False,
            message=user_text("alert.consecutive_failures", job=run.job_id, n=threshold),
            created_at=now))
        publish_event("alert", job_id=run.job_id, kind="consecutive_failures")
