"""A run's life inside a worker, driven in-process: success, retries on the backoff list
resuming from the failed step, timeouts, non-retryable errors, cancellation, duplicates."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlmodel import select

from backend.core.db import session_scope
from backend.core.redis import get_redis, key
from backend.jobs import runs as run_service
from backend.jobs import service
from backend.jobs.validation import parse_spec
from backend.models import Alert, Run
from backend.models.types import utcnow
from backend.worker.lifecycle import execute_run


def start_run(job_id: str, *, timeout_ms: int = 60_000, max_retry: int = 0,
              backoff=(30,), **inputs) -> int:
    spec = {"job_id": job_id, "workflow": "sleep", "timeout_ms": timeout_ms,
            "retry_policy": {"max_retry": max_retry, "backoff_sec": list(backoff)},
            "inputs": inputs}
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="test")
        return service.run_now(session=session, job_id=job_id).id


def detail(run_id: int):
    with session_scope() as session:
        return run_service.get_run_detail(session=session, run_id=run_id)


def make_due(run_id: int) -> None:
    with session_scope() as session:
        session.get(Run, run_id).not_before = None


def test_success_records_steps_attempt_and_progress(env):
    run_id = start_run("ok", steps=3)
    assert execute_run(run_id) == "succeeded"
    d = detail(run_id)
    assert d.run.status == "succeeded" and d.run.progress == 1.0
    assert [s.name for s in d.steps] == ["step-1", "step-2", "step-3"]
    assert all(s.status == "succeeded" and s.finished_at for s in d.steps)
    assert [(a.number, a.status) for a in d.attempts] == [(1, "succeeded")]
    assert d.run.result == {"steps": 3, "attempt": 1}


def test_retries_wait_the_backoff_list_and_resume_from_the_failed_step(env):
    run_id = start_run("flaky", steps=2, fail_attempts=2, max_retry=2, backoff=(30, 60))
    before = utcnow()
    assert execute_run(run_id) == "retrying"
    run = detail(run_id).run
    assert run.status == "queued" and run.dispatched_at is None
    assert timedelta(seconds=29) < run.not_before - before < timedelta(seconds=32)
    make_due(run_id)
    before = utcnow()
    assert execute_run(run_id) == "retrying"
    assert timedelta(seconds=59) < detail(run_id).run.not_before - before < timedelta(seconds=62)
    make_due(run_id)
    assert execute_run(run_id) == "succeeded"
    d = detail(run_id)
    assert [a.status for a in d.attempts] == ["failed", "failed", "succeeded"]
    step1, step2 = d.steps
    assert step1.attempts == 1  # done once, its checkpoint reused by the retries
    assert step2.attempts == 3


def test_retries_run_out_and_the_run_fails(env):
    run_id = start_run("doomed", fail_attempts=99, max_retry=1, backoff=(0,))
    assert execute_run(run_id) == "retrying"
    assert execute_run(run_id) == "failed"
    d = detail(run_id)
    assert d.run.status == "failed" and "configured failure" in d.run.error
    assert len(d.attempts) == 2


def test_non_retryable_error_fails_at_once(env):
    run_id = start_run("perm", fail_permanently=True, max_retry=3)
    assert execute_run(run_id) == "failed"
    assert len(detail(run_id).attempts) == 1


def test_slow_attempt_is_timed_out_and_says_where(env):
    run_id = start_run("slow", timeout_ms=400, sleep_sec=5)
    started = time.monotonic()
    assert execute_run(run_id) == "timed_out"
    assert time.monotonic() - started < 3
    d = detail(run_id)
    assert d.run.status == "timed_out" and "step-1" in d.run.error
    assert d.steps[0].status == "failed"


def test_cancel_stops_a_running_run_promptly(env, monkeypatch):
    monkeypatch.setenv("WORKER_HEARTBEAT_SEC", "0.2")
    from backend.core.config import get_settings

    get_settings.cache_clear()
    run_id = start_run("long", sleep_sec=30)
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("s", execute_run(run_id)))
    thread.start()
    time.sleep(0.5)
    with session_scope() as session:
        run_service.cancel_run(session=session, run_id=run_id)
    thread.join(timeout=5)
    assert outcome["s"] == "cancelled"
    assert detail(run_id).run.status == "cancelled"


def test_duplicate_messages_do_nothing(env):
    run_id = start_run("dup")
    assert execute_run(run_id) == "succeeded"
    assert execute_run(run_id) == "not-claimed"
    assert len(detail(run_id).attempts) == 1


def test_side_effects_happen_once_across_retries(env):
    run_id = start_run("fx", steps=2, effects=3, fail_attempts=1, max_retry=1, backoff=(0,))
    execute_run(run_id)
    execute_run(run_id)
    counts = get_redis().hgetall(key("test-effects", "fx"))
    assert len(counts) == 6 and set(counts.values()) == {"1"}


def test_three_failures_in_a_row_raise_one_alert(env):
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(
            {"job_id": "bad", "workflow": "sleep", "inputs": {"fail_permanently": True}}),
            actor="t")
    for _ in range(4):
        with session_scope() as session:
            run_id = service.run_now(session=session, job_id="bad").id
        execute_run(run_id)
    with session_scope() as session:
        alerts = session.exec(select(Alert)).all()
    assert [a.kind for a in alerts] == ["consecutive_failures"]


@pytest.mark.parametrize("backend_kind", ["postgres"], indirect=True)
def test_lifecycle_on_postgres(env):
    run_id = start_run("pg", steps=2, fail_attempts=1, max_retry=1, backoff=(0,))
    assert execute_run(run_id) == "retrying"
    assert execute_run(run_id) == "succeeded"
