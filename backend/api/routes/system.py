"""/health (no token) and /metrics (Prometheus text)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlmodel import Session

from backend.api.deps import SessionDep, ViewerDep
from backend.core.config import get_settings
from backend.core.db import get_engine
from backend.core.redis import get_redis
from backend.domain.vocab import PRIORITIES
from backend.jobs.health import check_health
from backend.jobs.stats import runs_by_status, scheduler_lag_sec, worker_utilisation
from backend.services.queues import queue_depths

router = APIRouter(tags=["system"])


@router.get("/health")
def health() -> JSONResponse:
    """Is the install doing its work? 503 ``degraded`` with the problems named when not
    (see backend/jobs/health.py for the rules)."""
    result = check_health(settings=get_settings(), client=get_redis(), engine=get_engine())
    return JSONResponse(result.body(), status_code=503 if result.problems else 200)


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
