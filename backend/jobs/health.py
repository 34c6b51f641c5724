"""Is the install doing its work? What ``GET /health``, the dashboard and the outage
alerts all read.

Degraded (503) when any of these holds:

- the database or Redis does not answer;
- runs wait (queued and due, or running with a silent worker) and no worker process
  has sent a heartbeat for ``WORKER_STALE_AFTER_SEC``: nothing will run them;
- no scheduler leads: nobody holds the leader lock, or the leader has not ticked for
  ``3 x SCHEDULER_TICK_MAX_SEC`` (at least 3 s): nothing fires or dispatches.

A Redis that keeps nothing on disk is reported, not counted as an outage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import redis
from sqlalchemy import func, or_, select, text
from sqlalchemy.engine import Engine
from sqlmodel import col

from backend.core.config import Settings
from backend.core.redis import key, persistence
from backend.jobs.stats import scheduler_lag_sec
from backend.models import Run
from backend.models.types import utcnow
from backend.services.worker_memory import worker_memory

__all__ = ["Health", "check_health", "scheduler_stale_after_sec"]


@dataclass
class Health:
    """``checks``: one line per part, for people; ``problems``: what is wrong, as codes
    with figures, for the UI to say in the user's language and for alerts."""

    checks: dict[str, Any] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "degraded" if self.problems else "ok"

    def body(self) -> dict[str, Any]:
        return {"status": self.status, "checks": self.checks, "problems": self.problems}


def scheduler_stale_after_sec(settings: Settings) -> float:
    """A leader ticks at least every SCHEDULER_TICK_MAX_SEC; three missed ticks mean
    none is leading (a killed leader's lock outlives it by up to its TTL)."""
    return max(3.0, 3 * settings.scheduler_tick_max_sec)


def _database(health: Health, engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        health.checks["database"] = f"unavailable ({type(exc).__name__})"
        health.problems.append({"part": "database", "code": "unavailable"})
        return False
    health.checks["database"] = "ok"
    return True


def _redis(health: Health, client: redis.Redis) -> bool:
    try:
        client.ping()
        kept = persistence(client)
    except Exception as exc:
        health.checks["redis"] = f"unavailable ({type(exc).__name__})"
        health.problems.append({"part": "redis", "code": "unavailable"})
        return False
    health.checks["redis"] = "ok"
    # Not an outage (everything works), but a restart would lose what Redis holds: say
    # so where operators look.
    health.checks["redis_persistence"] = (
        "none: a Redis restart loses the queued messages (the scheduler sends them again) "
        "and live counters; enable appendonly" if kept == "none" else kept)
    return True


def _scheduler(health: Health, client: redis.Redis, settings: Settings) -> None:
    lag = scheduler_lag_sec(client=client)
    leader = bool(client.exists(key("leader", "scheduler")))
    limit = scheduler_stale_after_sec(settings)
    if leader and lag is not None and lag <= limit:
        health.checks["scheduler"] = "ok"
        return
    health.checks["scheduler"] = ("not seen" if lag is None
                                  else f"not leading: last tick {lag:.0f} s ago")
    health.problems.append({"part": "scheduler", "code": "not_leading",
                            "silent_sec": None if lag is None else round(lag)})


def _waiting_runs(engine: Engine, settings: Settings) -> int:
    now = utcnow()
    stale = now - timedelta(seconds=settings.worker_stale_after_sec)
    due = func.coalesce(col(Run.not_before), col(Run.scheduled_for))
    query = select(func.count()).select_from(Run).where(or_(
        (col(Run.status) == "queued") & (due <= now),
        (col(Run.status) == "running") & (col(Run.heartbeat_at) < stale),
    ))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _workers(health: Health, client: redis.Redis, engine: Engine, settings: Settings) -> None:
    alive = worker_memory(client=client, stale_after_sec=settings.worker_stale_after_sec)
    waiting = _waiting_runs(engine, settings)
    health.checks["workers"] = f"{len(alive)} alive, {waiting} runs waiting"
    if waiting and not alive:
        health.problems.append({"part": "workers", "code": "none_alive", "waiting": waiting,
                                "stale_after_sec": settings.worker_stale_after_sec})


def check_health(*, settings: Settings, client: redis.Redis, engine: Engine) -> Health:
    """Look at every part now (a few cheap queries; safe to call every second)."""
    health = Health()
    database_up = _database(health, engine)
    if not _redis(health, client):
        return health
    try:
        _scheduler(health, client, settings)
        if database_up:
            _workers(health, client, engine, settings)
    except Exception as exc:  # a part failing mid-check is itself an outage, never a 500
        health.problems.append({"part": "health", "code": "check_failed",
                                "error": type(exc).__name__})
    return health
