"""Helpers the reliability tests and bench/soak.py share: jobs of the ``sleep`` workflow,
pausing everything and waiting for the system to drain, and the side-effect ledger."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import col, select

from backend.core.db import session_scope
from backend.core.redis import get_redis, key
from backend.jobs import service
from backend.jobs.validation import parse_spec
from backend.models import Job, Run, RunStep

__all__ = ["sleep_job", "create", "pause_all", "wait_drained", "wait_for", "effects_report",
           "status_counts"]

T = TypeVar("T")


def sleep_job(job_id: str, *, interval: float | None = 1, overlap: bool = True,
              **inputs: Any) -> dict[str, Any]:
    """A spec of the ``sleep`` test workflow (see backend/workflows/sleep.py)."""
    extra = {k: inputs.pop(k) for k in ("retry_policy", "timeout_ms")
             if k in inputs}
    spec: dict[str, Any] = {"job_id": job_id, "workflow": "sleep",
                            "inputs": {"allow_overlap": overlap, **inputs}, **extra}
    if interval:
        spec["schedule"] = {"interval_sec": interval, "missed": "run_once"}
    return spec


def create(spec: dict[str, Any]) -> None:
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="reliability")


def pause_all() -> None:
    with session_scope() as session:
        for job in session.exec(select(Job)).all():
            job.paused = True
            session.add(job)


def wait_for(predicate: Callable[[], T], *, timeout: float, interval: float = 0.2) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in {timeout} s")
        time.sleep(interval)


def status_counts() -> dict[str, int]:
    with session_scope() as session:
        rows = session.exec(select(Run.status, func.count()).group_by(Run.status)).all()
    return dict(rows)  # type: ignore[arg-type]


def wait_drained(*, timeout: float) -> dict[str, int]:
    """Until no run is queued or running (jobs paused first, or this never ends)."""
    def drained() -> dict[str, int] | None:
        counts = status_counts()
        return None if counts.get("queued") or counts.get("running") else counts or {"": 0}

    try:
        return wait_for(drained, timeout=timeout, interval=0.3)
    except AssertionError:
        with session_scope() as session:
            stuck = session.exec(select(Run).where(col(Run.status).in_(("queued", "running")))
                                 .limit(10)).all()
        raise AssertionError(f"not drained in {timeout} s: {status_counts()}; e.g. "
                             + "; ".join(f"{r.id} {r.job_id} {r.status} attempt {r.attempt} "
                                         f"sent {r.dispatched_at} beat {r.heartbeat_at} "
                                         f"not_before {r.not_before}" for r in stuck)) from None


def effects_report(*, steps: int, effects: int) -> dict[str, int]:
    """Side effects of the sleep workflow against what the runs table says happened.

    The receiver (a Redis hash per job, like the sandbox) counts deliveries per
    idempotency key and acts once per key. ``missing`` are effects of a succeeded step
    that never arrived; ``duplicated`` are keys of runs that do not exist or belong to a
    step that never ran (an act the system cannot account for); ``redelivered`` are keys
    delivered more than once (a worker killed between the act and its ledger write,
    absorbed by the receiver's dedup, as it is by real platforms)."""
    client = get_redis()
    with session_scope() as session:
        done_steps = session.exec(
            select(RunStep.run_id, RunStep.name, Run.job_id)
            .join(Run, col(Run.id) == RunStep.run_id)
            .where(RunStep.status == "succeeded", Run.workflow == "sleep")
        ).all()
        job_ids = list(session.exec(select(Job.job_id).where(Job.workflow == "sleep")).all())
        known_runs = set(session.exec(select(Run.id)).all())
    expected: set[str] = set()
    for run_id, name, job_id in done_steps:
        index = int(name.removeprefix("step-")) - 1
        expected |= {f"{job_id}:{run_id}:{index}:{e}" for e in range(effects)}
    delivered: dict[str, int] = {}
    for job_id in job_ids:
        delivered.update({k: int(n) for k, n in client.hgetall(key("test-effects", job_id))
                          .items()})
    unknown = [k for k in delivered if int(k.rsplit(":", 3)[1]) not in known_runs]
    return {
        "expected": len(expected),
        "delivered_keys": len(delivered),
        "missing": len(expected - set(delivered)),
        "duplicated": len(unknown),
        "redelivered": sum(1 for n in delivered.values() if n > 1),
    }
