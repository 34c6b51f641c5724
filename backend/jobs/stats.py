"""Figures for the dashboard and /metrics: runs by status, queues, lag, utilisation."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any, cast

import redis
from sqlalchemy import Float, func
from sqlalchemy import cast as sql_cast
from sqlmodel import Session, col, select

from backend.core.outcome import NOTHING_DONE
from backend.core.redis import key
from backend.jobs.dry_run import DRY_RUN_PREFIX
from backend.models import Job, Run
from backend.models.types import utcnow
from backend.services.queues import queue_depths
from backend.services.worker_memory import worker_memory

__all__ = ["dashboard_summary", "scheduler_lag_sec", "runs_by_status", "idle_runs",
           "duration_vs_timeout", "api_success_rate"]


def runs_by_status(*, session: Session, since_hours: float | None = None,
                   dry_runs: bool = True) -> dict[str, int]:
    """Runs per status (of the last ``since_hours``); ``dry_runs=False`` leaves out the
    automation page's sandbox rehearsals, which are not the shop's work."""
    query = select(Run.status, func.count()).group_by(Run.status)
    if since_hours is not None:
        query = query.where(col(Run.created_at) >= utcnow() - timedelta(hours=since_hours))
    if not dry_runs:
        query = query.where(_not_dry_run())
    return {status: int(n) for status, n in session.exec(query).all()}


def idle_runs(*, session: Session, since_hours: float = 24, limit: int = 1000
              ) -> list[dict[str, Any]]:  # fmt: skip
    """Runs of the window that succeeded without doing their work, newest first, with
    their reasons (``backend.core.outcome``); dry runs left out."""
    rows = session.exec(
        select(Run.id, Run.job_id, Run.workflow, Run.finished_at,  # type: ignore[call-overload]
               Run.outcome_reason).where(
            col(Run.outcome) == NOTHING_DONE,
            col(Run.created_at) >= utcnow() - timedelta(hours=since_hours), _not_dry_run(),
        ).order_by(col(Run.id).desc()).limit(limit)
    ).all()
    return [{"id": r[0], "job_id": r[1], "workflow": r[2], "finished_at": r[3],
             "reason": r[4] or {}, "expected": bool((r[4] or {}).get("expected"))}
            for r in rows]  # fmt: skip


def _not_dry_run() -> Any:
    return ~col(Run.job_id).startswith(DRY_RUN_PREFIX, autoescape=True)


def scheduler_lag_sec(*, client: redis.Redis) -> float | None:
    """Seconds since the leading scheduler last ticked (None: no scheduler seen)."""
    raw = client.get(key("scheduler", "last_tick"))
    return None if raw is None else max(0.0, time.time() - float(cast(bytes, raw)))


def worker_utilisation(*, session: Session, threads: int) -> float:
    running = session.exec(
        select(func.count()).select_from(Run).where(col(Run.status) == "running")
    ).one()
    return min(1.0, int(running) / threads) if threads else 0.0


def duration_vs_timeout(*, session: Session, since_hours: float = 24) -> float | None:
    """Mean of each ended run's duration over its own ``timeout_ms`` (0.25: a quarter of
    the budget used), over the runs of the window (dry runs left out); None when none
    of them ended."""
    started, finished = col(Run.started_at), col(Run.finished_at)
    if session.get_bind().dialect.name == "postgresql":
        elapsed_ms = func.extract("epoch", finished - started) * 1000.0
    else:  # SQLite keeps the UTC wall-clock as text; julianday() reads it
        elapsed_ms = (func.julianday(finished) - func.julianday(started)) * 86_400_000.0
    ratio = session.exec(
        select(func.avg(sql_cast(elapsed_ms, Float) / Run.timeout_ms)).where(
            col(Run.status).in_(("succeeded", "failed", "timed_out")),
            started.is_not(None), finished.is_not(None), col(Run.timeout_ms) > 0,
            # created_at, like the day's run counts: indexed, where finished_at is not.
            col(Run.created_at) >= utcnow() - timedelta(hours=since_hours),
            _not_dry_run(),
        )
    ).one()
    return None if ratio is None else float(ratio)


def api_success_rate(*, client: redis.Redis, hours: int = 24) -> float | None:
    """Share of platform API calls answered 2xx/3xx in the last ``hours`` (tools.api_calls)."""
    from backend.core.config import get_settings
    from backend.tools.api_calls import api_call_totals

    ok, failed = api_call_totals(client=client, prefix=get_settings().redis_prefix, hours=hours)
    return ok / (ok + failed) if ok + failed else None


def dashboard_summary(*, session: Session, redis: redis.Redis) -> dict[str, Any]:
    """What the dashboard shows at a glance; cheap enough to compute every second."""
    from backend.core.config import get_settings

    settings = get_settings()
    today = runs_by_status(session=session, since_hours=24, dry_runs=False)
    ended = sum(today.get(s, 0) for s in ("succeeded", "failed", "timed_out"))
    idle = idle_runs(session=session)
    if idle:  # its own amber bucket, never counted green
        today["succeeded"] = today.get("succeeded", 0) - len(idle)
        today[NOTHING_DONE] = len(idle)
    # A run that did nothing although it was due to act counts as a failure here.
    succeeded = today.get("succeeded", 0) + sum(1 for r in idle if not r["expected"])
    active = session.exec(
        select(Run).where(col(Run.status) == "running").order_by(col(Run.started_at)).limit(20)
    ).all()
    failing = session.exec(
        select(Job).where(col(Job.consecutive_failures) > 0)
        .order_by(col(Job.consecutive_failures).desc()).limit(10)
    ).all()
    try:
        depths: dict[str, int] | None = queue_depths(redis)
        lag = scheduler_lag_sec(client=redis)
        api_rate = api_success_rate(client=redis)
        memory: dict[str, float] | None = worker_memory(
            client=redis, stale_after_sec=settings.worker_stale_after_sec)
    except Exception:  # Redis away: the dashboard says degraded, not crash
        depths, lag, api_rate, memory = None, None, None, None
    return {
        "runs_today": today,
        "success_rate": (succeeded / ended) if ended else None,
        "idle_runs": idle[:10],
        "api_success_rate": api_rate,
        "avg_duration_vs_timeout": duration_vs_timeout(session=session),
        # Total resident memory of the worker processes heard from (None: none yet).
        "worker_memory_mb": round(sum(memory.values()), 1) if memory else None,
        "worker_processes_reporting": len(memory or {}),
        "queue_depths": depths,
        "scheduler_lag_sec": lag,
        "worker_utilisation": worker_utilisation(
            session=session, threads=settings.worker_concurrency * settings.worker_processes),
        "active_runs": [
            {"id": r.id, "job_id": r.job_id, "workflow": r.workflow, "progress": r.progress,
             "message": r.progress_message, "started_at": r.started_at}
            for r in active
        ],
        "failing_jobs": [
            {"job_id": j.job_id, "consecutive_failures": j.consecutive_failures} for j in failing
        ],
        "jobs_total": int(session.exec(select(func.count()).select_from(Job)).one()),
    }
