"""Platform faults: the sandbox answers 10 % of requests with a 5xx and drops 2 % into
a timeout, and its rate limit answers some with 429 + Retry-After. Runs that send
messages through the http tool (retries, Retry-After) under their retry policy (resume
after the last finished call) still succeed at least 99.9 % of the time, as do the
calls after retries, and the sandbox received every message exactly once.

Runs are executed in-process by worker threads (execute_run), as the worker does; the
scheduler's part (re-sending a retry when due) is played by the test loop."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import select

from backend.core.config import get_settings
from backend.core.db import session_scope
from backend.jobs import service
from backend.jobs.validation import parse_spec
from backend.models import Run, RunAttempt
from backend.worker.lifecycle import execute_run
from backend.workflows import WORKFLOW_MODULES
from tests.sandbox_fixture import SandboxHandle, start_sandbox

pytestmark = pytest.mark.slow

RUNS = 240
CALLS_PER_RUN = 5
THREADS = 8


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    handle = start_sandbox(seed=7)
    try:
        yield handle
    finally:
        handle.stop()


def _admin(sandbox: SandboxHandle, path: str, body: dict | None = None) -> dict:
    url = f"{sandbox.base_url}/_admin/{path}"
    response = httpx.post(url, json=body) if body is not None else httpx.get(url)
    response.raise_for_status()
    return response.json()


def _drive(run_id: int) -> str:
    """Execute a run until it ends, waiting out its retry backoff like the scheduler."""
    while True:
        state = execute_run(run_id)
        if state != "retrying":
            return state
        with session_scope() as session:
            run = session.get(Run, run_id)
            wait = (run.not_before.timestamp() - time.time()) if run.not_before else 0
        time.sleep(max(0.0, wait))


def test_faulty_platform_still_gets_every_message_once(env, sandbox, monkeypatch):
    # Job specs name only shipped kinds; in this process "sleep" runs the test workflow.
    monkeypatch.setitem(WORKFLOW_MODULES, "sleep", "tests.reliability.fault_calls_workflow")
    monkeypatch.setenv("HTTP_TIMEOUT_SEC", "0.5")
    monkeypatch.setenv("HTTP_RETRIES", "5")
    get_settings.cache_clear()
    _admin(sandbox, "reset", {})
    _admin(sandbox, "faults", {"global": {"p_5xx": 0.10, "p_timeout": 0.02,
                                          "timeout_sec": 2.0}})
    _admin(sandbox, "limits", {"whatsapp.messages": {"limit": 60, "window_sec": 1}})
    spec = {"job_id": "faulty", "workflow": "sleep", "timeout_ms": 120_000,
            "retry_policy": {"max_retry": 3, "backoff_sec": [0.2]},
            "inputs": {"allow_overlap": True, "calls": CALLS_PER_RUN,
                       "sandbox_url": sandbox.base_url}}
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="test")
        run_ids = [service.run_now(session=session, job_id="faulty").id for _ in range(RUNS)]
    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        states = list(pool.map(_drive, run_ids))
    elapsed = time.monotonic() - started

    counters = _admin(sandbox, "counters")
    with session_scope() as session:
        statuses = dict(session.exec(select(Run.status, func.count()).group_by(Run.status)).all())
        failed_attempts = session.exec(select(func.count()).select_from(RunAttempt)
                                       .where(RunAttempt.status == "failed")).one()
        errors = session.exec(select(RunAttempt.error).where(RunAttempt.status == "failed")
                              .limit(3)).all()
    delivered = counters["messages"]["whatsapp"]
    expected = {f"62{rid:06d}{i:04d}" for rid in run_ids for i in range(CALLS_PER_RUN)}
    logical_calls = len(delivered) + failed_attempts  # a failed attempt = one call given up
    figures = {
        "runs": RUNS, "run_success": statuses.get("succeeded", 0) / RUNS,
        "calls": logical_calls, "call_success_after_retries": len(delivered) / logical_calls,
        "faults_injected": counters["faults"], "rate_limited": counters["rate_limited"],
        "attempts_failed": failed_attempts, "elapsed_s": round(elapsed, 1),
        "example_errors": errors,
    }
    print("fault injection:", figures)
    assert set(states) == {"succeeded"}, (statuses, errors)
    assert figures["run_success"] >= 0.999
    assert figures["call_success_after_retries"] >= 0.999, figures
    assert set(delivered) == expected  # none missing
    assert set(delivered.values()) == {1}  # none twice
    assert sum(counters["faults"].values()) >= RUNS * CALLS_PER_RUN * 0.08  # faults did fire
    assert counters["rate_limited"].get("whatsapp", 0) >= 1
