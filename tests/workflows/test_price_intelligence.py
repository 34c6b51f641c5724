"""Price intelligence from the seed job against the sandbox: every price changed is the
one the rules give, nothing crosses a rule, each change happens once, flagged products
wait for review, and an approved review is applied by the next run."""

from __future__ import annotations

import math

from backend.sandbox.data.catalog import product_index
from backend.services import price_reviews
from backend.worker.lifecycle import execute_run
from tests.workflows.conftest import (
    at_start_of_price_step,
    queue_run,
    run_detail,
    seed_spec,
    start_job,
)

SEED = 42
MARKET_OF = {"tiktok": "tiktok_shop"}  # market search name -> shop platform in counters


def expected_price(admin, *, sku, platform, base, cost, sellers, undercut=5, margin=15,
                   discount=20):
    """The rule, computed here independently from the sandbox's public search."""
    offers = admin.get(f"/market/{platform}/search", params={"sku": sku}).json()["items"]
    live = [o["price"] for o in offers if o["seller"] in sellers and o["stock"] > 0]
    floor_raw = max(cost / (1 - margin / 100), base * (1 - discount / 100))
    floor = math.floor((floor_raw - 900) / 1000) * 1000 + 900
    floor = floor if floor >= floor_raw else floor + 1000
    if not live:
        return None, floor
    raw = min(min(live) * (1 - undercut / 100), base)  # never above the list price
    return math.floor((raw - 900) / 1000) * 1000 + 900, floor


def test_seed_job_changes_prices_exactly_as_the_rules_say(wf_env, admin, api):
    at_start_of_price_step(admin)
    spec = seed_spec("ecommerce-price-intelligence")
    # The seed's two products plus a stretch of the catalog, so both outcomes occur.
    spec["inputs"]["products"] += [{"sku": f"PROD{i:03d}"} for i in range(3, 31)]
    spec["inputs"]["report_channels"] = ["telegram", "email"]
    # The rules themselves, every change at once (preview and guard: test_price_guard).
    spec["inputs"].update(preview_first_run=False, max_changes_per_run=10_000)
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    result = run_detail(run_id).run.result
    sellers = set(spec["inputs"]["competitor_accounts"])
    history = admin.get("/_admin/price_history").json()["items"]
    changed = {(h["platform"], h["sku"]): h for h in history}
    assert len(changed) == len(history)  # one change per product and store, no repeats
    index = product_index(SEED)
    moved = flagged = 0
    for product in spec["inputs"]["products"]:
        sku = product["sku"]
        base = product.get("my_price", index[sku].price)
        for platform in spec["inputs"]["marketplaces"]:
            target, floor = expected_price(admin, sku=sku, platform=platform, base=base,
                                           cost=index[sku].cost, sellers=sellers)
            change = changed.get((MARKET_OF.get(platform, platform), sku))
            if target is None or target == base:
                assert change is None, (sku, platform)
            elif target < floor:  # breaks a rule: left alone, waiting for review
                assert change is None, (sku, platform, target, floor)
                flagged += 1
            else:
                assert change is not None and change["new"] == target, (sku, platform, target)
                assert floor <= change["new"] <= base
                moved += 1
    assert moved > 10 and flagged > 3  # both outcomes exercised
    assert result["changed"] == moved and result["failed"] == 0
    assert result["flagged"] == flagged
    reviews = api.get("/price-reviews", params={"job_id": spec["job_id"],
                                                "status": "pending"}).json()["items"]
    assert len(reviews) == flagged
    assert all(r["target_price"] >= r["floor_price"] for r in reviews)
    sent = admin.get("/_admin/sent").json()["items"]
    assert {m["channel"] for m in sent} == {"telegram", "email"} and len(sent) == 2
    assert f"Produk disesuaikan: {len({s for _, s in changed})}" in sent[0]["text"]

    # Approving one review: the next run applies exactly that price, once; nothing else
    # moves because every other price already sits where the rules put it.
    review = reviews[0]
    assert api.post(f"/price-reviews/{review['id']}/approve").json()["status"] == "approved"
    assert api.post(f"/price-reviews/{review['id']}/reject").status_code == 409
    second = queue_run(spec["job_id"])
    assert execute_run(second) == "succeeded", run_detail(second).run.error
    after = admin.get("/_admin/price_history").json()["items"]
    assert len(after) == len(history) + 1
    assert after[-1]["sku"] == review["sku"] and after[-1]["new"] == review["floor_price"]
    counters = admin.get("/_admin/counters").json()["price_changes"]
    assert all(n == 1 for per_sku in counters.values() for n in per_sku.values())
    assert price_reviews.list_reviews(job_id=spec["job_id"], status="applied")[0]["id"] == (
        review["id"])


