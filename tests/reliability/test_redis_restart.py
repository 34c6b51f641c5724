"""Redis crashes mid-run and is away for a few seconds, then comes back (from its
append-only file). The API keeps answering (health says degraded, never a 500), the
scheduler and workers reconnect by themselves, and no job, run or message is lost.

Runs against a redis-server of the test's own on a free port; the shared one is never
touched."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.core.redis import get_redis, key
from backend.models.types import utcnow
from tests.conftest import _reset_caches
from tests.reliability.invariants import check_runs
from tests.reliability.servers import OwnRedis
from tests.reliability.support import (
    create,
    effects_report,
    pause_all,
    sleep_job,
    status_counts,
    wait_drained,
    wait_for,
)
from tests.system.cluster import Cluster

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def own_redis(env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OwnRedis]:
    server = OwnRedis(directory=tmp_path / "redis")
    server.start()
    monkeypatch.setenv("REDIS_URL", server.url)
    _reset_caches()
    try:
        yield server
    finally:
        server.stop()


def test_redis_crash_loses_nothing_and_everything_reconnects(own_redis: OwnRedis, env,
                                                             admin_token: str, tmp_path: Path):
    from backend.api.app import create_app

    cluster = Cluster.from_environment(
        log_dir=tmp_path / "logs", WORKER_HEARTBEAT_SEC="0.3", WORKER_STALE_AFTER_SEC="3",
        SCHEDULER_TICK_MAX_SEC="0.5", SCHEDULER_DISPATCH_STALE_SEC="5")
    api = TestClient(create_app(), raise_server_exceptions=False)  # answers as served
    api.headers["Authorization"] = f"Bearer {admin_token}"
    try:
        cluster.start_scheduler("scheduler-1")
        cluster.start_scheduler("scheduler-2")
        cluster.start_worker("worker-a", threads=4)
        cluster.start_worker("worker-b", threads=4)
        cluster.wait_ready(workers=2)
        # The effects' receiver lives in the same Redis, so a run that tries to act while
        # it is away fails that attempt, and its retry policy brings it through.
        retry = {"max_retry": 3, "backoff_sec": [2, 4]}
        for i in range(3):
            create(sleep_job(f"tick-{i}", interval=1, effects=1, retry_policy=retry))
        create(sleep_job("long", interval=4, overlap=False, steps=5, sleep_sec=0.6, effects=1,
                         retry_policy=retry))
        time.sleep(4)
        assert api.get("/health").json()["status"] == "ok"

        own_redis.crash()
        down_at = time.monotonic()
        outage: list[tuple[str, int]] = []
        health = api.get("/health")
        outage.append(("GET /health", health.status_code))
        assert health.status_code == 503, health.text
        body = health.json()
        assert body["status"] == "degraded" and body["checks"]["redis"].startswith("unavailable")
        assert body["checks"]["database"] == "ok"
        for method, path, payload in [
            ("GET", "/jobs", None), ("GET", "/runs?limit=5", None),
            ("POST", "/jobs", sleep_job("made-while-down", interval=2, effects=1)),
            ("GET", "/jobs/made-while-down", None),
        ]:
            response = api.request(method, path, json=payload)
            outage.append((f"{method} {path}", response.status_code))
            assert response.status_code < 500, (path, response.text)
        metrics = api.get("/metrics")  # needs Redis for queue depths: 503, not 500
        outage.append(("GET /metrics", metrics.status_code))
        assert metrics.status_code in (200, 503), metrics.text
        time.sleep(max(0.0, 4 - (time.monotonic() - down_at)))
        own_redis.start()
        back_at = time.monotonic()

        # Everything finds its way back without a restart of any process.
        client = get_redis()
        last = client.get(key("scheduler", "last_tick"))
        wait_for(lambda: (v := client.get(key("scheduler", "last_tick"))) and v != last,
                 timeout=20)
        start = utcnow()
        wait_for(lambda: _succeeded_since("made-while-down", start), timeout=30)
        recovered = time.monotonic() - back_at
        assert api.get("/health").json()["status"] == "ok"
        time.sleep(3)
        pause_all()
        counts = wait_drained(timeout=45)
        violations = check_runs(now=utcnow())
        effects = effects_report(steps=5, effects=1)
        print("outage answers:", outage, f"recovered in {recovered:.1f} s", "runs:", counts,
              "effects:", effects)
        assert violations.clean, (violations.summary(), cluster.logs())
        assert effects["missing"] == 0 and effects["duplicated"] == 0, effects
        assert counts.get("failed", 0) == 0, (status_counts(), cluster.logs())
        assert counts.get("succeeded", 0) >= 20
    finally:
        api.close()
        cluster.stop()


def _succeeded_since(job_id: str, since) -> bool:
    from sqlmodel import select

    from backend.core.db import session_scope
    from backend.models import Run

    with session_scope() as session:
        return session.exec(select(Run.id).where(
            Run.job_id == job_id, Run.status == "succeeded", Run.started_at > since)
        ).first() is not None
