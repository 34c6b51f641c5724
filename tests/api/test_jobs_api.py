"""The REST API as a client sees it: seed jobs, errors with paths, roles, runs."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED_JOBS

BOTH = pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)


@BOTH
def test_seed_files_give_four_201s_and_one_422_and_list_exactly_four(api):
    codes = {}
    for path in sorted(SEED_JOBS.glob("*.json")):
        response = api.post("/jobs", content=path.read_bytes(),
                            headers={"Content-Type": "application/json"})
        codes[path.stem] = response.status_code
        if response.status_code == 201:
            body = response.json()
            assert body["workflow_inferred"] is True and body["inference_reason"]
            assert len(body["next_fires"]) == 3
        else:
            body = response.json()
            assert body["errors"] == [{
                "path": "schedule.cron",
                "message": body["errors"][0]["message"],
                "suggestion": "0 9 24 11 *",
                "code": "cron.out_of_range",
            }]
            assert "day-of-week" in body["errors"][0]["message"]
    assert codes.pop("black-friday-campaign-2026") == 422
    assert set(codes.values()) == {201} and len(codes) == 4
    listed = api.get("/jobs").json()
    assert listed["total"] == 4
    assert {j["job_id"] for j in listed["items"]} == set(codes)


def _spec(job_id="j1", **extra):
    return {"job_id": job_id, "workflow": "noop", "schedule": {"interval_sec": 60}, **extra}


@BOTH
def test_duplicate_is_409_and_bad_bodies_are_4xx_with_paths_and_nothing_written(api, env):
    assert api.post("/jobs", json=_spec()).status_code == 201
    assert api.post("/jobs", json=_spec()).status_code == 409
    bad = api.post("/jobs", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "body"
    wrong = api.post("/jobs", json={"job_id": "j2", "timeout_ms": "soon"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["path"] == "timeout_ms"
    huge = api.post("/jobs", json=_spec("j3", inputs={"blob": "x" * (env.max_body_bytes + 1)}))
    assert huge.status_code == 413
    assert api.post("/jobs", json=[1, 2]).status_code == 422
    assert api.get("/jobs").json()["total"] == 1


def test_every_route_but_health_needs_a_token_and_viewers_change_nothing(api):
    token = api.headers.pop("Authorization")
    assert api.get("/health").status_code in (200, 503)
    for method, path in [("get", "/jobs"), ("get", "/runs"), ("get", "/metrics"),
                         ("post", "/jobs"), ("get", "/tokens")]:
        response = getattr(api, method)(path)
        assert response.status_code == 401, path
        assert response.json()["error"] == "unauthorized"
    assert api.get("/jobs", headers={"Authorization": "Bearer nope"}).status_code == 401
    api.headers["Authorization"] = token
    created = api.post("/tokens", json={"name": "v", "role": "viewer"}).json()
    viewer = {"Authorization": f"Bearer {created['token']}"}
    assert api.get("/jobs", headers=viewer).status_code == 200
    assert api.post("/jobs", json=_spec(), headers=viewer).status_code == 403
    assert api.post("/jobs", json=_spec()).status_code == 201
    for method, path in [("post", "/jobs/j1/run"), ("post", "/jobs/j1/pause"),
                         ("delete", "/jobs/j1"), ("patch", "/jobs/j1")]:
        assert getattr(api, method)(path, headers=viewer).status_code == 403, path
    listed = api.get("/tokens").json()
    assert all("token" not in t and "token_hash" not in t for t in listed)
    assert api.delete(f"/tokens/{created['id']}").status_code == 200
    assert api.get("/jobs", headers=viewer).status_code == 401  # revoked


@BOTH
def test_put_patch_versions_revert_and_delete(api):
    api.post("/jobs", json=_spec(inputs={"pressure_priority": "low"}))
    replaced = api.put("/jobs/j1", json=_spec(schedule={"cron": "*/5 * * * *"}))
    assert replaced.status_code == 200 and replaced.json()["version"] == 2
    patched = api.patch("/jobs/j1", json={"inputs": {"pressure_priority": "high"}})
    assert patched.json()["priority"] == "high" and patched.json()["version"] == 3
    bad_patch = api.patch("/jobs/j1", json={"schedule": {"cron": "0 9 * * 11-24"}})
    assert bad_patch.status_code == 422
    assert bad_patch.json()["errors"][0]["path"] == "schedule.cron"
    versions = api.get("/jobs/j1/versions").json()
    assert [v["version"] for v in versions] == [3, 2, 1]
    reverted = api.post("/jobs/j1/revert", json={"version": 1}).json()
    assert reverted["spec"]["schedule"] == {"interval_sec": 60.0, "timezone": "Asia/Jakarta",
                                            "jitter_sec": 0.0, "missed": "run_once"}
    assert api.delete("/jobs/j1").status_code == 204
    assert api.get("/jobs/j1").status_code == 404


def test_run_now_pause_resume_cancel_and_run_detail(api):
    api.post("/jobs", json=_spec())
    run = api.post("/jobs/j1/run")
    assert run.status_code == 202 and run.json()["status"] == "queued"
    run_id = run.json()["id"]
    detail = api.get(f"/runs/{run_id}").json()
    assert detail["run"]["job_id"] == "j1" and detail["steps"] == []
    assert api.get("/runs", params={"job_id": "j1", "status": "queued"}).json()["total"] == 1
    assert api.post(f"/runs/{run_id}/cancel").json()["status"] == "cancelled"
    assert api.post(f"/runs/{run_id}/cancel").status_code == 409
    assert api.post(f"/runs/{run_id}/retry").json()["status"] == "queued"
    assert api.post("/jobs/j1/pause").json()["paused"] is True
    resumed = api.post("/jobs/j1/resume").json()
    assert resumed["paused"] is False and resumed["next_run_at"]
    assert api.get("/runs/999999").status_code == 404


def test_validate_endpoint_reports_without_saving(api):
    result = api.post("/jobs/validate", json=_spec(schedule={"cron": "0 6 * * *"})).json()
    assert result["valid"] and len(result["next_fires"]) == 5
    result = api.post("/jobs/validate", json=json.loads(
        (SEED_JOBS / "black-friday-campaign-2026.json").read_text())).json()
    assert not result["valid"] and result["errors"][0]["suggestion"] == "0 9 24 11 *"
    assert api.get("/jobs").json()["total"] == 0


def test_metrics_are_prometheus_text(api):
    api.post("/jobs", json=_spec())
    api.post("/jobs/j1/run")
    text = api.get("/metrics").text
    assert 'spio_runs{status="queued"} 1' in text
    assert 'spio_queue_depth{priority="critical"}' in text
    assert "spio_scheduler_lag_seconds" in text


@BOTH
def test_a_job_created_again_after_delete_keeps_counting_versions(api):
    from backend.worker.lifecycle import execute_run

    api.post("/jobs", json=_spec(retry_policy={"max_retry": 3}))
    first = api.post("/jobs/j1/run").json()
    assert api.delete("/jobs/j1").status_code == 204
    again = api.post("/jobs", json=_spec(inputs={"note": "second"})).json()["job"]
    assert again["version"] == 2
    second = api.post("/jobs/j1/run").json()
    assert second["max_attempts"] == 1 and first["max_attempts"] == 4
    execute_run(second["id"])
    assert api.get(f"/runs/{second['id']}").json()["run"]["status"] == "succeeded"


def test_deleting_a_job_forgets_what_it_kept_between_runs(api):
    import asyncio

    from backend.tools.state import StateTool

    api.post("/jobs", json=_spec())
    asyncio.run(StateTool(job_id="j1").set("catalog:watermark", 123.0))
    asyncio.run(StateTool(job_id="other").set("catalog:watermark", 7.0))
    assert api.delete("/jobs/j1").status_code == 204
    api.post("/jobs", json=_spec())
    assert asyncio.run(StateTool(job_id="j1").get("catalog:watermark")) is None
    assert asyncio.run(StateTool(job_id="other").get("catalog:watermark")) == 7.0


def test_unknown_type_or_workflow_is_422_listing_the_known_ones_and_stores_nothing(api):
    for body, path, known in (({"job_id": "u1", "type": "unknown.kind"}, "type", "report.daily"),
                              ({"job_id": "u2", "workflow": "teleport"}, "workflow",
                               "crisis_monitor")):  # fmt: skip
        response = api.post("/jobs", json=body)
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["path"] == path and known in error["message"]
    assert api.get("/jobs").json()["total"] == 0


def test_a_schedule_that_can_never_run_is_refused_by_create_validate_and_replace(api):
    past = _spec(schedule={"at": "2020-01-01T09:00:00+07:00"})
    created = api.post("/jobs", json=past)
    assert created.status_code == 422 and created.json()["errors"][0]["path"] == "schedule.at"
    assert created.json()["errors"][0]["suggestion"]
    checked = api.post("/jobs/validate", json=past).json()
    assert not checked["valid"] and "in the past" in checked["errors"][0]["message"]
    assert api.post("/jobs", json=_spec()).status_code == 201
    replaced = api.put("/jobs/j1", json=_spec(schedule={
        "interval_sec": 60, "start_at": "2030-01-02T00:00:00Z", "end_at": "2030-01-01T00:00:00Z"}))
    assert replaced.status_code == 422
    assert {e["path"] for e in replaced.json()["errors"]} == {"schedule.end_at",
                                                              "schedule.start_at"}
    assert "end_at" not in api.get("/jobs/j1").json()["spec"]["schedule"]  # unchanged
