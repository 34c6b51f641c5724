"""Preview before the first change: the seed repricing job, as written, first proposes
every change (review queue, one "approve all"); the next run applies exactly what was
approved; an edited rule previews again. Later runs change prices on their own up to
the per-run guard and send the rest to review."""

from __future__ import annotations

import pytest

from backend.core.db import session_scope
from backend.core.errors import InvalidInput
from backend.jobs import service
from backend.jobs.validation import parse_spec
from backend.services import price_owners, price_reviews
from backend.worker.lifecycle import execute_run
from backend.workflows.pricing.guard import _limit
from tests.workflows.conftest import (
    at_start_of_price_step,
    queue_run,
    run_detail,
    seed_spec,
    start_job,
)


def _history(admin) -> list[dict]:
    return admin.get("/_admin/price_history").json()["items"]


def _run(job_id: str) -> dict:
    run_id = queue_run(job_id)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    return run_detail(run_id).run.result


def test_the_seed_job_previews_first_and_applies_what_was_approved(wf_env, admin, api):
    at_start_of_price_step(admin)
    spec = seed_spec("ecommerce-price-intelligence")  # as written
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    first = run_detail(run_id).run.result
    assert first["preview"] is True and first["changed"] == 0
    assert _history(admin) == []  # not one live price touched
    pending = api.get("/price-reviews", params={"job_id": spec["job_id"],
                                                "status": "pending"}).json()["items"]
    proposals = [r for r in pending if r["held"] == "preview"]
    assert len(proposals) == first["held"]["preview"] > 0
    assert all(r["target_price"] != r["current_price"] for r in proposals)
    assert all(any(x.startswith("preview:") for x in r["reasons"]) for r in proposals)

    approved = api.post("/price-reviews/approve-all", json={"job_id": spec["job_id"]}).json()
    assert approved["approved"] == len(pending)
    second = _run(spec["job_id"])  # same 5-minute price step: the same market
    assert second["preview"] is False
    history = _history(admin)
    assert {(h["platform"], h["sku"], h["new"]) for h in history} == {
        (price_owners.listing_platform(r["platform"]), r["sku"], r["target_price"])
        for r in pending}
    assert len(history) == len(pending)  # each once
    assert all(h["key"].startswith(f"price:{spec['job_id']}:") for h in history)
    applied = price_reviews.list_reviews(job_id=spec["job_id"], status="applied")
    assert len(applied) == len(pending)
    # Each price set is the listing's owner now (catalog sync leaves it alone).
    owners = {(o["platform"], o["sku"]): o["price"]
              for o in price_owners.list_owners(job_id=spec["job_id"], status="active")}
    assert owners == {(h["platform"], h["sku"]): h["new"] for h in history}

    assert _run(spec["job_id"])["changed"] == 0  # everything sits where the rules put it

    # An edited rule is a new rule: its first run proposes again.
    edited = dict(spec, inputs={**spec["inputs"], "pricing_strategy": "undercut_by_3_percent"})
    with session_scope() as session:
        service.update_job(session=session, job_id=spec["job_id"], parsed=parse_spec(edited),
                           actor="test")
    third = _run(spec["job_id"])
    assert third["preview"] is True and third["changed"] == 0
    assert len(_history(admin)) == len(history)


def test_later_runs_change_prices_up_to_the_guard_and_send_the_rest_to_review(wf_env, admin):
    at_start_of_price_step(admin)
    spec = seed_spec("ecommerce-price-intelligence")
    spec["job_id"] = "pricing-guarded"
    spec["inputs"]["products"] = {"source": "catalog", "limit": 12}
    spec["inputs"]["max_changes_per_run"] = 4
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    preview = run_detail(run_id).run.result
    assert preview["preview"] is True and _history(admin) == []
    would = preview["held"]["preview"]
    assert would > 4

    second = _run(spec["job_id"])  # nobody approved: the guard decides
    assert second["preview"] is False and second["changed"] == 4
    assert len(_history(admin)) == 4
    assert second["held"] == {"guard": would - 4}
    held = [r for r in price_reviews.list_reviews(job_id=spec["job_id"], status="pending")
            if r["held"] == "guard"]
    assert len(held) == would - 4
    # The four applied settle their preview proposals; the rest are still to decide.
    assert len(price_reviews.list_reviews(job_id=spec["job_id"], status="applied")) == 4

    third = _run(spec["job_id"])  # the next four, and so on: never more than the guard
    assert third["changed"] == 4 and len(_history(admin)) == 8


def test_guard_inputs_are_checked():
    assert _limit({}, listings=10) == 50
    assert _limit({"max_changes_per_run": 7, "max_change_share": 0.5}, listings=10) == 5
    assert _limit({"max_change_share": 0.25}, listings=202) == 50
    with pytest.raises(InvalidInput) as bad:
        _limit({"max_change_share": 1.5}, listings=10)
    assert bad.value.errors[0].path == "inputs.max_change_share"
    with pytest.raises(InvalidInput) as bad:
        _limit({"max_changes_per_run": -1}, listings=10)
    assert bad.value.errors[0].path == "inputs.max_changes_per_run"
