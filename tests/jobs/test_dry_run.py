"""A dry run executes a proposal once on a worker without storing a job: no jobs row,
no schedule, one attempt, its own idempotency scope; the result says what happened."""

from __future__ import annotations

from sqlmodel import select

from backend.core.db import session_scope
from backend.core.redis import get_redis, key
from backend.jobs import service
from backend.jobs.dry_run import DRY_RUN_TRIGGER, dry_run_result, is_dry_run, start_dry_run
from backend.jobs.validation import parse_spec
from backend.models import Job, Run
from backend.worker.lifecycle import execute_run


def _spec(**inputs: object) -> dict[str, object]:
    return {"job_id": "hourly-check", "workflow": "sleep", "schedule": {"interval_sec": 3600},
            "retry_policy": {"max_retry": 3, "backoff_sec": [0]}, "inputs": inputs}


def _dry_run(spec: dict[str, object]) -> int:
    with session_scope() as session:
        return int(start_dry_run(session=session, parsed=parse_spec(spec), actor="ana").id or 0)


def test_dry_run_runs_once_and_stores_no_job(env):
    run_id = _dry_run(_spec(steps=2, effects=1))
    with session_scope() as session:
        run = session.get(Run, run_id)
        assert run.trigger == DRY_RUN_TRIGGER and run.max_attempts == 1
        assert is_dry_run(run.job_id) and run.job_id != "hourly-check"
        assert session.exec(select(Job)).all() == []  # nothing to schedule, nothing listed
    assert execute_run(run_id) == "succeeded"
    with session_scope() as session:
        result = dry_run_result(session=session, run_id=run_id)
    assert result.finished and result.status == "succeeded"
    assert [(s.name, s.status) for s in result.steps] == [("step-1", "succeeded"),
                                                          ("step-2", "succeeded")]
    assert result.outputs == {"steps": 2, "attempt": 1}
    assert result.duration_sec is not None and result.duration_sec >= 0
    # Its side effects happened under the throwaway id, so none of the real job's keys
    # (scoped by job id in every workflow) count as "already done".
    assert len(get_redis().hgetall(key("test-effects", result.job_id))) == 2
    assert get_redis().hgetall(key("test-effects", "hourly-check")) == {}

    # The real job made from the same spec afterwards: its id is free, its effects its own.
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(_spec(steps=2, effects=1)),
                           actor="ana")
        real = int(service.run_now(session=session, job_id="hourly-check").id or 0)
    assert execute_run(real) == "succeeded"
    effects = get_redis().hgetall(key("test-effects", "hourly-check"))
    assert len(effects) == 2 and set(effects.values()) == {"1"}


def test_failed_dry_run_is_not_retried_and_says_why(env):
    run_id = _dry_run(_spec(steps=1, fail_attempts=5))
    assert execute_run(run_id) == "failed"  # the spec's max_retry does not apply
    with session_scope() as session:
        result = dry_run_result(session=session, run_id=run_id)
    assert result.status == "failed" and "configured failure" in (result.error or "")
    assert result.steps[0].status == "failed" and result.outputs is None


def test_planner_execute_dry_run(api):
    prompt = "Buat laporan BI harian jam 6 pagi dari data penjualan, kirim PDF ke email"
    response = api.post("/planner/execute", json={"prompt": prompt, "dry_run": True})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["job"] is None and body["run"]["trigger"] == DRY_RUN_TRIGGER
    assert body["run"]["status"] == "queued" and is_dry_run(body["run"]["job_id"])
    assert api.get("/jobs").json()["total"] == 0

    both = api.post("/planner/execute", json={"prompt": prompt, "dry_run": True, "create": True})
    assert both.status_code == 422
    assert both.json()["errors"][0]["path"] == "dry_run"


def test_dry_run_uses_the_sandbox_even_where_an_account_is_live(api, env, monkeypatch):
    from backend.workflows import WORKFLOW_MODULES

    # The spec names a real kind; its module is swapped for one that reports its endpoint.
    monkeypatch.setitem(WORKFLOW_MODULES, "noop", "tests.jobs.connector_probe")
    saved = api.put("/connectors/whatsapp/default", json={"mode": "live", "settings": {
        "base_url": "https://graph.facebook.com", "api_version": "v19.0", "phone_number_id": "551",
        "access_token": "wa-live-token", "app_secret": "wa-app-secret",
        "verify_token": "wa-verify"}})
    assert saved.status_code == 200, saved.text
    spec = {"job_id": "probe", "workflow": "noop"}
    dry = _dry_run(spec)
    assert execute_run(dry) == "succeeded"
    with session_scope() as session:
        real = int(service.run_now(session=session, job_id=service.create_job(
            session=session, parsed=parse_spec(spec), actor="ana").job_id).id or 0)
    assert execute_run(real) == "succeeded"
    with session_scope() as session:
        dry_out = dry_run_result(session=session, run_id=dry).outputs
        real_out = dry_run_result(session=session, run_id=real).outputs
    assert dry_out["whatsapp_url"].startswith(env.sandbox_url)
    assert dry_out["thread_sees_live"] is False
    assert real_out["whatsapp_url"].startswith("https://graph.facebook.com/")
    assert real_out["thread_sees_live"] is True
