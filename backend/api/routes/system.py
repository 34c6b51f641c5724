"""/health (no token) and /metrics (Prometheus text)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text
from sqlmodel import Session

from backend.api.deps import SessionDep, ViewerDep
from backend.core.config import PRIORITIES, get_settings
from backend.core.db import get_engine
from backend.core.redis import get_redis, persistence
from backend.jobs.stats import runs_by_status, scheduler_lag_sec, worker_utilisation
from backend.worker.queues import queue_depths

router = APIRouter(tags=["system"])


@router.get("/health")
def health() -> JSONResponse:
    """Liveness of the parts; 503 with the failing part named when degraded."""
    checks: dict[str, Any] = {}
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unavailable ({type(exc).__name__})"
    try:
        client = get_redis()
        client.ping()
        checks["redis"] = "ok"
        kept = persistence(client)
        if kept == "none":
            # Not degraded (everything works), but a restart would lose queued runs and
            # the record of sent messages: say so where operators look.
            checks["redis_persistence"] = ("none: a Redis restart loses queued runs and the "
                                           "sent-message ledger; enable appendonly")
        else:
            checks["redis_persistence"] = kept
        lag = scheduler_lag_sec(client=client)
        checks["scheduler"] = "ok" if lag is not None and lag < 10 else (
            "not seen" if lag is None else f"last tick {lag:.0f} s ago")
    except Exception as exc:
        checks["redis"] = f"unavailable ({type(exc).__name__})"
    degraded = checks.get("database") != "ok" or checks.get("redis") != "ok"
    body = {"status": "degraded" if degraded else "ok", "checks": checks}
    return JSONResponse(body, status_code=503 if degraded else 200)


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(session: SessionDep, who: ViewerDep) -> str:
    lines = _platform_lines(session)
    try:
        from backend.tools.metrics import render_prometheus
    except ImportError:
        pass
    else:
        lines.append(render_prometheus(redis=get_redis(), settings=get_settings()).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _platform_lines(session: Session) -> list[str]:
    settings = get_settings()
    lines = [
        "# HELP spio_runs Runs by status.",
        "# TYPE spio_runs gauge",
    ]
    for status, count in sorted(runs_by_status(session=session).items()):
        lines.append(f'spio_runs{{status="{status}"}} {count}')
    client = get_redis()
    lines += ["# HELP spio_queue_depth Messages waiting per priority queue.",
              "# TYPE spio_queue_depth gauge"]
    depths = queue_depths(client)
    for priority in PRIORITIES:
        lines.append(f'spio_queue_depth{{priority="{priority}"}} {depths.get(priority, 0)}')
    lag = scheduler_lag_sec(client=client)
    threads = settings.worker_concurrency * settings.worker_processes
    utilisation = worker_utilisation(session=session, threads=threads)
    lines += ["# HELP spio_scheduler_lag_seconds Seconds since the scheduler last ticked.",
              "# TYPE spio_scheduler_lag_seconds gauge",
              f"spio_scheduler_lag_seconds {lag if lag is not None else 'NaN'}",
              "# HELP spio_worker_utilisation Running runs / worker threads.",
              "# TYPE spio_worker_utilisation gauge",
              f"spio_worker_utilisation {utilisation:.3f}"]
    return lines
