"""Figures for the dashboard and /metrics: runs by status, queues, lag, utilisation."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any, cast

import redis
from sqlalchemy import func
from sqlmodel import Session, col, select

from backend.core.redis import key
from backend.models import Job, Run
from backend.models.types import utcnow
from backend.worker.queues import queue_depths

__all__ = ["dashboard_summary", "scheduler_lag_sec", "runs_by_status"]


def runs_by_status(*, session: Session, since_hours: float | None = None) -> dict[str, int]:
    query = select(Run.status, func.count()).group_by(Run.status)
    if since_hours is not None:
        query = query.where(col(Run.created_at) >= utcnow() - timedelta(hours=since_hours))
    return {status: int(n) for status, n in session.exec(query).all()}


def scheduler_lag_sec(*, client: redis.Redis) -> float | None:
    """Seconds since the leading scheduler last ticked (None: no scheduler seen)."""
    raw = client.get(key("scheduler", "last_tick"))
    return None if raw is None else max(0.0, time.time() - float(cast(bytes, raw)))


def worker_utilisation(*, session: Session, threads: int) -> float:
    running = session.exec(
        select(func.count()).select_from(Run).where(col(Run.status) == "running")
    ).one()
    return min(1.0, int(running) / threads) if threads else 0.0


def dashboard_summary(*, session: Session, redis: redis.Redis) -> dict[str, Any]:
    """What the dashboard shows at a glance; cheap enough to compute every second."""
    from backend.core.config import get_settings

    settings = get_settings()
    today = runs_by_status(session=session, since_hours=24)
    ended = sum(today.get(s, 0) for s in ("succeeded", "failed", "timed_out"))
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
    except Exception:
        depths, lag = None, None  # Redis away: the dashboard says degraded, not crash
    return {
        "runs_today": today,
        "success_rate": (today.get("succeeded", 0) / ended) if ended else None,
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
