"""Price intelligence over a seller's two Shopee shops against the sandbox, through the
worker's run lifecycle and through real scheduler and Dramatiq worker processes: each
shop is read, decided and written on its own, every write lands in the shop it was
decided for (its Idempotency-Key names the shop, and the sandbox records which shop
took it), and every review row, price owner and figure of the run names its shop."""

from __future__ import annotations

from collections import Counter

import pytest

from backend.sandbox.data.catalog import product_index
from backend.services import price_owners
from backend.worker.lifecycle import execute_run
from tests.system.cluster import FAST_TAKEOVER, Cluster
from tests.workflows.campaign_support import wait_until_ended
from tests.workflows.conftest import at_start_of_price_step, run_detail, seed_spec, start_job

SKUS = [f"PROD{i:03d}" for i in range(1, 41)]


def _two_shop_spec() -> dict:
    spec = seed_spec("ecommerce-price-intelligence")
    spec["job_id"] = "harga-dua-toko"
    spec["inputs"].update(
        products=[{"sku": s} for s in SKUS], marketplaces=["shopee"],
        accounts={"shopee": ["default", "toko-b"]}, report_channels=[],
        preview_first_run=False, max_changes_per_run=10_000)  # fmt: skip
    return spec


def _store_of_key(key: str) -> str:
    """The store a price write was decided for, from its ledger/Idempotency-Key
    ``price:{job}:{run}:{sku}:{store}:{target}``."""
    return key.rsplit(":", 2)[1]


def test_a_price_job_over_two_shopee_shops_keeps_each_shop_apart(wf_env, admin, api):
    at_start_of_price_step(admin)
    spec = _two_shop_spec()
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    _assert_each_shop_apart(spec, run_id, admin=admin, api=api)


@pytest.mark.e2e
@pytest.mark.slow
def test_the_same_through_a_scheduler_and_a_dramatiq_worker_process(wf_env, admin, api,
                                                                     tmp_path):
    """Where users run it: the run is dispatched by a real scheduler and executed by a
    Dramatiq worker process (its own accounts cache, its own connectors)."""
    at_start_of_price_step(admin)
    cluster = Cluster.from_environment(log_dir=tmp_path / "logs", **FAST_TAKEOVER)
    try:
        cluster.start_scheduler()
        cluster.start_worker("worker", threads=2)
        cluster.wait_ready(workers=1, timeout=60)
        spec = _two_shop_spec()
        run_id = start_job(spec)
        run = wait_until_ended(run_id, timeout=120, interval=0.2)
        assert run.status == "succeeded", (run.error, cluster.logs())
    finally:
        cluster.stop()
    _assert_each_shop_apart(spec, run_id, admin=admin, api=api)


def _assert_each_shop_apart(spec: dict, run_id: int, *, admin, api) -> None:
    result = run_detail(run_id).run.result
    # Both shops were priced, each with its own figures.
    assert set(result["stores"]) == {"shopee", "shopee@toko-b"}
    assert result["decisions"] == 2 * len(SKUS)  # toko-b lists these 40 too

    # Every write landed in the shop it was decided for: nothing crossed over.
    history = admin.get("/_admin/price_history").json()["items"]
    shops = Counter(h["shop"] for h in history)
    assert shops["default"] > 3 and shops["toko-b"] > 3, shops
    for h in history:
        expected = "shopee" if h["shop"] == "default" else f"shopee@{h['shop']}"
        assert _store_of_key(h["key"]) == expected, h
    changes = admin.get("/_admin/counters").json()["price_changes"]
    assert set(changes) == {"shopee", "shopee@toko-b"}
    assert all(n == 1 for per_sku in changes.values() for n in per_sku.values())
    assert sum(result["stores"][s]["ok"] for s in result["stores"]) == len(history)
    for store, figures in result["stores"].items():
        assert figures["ok"] == sum(changes[store].values()) and figures["failed"] == 0

    # The same product is priced apart in each shop: toko-b lists it dearer.
    by_shop = {(h["shop"], h["sku"]): h for h in history}
    both = [s for s in SKUS if ("default", s) in by_shop and ("toko-b", s) in by_shop]
    assert any(by_shop[("default", s)]["old"] != by_shop[("toko-b", s)]["old"] for s in both)

    # Review rows name their shop, with that shop's own current price.
    reviews = api.get("/price-reviews", params={"job_id": spec["job_id"], "status": "pending",
                                                "limit": 500}).json()["items"]  # fmt: skip
    assert {r["account"] for r in reviews} == {"default", "toko-b"}
    assert all(r["id"].endswith(":shopee@toko-b") == (r["account"] == "toko-b")
               for r in reviews)  # fmt: skip
    assert result["flagged"] == len(reviews)
    only_b = api.get("/price-reviews", params={"job_id": spec["job_id"], "status": "pending",
                                               "account": "toko-b"}).json()  # fmt: skip
    assert only_b["total"] == sum(r["account"] == "toko-b" for r in reviews) > 0
    assert {r["account"] for r in only_b["items"]} == {"toko-b"}
    index = product_index(42)
    for review in reviews:  # flagged listings were not written: their seeded prices
        price = index[review["sku"]].price
        own = price if review["account"] == "default" else price * 105 // 10_000 * 100
        assert review["current_price"] == own, review

    # The price owners (what catalog sync must leave alone) are per shop too.
    owners = price_owners.list_owners(job_id=spec["job_id"])
    assert Counter(o["account"] for o in owners) == Counter(h["shop"] for h in history)


def test_a_job_naming_no_accounts_prices_the_sandbox_default_shop_only(wf_env, admin):
    at_start_of_price_step(admin)
    spec = _two_shop_spec()
    del spec["inputs"]["accounts"]
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    assert set(run_detail(run_id).run.result["stores"]) == {"shopee"}
    changes = admin.get("/_admin/counters").json()["price_changes"]
    assert set(changes) == {"shopee"}


def test_all_my_shops_prices_every_shop_the_sandbox_plays(wf_env, admin):
    at_start_of_price_step(admin)
    spec = _two_shop_spec()
    spec["inputs"]["accounts"] = {"shopee": "all"}
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    assert set(run_detail(run_id).run.result["stores"]) == {"shopee", "shopee@toko-b"}
