"""The dashboard's performance figures from real data: duration against each run's own
timeout, API call success from the tools' counts, worker memory from the heartbeat."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from backend.core.db import session_scope
from backend.core.redis import get_redis, key
from backend.jobs.stats import (
    api_success_rate,
    dashboard_summary,
    duration_vs_timeout,
    runs_by_status,
)
from backend.models import Run
from backend.models.types import utcnow
from backend.services.worker_memory import report_memory, worker_memory

BOTH = pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)


def _ended(status: str, *, seconds: float, timeout_ms: int, ago_h: float = 1) -> Run:
    start = utcnow() - timedelta(hours=ago_h)
    return Run(job_id="j", workflow="noop", status=status, scheduled_for=start,
               created_at=start, started_at=start,
               finished_at=start + timedelta(seconds=seconds), timeout_ms=timeout_ms)


@BOTH
def test_duration_is_measured_against_each_runs_own_timeout(env):
    with session_scope() as session:
        assert duration_vs_timeout(session=session) is None
    with session_scope() as session:
        session.add(_ended("succeeded", seconds=15, timeout_ms=60_000))  # 25 %
        session.add(_ended("failed", seconds=45, timeout_ms=60_000))  # 75 %
        session.add(_ended("timed_out", seconds=3, timeout_ms=2_000))  # 150 %
        session.add(_ended("succeeded", seconds=600, timeout_ms=1_000, ago_h=30))  # too old
        session.add(Run(job_id="j", workflow="noop", status="running",
                        scheduled_for=utcnow(), started_at=utcnow()))  # not ended
    with session_scope() as session:
        ratio = duration_vs_timeout(session=session)
    assert ratio == pytest.approx((0.25 + 0.75 + 1.5) / 3, rel=1e-4)  # julianday: ~ms


def test_api_success_and_worker_memory_reach_the_summary(env):
    client = get_redis()
    assert api_success_rate(client=client) is None
    client.hset(f"{env.redis_prefix}:api_calls:{int(time.time() // 3600)}",
                mapping={"ok": 98, "failed": 2})
    client.hset(f"{env.redis_prefix}:api_calls:{int(time.time() // 3600) - 30}",
                mapping={"ok": 0, "failed": 50})  # older than a day: not counted
    assert api_success_rate(client=client) == pytest.approx(0.98)

    report_memory(client=client)
    client.hset(key("workers", "memory"), "gone-host:1", f"512.0|{time.time() - 600:.0f}")
    alive = worker_memory(client=client, stale_after_sec=30)
    assert list(alive) != [] and "gone-host:1" not in alive
    assert all(mb > 10 for mb in alive.values())  # a Python process holds more than 10 MB
    assert not client.hexists(key("workers", "memory"), "gone-host:1")  # cleaned up

    with session_scope() as session:
        session.add(_ended("succeeded", seconds=30, timeout_ms=60_000))
    with session_scope() as session:
        summary = dashboard_summary(session=session, redis=client)
    assert summary["api_success_rate"] == pytest.approx(0.98)
    assert summary["avg_duration_vs_timeout"] == pytest.approx(0.5, rel=1e-4)
    assert summary["worker_memory_mb"] == pytest.approx(sum(alive.values()), abs=0.2)


@BOTH
def test_dry_runs_stay_out_of_the_days_figures(env):
    with session_scope() as session:
        session.add(_ended("succeeded", seconds=15, timeout_ms=60_000))  # 25 %
        for _ in range(3):  # rehearsals on the automation page, all failing, all slow
            run = _ended("failed", seconds=60, timeout_ms=60_000)
            run.job_id = "dryrun-0123456789ab"
            session.add(run)
    with session_scope() as session:
        summary = dashboard_summary(session=session, redis=get_redis())
        assert summary["runs_today"] == {"succeeded": 1}
        assert summary["success_rate"] == 1.0
        assert summary["avg_duration_vs_timeout"] == pytest.approx(0.25, rel=1e-3)
        # /metrics still counts every run the workers did.
        assert runs_by_status(session=session) == {"succeeded": 1, "failed": 3}