def test_a_retried_apply_step_changes_each_price_once(wf_env, admin):
    """5xx on a third of the marketplace writes: retries resume, the ledger and the
    Idempotency-Key keep every change single."""
    at_start_of_price_step(admin)
    spec = seed_spec("ecommerce-price-intelligence")
    spec["inputs"]["products"] = {"source": "catalog", "limit": 12}
    spec["inputs"]["preview_first_run"] = False
    spec["retry_policy"] = {"max_retry": 5, "backoff_sec": [0]}
    admin.post("/_admin/faults", json={"platforms": {"shopee": {"p_5xx": 0.3},
                                                     "lazada": {"p_5xx": 0.3}}})
    run_id = start_job(spec)
    outcome = execute_run(run_id)
    while outcome == "retrying":
        from backend.core.db import session_scope
        from backend.models import Run

        with session_scope() as session:
            session.get(Run, run_id).not_before = None
        outcome = execute_run(run_id)
    assert outcome == "succeeded", run_detail(run_id).run.error
    counters = admin.get("/_admin/counters").json()
    assert counters["faults"], "faults were injected"
    changes = counters["price_changes"]
    assert sum(len(v) for v in changes.values()) == run_detail(run_id).run.result["changed"] > 0
    assert all(n == 1 for per_sku in changes.values() for n in per_sku.values())


def test_excel_report_goes_to_every_address_once_with_the_decisions(wf_env, admin):
    """What the planner writes for "kirim rekap ... ke email a, b dalam bentuk excel":
    ``report_formats: ["excel"]`` and two addresses on one channel."""
    at_start_of_price_step(admin)
    spec = seed_spec("ecommerce-price-intelligence")
    spec["job_id"] = "price-excel-report"
    spec["inputs"].update(report_channels=["email"], report_formats=["excel"],
                          report_to={"email": ["rekap@tokoku.com", "bos@tokoku.com"]})
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    names = {a.name for a in run_detail(run_id).artifacts}
    assert {"price-report.json", "price-report.xlsx"} <= names
    for address in ("rekap@tokoku.com", "bos@tokoku.com"):
        mails = admin.get("/_admin/mail", params={"to": address}).json()["items"]
        assert len(mails) == 1
        (attached,) = mails[0]["attachments"]
        assert attached["filename"] == "price-report.xlsx" and attached["size"] > 1000


def test_listings_go_slice_by_slice_and_every_decision_is_reported(wf_env, admin, api,
                                                                     monkeypatch):
    """Slices of 4 products (10,000 SKUs go 500 at a time): every decision and outcome
    reaches the report, every flagged one the review queue, each slice in one state row."""
    import orjson

    from backend.core.config import get_settings
    from backend.tools.state import StateTool
    from backend.workflows.pricing import slices, workflow

    monkeypatch.setattr(slices, "SLICE", 4)
    monkeypatch.setattr(workflow, "SLICE", 4)
    at_start_of_price_step(admin)
    spec = seed_spec("ecommerce-price-intelligence")
    spec["job_id"] = "price-slices"
    spec["inputs"]["products"] = {"source": "catalog", "limit": 18}  # 5 slices, the last of 2
    spec["inputs"].update(preview_first_run=False, max_changes_per_run=10_000,
                          report_channels=["telegram"])
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    detail = run_detail(run_id)
    result = detail.run.result
    (artifact,) = [a for a in detail.artifacts if a.name == "price-report.json"]
    report = orjson.loads((get_settings().artifacts_dir / artifact.path).read_bytes())
    assert set(report) == {"summary", "decisions", "outcomes", "calls"}
    assert len(report["decisions"]) == result["decisions"] > 60  # 18 x 5, less unlisted
    listings = {(d["sku"], d["platform"]) for d in report["decisions"]}
    assert len(listings) == len(report["decisions"])  # each listing once
    assert len(report["outcomes"]) == result["changed"] + result["failed"]
    assert result["changed"] > 0 and result["flagged"] > 0
    assert {o["verified"] for o in report["outcomes"]} == {True}
    flagged = {f"{d['sku']}@{d['platform']}" for d in report["decisions"]
               if d["action"] == "review"}  # fmt: skip
    assert sorted(flagged) == report["summary"]["flagged_items"] == result["flagged_items"]
    reviews = api.get("/price-reviews", params={"job_id": spec["job_id"], "status": "pending",
                                                "limit": 100}).json()["items"]  # fmt: skip
    assert len(reviews) == result["flagged"] == len(flagged)
    rows = StateTool(job_id=spec["job_id"])._items(f"run:{run_id}:done:")
    assert len(rows) == 5 * 5  # 5 marketplaces x 5 slices
    assert sum(len(r["decisions"]) for r in rows.values()) == result["decisions"]
