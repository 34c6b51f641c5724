"""/health tells the truth (issue 19, point 4): degraded when runs wait and no worker
lives, or when no scheduler leads; the outage alert fires once, recovery once."""

from __future__ import annotations

import pytest
from sqlmodel import select

from backend.core.db import get_engine, session_scope
from backend.core.messages import render_message
from backend.core.redis import get_redis, key
from backend.jobs import outages, service
from backend.jobs.health import check_health
from backend.jobs.validation import parse_spec
from backend.models import Alert
from backend.scheduler.service import SchedulerService
from backend.services.worker_memory import forget_memory, report_memory


def _health(settings):
    return check_health(settings=settings, client=get_redis(), engine=get_engine())


def _queue_a_run() -> None:
    with session_scope() as session:
        service.create_job(session=session, actor="test", parsed=parse_spec(
            {"job_id": "waiting", "workflow": "noop", "inputs": {}}))
        service.run_now(session=session, job_id="waiting")


def test_degraded_while_runs_wait_and_no_worker_lives(env, api):
    SchedulerService().run_once()  # a scheduler leads
    assert api.get("/health").status_code == 200
    _queue_a_run()
    response = api.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["problems"] == [{"part": "workers", "code": "none_alive", "waiting": 1,
                                 "stale_after_sec": env.worker_stale_after_sec}]
    report_memory(client=get_redis())  # a worker process says it lives
    assert api.get("/health").json()["status"] == "ok"
    forget_memory(client=get_redis())  # ... and stops cleanly
    assert api.get("/health").status_code == 503


def test_degraded_when_no_scheduler_leads(env, api):
    body = api.get("/health").json()
    assert body["status"] == "degraded"
    assert body["problems"][0] == {"part": "scheduler", "code": "not_leading", "silent_sec": None}
    scheduler = SchedulerService()
    scheduler.run_once()
    assert api.get("/health").json()["status"] == "ok"
    # The leader dies: its lock outlives it, but it stops ticking.
    client = get_redis()
    client.set(key("scheduler", "last_tick"), scheduler.last_tick_at.timestamp() - 10, ex=60)
    body = api.get("/health").json()
    assert body["status"] == "degraded" and body["checks"]["scheduler"].startswith("not leading")
    assert client.exists(key("leader", "scheduler"))


def _alerts() -> list[tuple[str, str]]:
    with session_scope() as session:
        rows = session.exec(select(Alert).order_by(Alert.id)).all()
    return [(a.kind, render_message(a.message, "en")) for a in rows]


def test_one_alert_per_outage_and_one_on_recovery(env, monkeypatch: pytest.MonkeyPatch):
    watchers = [outages.OutageWatch(engine=get_engine()) for _ in range(3)]
    down = _health(env)  # no scheduler has ever ticked
    assert down.status == "degraded"
    results = [w.observe(down) for w in watchers for _ in range(3)]
    assert results.count("degraded") == 1 and set(results) == {"degraded", None}
    assert _alerts() == [("system_degraded", "SPIO degraded: no scheduler leading")]

    SchedulerService().run_once()
    up = _health(env)
    assert up.status == "ok"
    # Not recovered at the first good look: it must stay ok for RECOVERY_SEC.
    assert [w.observe(up) for w in watchers] == [None, None, None]
    monkeypatch.setattr(outages, "RECOVERY_SEC", 0.0)
    results = [w.observe(up) for w in watchers for _ in range(2)]
    assert results.count("recovered") == 1
    assert _alerts()[-1] == ("system_recovered", "SPIO is working again")
    assert len(_alerts()) == 2
    # Stored as message keys: said in the reader's language where it is shown.
    with session_scope() as session:
        stored = [a.message for a in session.exec(select(Alert).order_by(Alert.id)).all()]
    assert [render_message(m, "id") for m in stored] == [
        "SPIO terganggu: tidak ada scheduler yang memimpin", "SPIO berjalan lagi"]
