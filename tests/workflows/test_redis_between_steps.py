"""Redis loses everything between two steps of a run (issue 19, point 3): what one step
hands the next is in the database, so a repricing run still proposes every change to the
review queue and a crisis tick still raises its crisis alert, once."""

from __future__ import annotations

import time

import pytest

from backend.services import price_reviews
from backend.worker.lifecycle import execute_run
from backend.workflows.crisis import workflow as crisis_workflow
from backend.workflows.pricing import workflow as pricing_workflow
from tests.conftest import flush_redis_prefix
from tests.workflows.conftest import (
    at_start_of_price_step,
    queue_run,
    run_detail,
    seed_spec,
    start_job,
)


def _flush_before(module, name: str, prefix: str, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make ``module.name`` (a step) start with FLUSHALL for this install."""
    step = getattr(module, name)
    flushed: list[int] = []

    async def flushing(*args, **kwargs):
        flushed.append(flush_redis_prefix(prefix))
        return await step(*args, **kwargs)

    monkeypatch.setattr(module, name, flushing)
    return flushed


def test_a_flush_before_the_reprice_step_loses_no_review(wf_env, admin, monkeypatch):
    at_start_of_price_step(admin)
    spec = seed_spec("ecommerce-price-intelligence")
    flushed = _flush_before(pricing_workflow, "reprice_step", wf_env.redis_prefix, monkeypatch)
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    result = run_detail(run_id).run.result
    assert flushed and flushed[0] > 0  # the offers' step had written to Redis
    pending = price_reviews.list_reviews(job_id=spec["job_id"], status="pending")
    proposals = [r for r in pending if r["held"] == "preview"]
    assert result["preview"] is True and result["held"]["preview"] == len(proposals) > 0


def test_a_flush_before_the_alert_step_loses_no_crisis_alert(wf_env, admin, monkeypatch):
    spec = seed_spec("social-media-crisis-monitor")
    admin.post("/_admin/limits", json={"social.api": {"limit": 500, "window_sec": 1.0}})
    spec["inputs"]["rate_limits"] = {"social": 400}
    spec["inputs"]["first_tick_lookback_sec"] = 300
    first = start_job(spec)
    assert execute_run(first) == "succeeded", run_detail(first).run.error
    admin.post("/_admin/crisis/replay", json={"count": 120, "over_sec": 1.5})
    time.sleep(1.8)
    flushed = _flush_before(crisis_workflow, "alert_step", wf_env.redis_prefix, monkeypatch)
    hot = queue_run(spec["job_id"])
    assert execute_run(hot) == "succeeded", run_detail(hot).run.error
    result = run_detail(hot).run.result
    assert flushed and result["happened"] == "opened" and result["status"] == "red"
    crisis_alerts = [m for m in admin.get("/_admin/sent").json()["items"]
                     if m["channel"] == "whatsapp"]  # fmt: skip
    assert len(crisis_alerts) == 1 and "krisis terdeteksi" in crisis_alerts[0]["text"]
