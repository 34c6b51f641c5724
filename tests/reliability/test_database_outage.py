"""The database goes away for a few seconds (every connection reset, new ones refused)
while the API takes writes and a scheduler and worker run 1-second jobs.

The API answers 503 with a clear body (never a 500), nothing is half-written (a job
exists with its version history or not at all; every acknowledged create exists), and
the processes carry on by themselves afterwards. PostgreSQL of our own behind a TCP
proxy the test cuts; the shared server only hosts the throwaway database."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import col, select

from backend.core.db import session_scope
from backend.models import Job, JobVersion
from backend.models.types import utcnow
from tests.conftest import _reset_caches
from tests.reliability.invariants import check_runs
from tests.reliability.servers import CuttableProxy
from tests.reliability.support import create, pause_all, sleep_job, wait_drained, wait_for
from tests.system.cluster import Cluster

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def proxied_db(env, monkeypatch: pytest.MonkeyPatch) -> Iterator[CuttableProxy]:
    direct = urlsplit(env.resolved_database_url)
    proxy = CuttableProxy(target_host=direct.hostname or "127.0.0.1",
                          target_port=direct.port or 5432)
    proxy.start()
    netloc = f"{direct.username}@127.0.0.1:{proxy.port}"
    monkeypatch.setenv("DATABASE_URL", direct._replace(netloc=netloc).geturl())
    _reset_caches()
    try:
        yield proxy
    finally:
        _reset_caches()
        proxy.close()


@pytest.mark.parametrize("backend_kind", ["postgres"], indirect=True)
def test_database_outage_is_a_503_and_leaves_nothing_half_written(
        proxied_db: CuttableProxy, admin_token: str, tmp_path: Path):
    from backend.api.app import create_app

    cluster = Cluster.from_environment(
        log_dir=tmp_path / "logs", WORKER_HEARTBEAT_SEC="0.3", WORKER_STALE_AFTER_SEC="3",
        SCHEDULER_TICK_MAX_SEC="0.5")
    api = TestClient(create_app(), raise_server_exceptions=False)
    api.headers["Authorization"] = f"Bearer {admin_token}"
    acknowledged: list[str] = []
    answers: dict[int, int] = {}
    stop = threading.Event()

    def writer() -> None:  # a client creating jobs throughout, through the outage
        n = 0
        while not stop.is_set():
            n += 1
            spec = sleep_job(f"w-{n}", interval=3600, effects=0)
            response = api.post("/jobs", json=spec)
            answers[response.status_code] = answers.get(response.status_code, 0) + 1
            if response.status_code == 201:
                acknowledged.append(spec["job_id"])
            elif response.status_code >= 500:
                body = response.json()
                assert response.status_code == 503 and body["error"] == "unavailable", body
            time.sleep(0.02)

    try:
        cluster.start_scheduler()
        cluster.start_worker("worker-a", threads=4)
        cluster.wait_ready(workers=1)
        retry = {"max_retry": 3, "backoff_sec": [2, 4]}
        for i in range(3):
            create(sleep_job(f"tick-{i}", interval=1, sleep_sec=0.2, retry_policy=retry))
        thread = threading.Thread(target=writer, daemon=True)
        thread.start()
        time.sleep(3)

        proxied_db.cut()
        during: dict[str, tuple[int, str]] = {}
        for method, path in [("GET", "/jobs"), ("GET", "/runs"), ("GET", "/jobs/tick-0"),
                             ("POST", "/jobs/tick-0/run"), ("GET", "/health")]:
            response = api.request(method, path)
            during[f"{method} {path}"] = (response.status_code, response.json().get("error")
                                          or response.json().get("status"))
        time.sleep(4)
        proxied_db.restore()
        back = time.monotonic()
        wait_for(lambda: api.get("/jobs").status_code == 200, timeout=15, interval=0.1)
        recovered = time.monotonic() - back
        time.sleep(3)
        stop.set()
        thread.join(10)
        pause_all()
        counts = wait_drained(timeout=45)
        print("during the outage:", during, f"API back {recovered:.2f} s after the database",
              "creates:", answers, "runs:", counts)
        for label, (status, error) in during.items():
            assert status == 503, (label, status, error)
            assert error in ("unavailable", "degraded"), (label, error)
        assert answers.get(503, 0) >= 1 and answers.get(201, 0) >= 10
        assert not any(code >= 500 and code != 503 for code in answers), answers
        with session_scope() as session:
            jobs = set(session.exec(select(Job.job_id)).all())
            versioned = dict(session.exec(
                select(JobVersion.job_id, func.count()).group_by(JobVersion.job_id)).all())
            orphans = session.exec(select(JobVersion.job_id).where(
                col(JobVersion.job_id).not_in(jobs))).all()
        assert set(acknowledged) <= jobs  # every 201 was really stored
        assert all(versioned.get(j, 0) >= 1 for j in jobs)  # no job without its history
        assert orphans == []  # no history without its job
        violations = check_runs(now=utcnow())
        assert violations.clean, (violations.summary(), cluster.logs())
        assert counts.get("failed", 0) == 0, (counts, cluster.logs())
    finally:
        stop.set()
        api.close()
        cluster.stop()
