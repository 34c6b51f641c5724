"""Catalog sync from the seed spec against the sandbox: every product on every platform
once with the right price and stock, nothing written again when nothing changed, one
product's change written once per platform without re-encoding its images, and the same
end state through 10% failing platform calls."""

from __future__ import annotations

import pytest

from backend.core.config import get_settings
from backend.core.messages import render_message
from backend.sandbox.data.catalog import products
from backend.sandbox.pim import pim_product
from backend.sandbox.shop import listing
from backend.worker.lifecycle import execute_run
from backend.workflows.catalog.rules import parse_sync_inputs, platform_price, stock_to_push
from tests.conftest import flush_redis_prefix
from tests.workflows.conftest import queue_run, run_detail, seed_spec, start_job

LIMIT = 5


def _by_change(seed: int = 42) -> list:
    return sorted(products(seed), key=lambda p: (p.updated_at, p.sku))


def _spec(job_id: str = "product-catalog-sync", count: int = LIMIT) -> dict:
    """The seed job, starting with the ``count`` most recently changed products."""
    spec = seed_spec("product-catalog-sync")
    spec["job_id"] = job_id
    spec["inputs"]["products"]["changed_since"] = _by_change()[-count - 1].updated_at
    return spec


def _last_changed(count: int = LIMIT) -> list[str]:
    """The oracle: the products changed after the starting point."""
    return [p.sku for p in _by_change()[-count:]]


def _assert_in_place(sandbox, skus: list[str], spec: dict) -> None:
    """Every SKU on every platform, written once, at the expected price and stock."""
    inputs = parse_sync_inputs(spec["inputs"])
    state = sandbox.state
    for platform in inputs.platforms:
        for sku in skus:
            product = pim_product(state, sku, base="")
            got = listing(state, platform, sku)
            assert got is not None, (platform, sku)
            assert got["price"] == platform_price(product, platform, fees=inputs.fees,
                                                  min_margin_pct=inputs.min_margin_pct)
            stock = stock_to_push(product, safety_stock=inputs.safety_stock)
            if platform == "google_shopping":  # availability only: in stock or not
                assert (got["stock"] > 0) == (stock > 0)
            else:
                assert got["stock"] == stock
            assert all(u.startswith(sandbox.base_url + "/uploads/") for u in got["images"])
            # Meta catalogs and Priceza take one image URL per item; the others all.
            single = platform in ("instagram_shop", "facebook_shop", "priceza")
            assert len(got["images"]) == (1 if single else product["image_count"]), platform


def _writes(admin) -> dict:
    return admin.get("/_admin/counters").json()["listing_writes"]


@pytest.mark.slow  # ~25 s on a loaded 2-core machine: 3 syncs, ~20 images of 3000 px
def test_seed_sync_then_nothing_then_one_change(wf_env, admin, sandbox_server):
    spec = _spec()
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded"
    result = run_detail(run_id).run.result
    skus = _last_changed()
    assert result["products"] == LIMIT and result["failures"] == []
    assert result["writes"] == LIMIT * 10 and result["verified_ok"] == LIMIT * 10
    assert result["images"]["processed"] == result["images"]["images"] > 0
    _assert_in_place(sandbox_server, skus, spec)
    writes = _writes(admin)
    assert {p: set(v) for p, v in writes.items()} == {p: set(skus) for p in spec["inputs"][
        "platforms"]} and all(n == 1 for v in writes.values() for n in v.values())

    # Redis restarted (it keeps nothing on disk here), nothing changed: no product loaded,
    # no image touched, no write call. The watermark and the ledger are in the database.
    assert flush_redis_prefix(wf_env.redis_prefix) > 0
    before = admin.get("/_admin/counters").json()
    again = queue_run(spec["job_id"])
    assert execute_run(again) == "succeeded"
    quiet = run_detail(again).run.result
    assert quiet["products"] == 0 and quiet["writes"] == 0 and quiet["images"] is None
    after = admin.get("/_admin/counters").json()
    assert after["listing_writes"] == before["listing_writes"]
    assert after["image_uploads"] == before["image_uploads"]
    assert sum(after["requests"].values()) - sum(before["requests"].values()) == 2  # PIM page

    # One product edited in the back office: written once per platform, images reused.
    edited = skus[2]
    admin.patch(f"/pim/api/v1/products/{edited}", json={"price": 333_000, "stock": 77},
                headers={"X-API-Key": "sandbox-website-api-key"}).raise_for_status()
    third = queue_run(spec["job_id"])
    assert execute_run(third) == "succeeded"
    changed = run_detail(third).run.result
    assert changed["products"] == 1 and changed["writes"] == 10
    assert changed["images"]["processed"] == 0 and changed["images"]["published"] == 0
    assert changed["images"]["reused"] == changed["images"]["images"]
    writes = _writes(admin)
    assert all(writes[p][edited] == 2 and writes[p][skus[0]] == 1 for p in writes)
    _assert_in_place(sandbox_server, skus, spec)
    assert listing(sandbox_server.state, "website", edited)["price"] == 333_000


@pytest.mark.slow  # ~20-40 s loaded: timeouts are waited out
def test_sync_through_failing_platform_calls(wf_env, admin, sandbox_server, monkeypatch):
    # 2 s, not 1: at load 8 healthy calls took up to 0.84 s, near enough to 1 s that
    # real timeouts could join the injected ones.
    monkeypatch.setenv("HTTP_TIMEOUT_SEC", "2")
    get_settings.cache_clear()
    # 10% of every platform call fails: 5% HTTP 5xx, 5% hang past the client's timeout.
    admin.post("/_admin/faults", json={"global": {"p_5xx": 0.05, "p_timeout": 0.05,
                                                  "timeout_sec": 4}}).raise_for_status()
    spec = _spec("catalog-sync-faults", count=LIMIT * 4)
    spec["inputs"]["sync_options"]["sync_images"] = False
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded"
    result = run_detail(run_id).run.result
    faults = admin.get("/_admin/counters").json()["faults"]
    assert sum(faults.values()) >= 10  # the faults really happened ...
    assert result["retries"] >= 10  # ... were retried ...
    assert result["failures"] == [] and result["verified_ok"] == LIMIT * 4 * 10  # ... in place
    admin.post("/_admin/faults", json={"global": {}}).raise_for_status()
    state = sandbox_server.state
    inputs = parse_sync_inputs(spec["inputs"])
    skus = _last_changed(LIMIT * 4)
    for platform in inputs.platforms:
        for sku in skus:
            got = listing(state, platform, sku)
            assert got is not None and got["price"] == platform_price(
                pim_product(state, sku, base=""), platform, fees=inputs.fees,
                min_margin_pct=inputs.min_margin_pct)


@pytest.mark.slow  # ~15-30 s loaded: the down platform's retries are waited out, twice
def test_a_platform_that_is_down_trips_its_breaker(wf_env, admin, sandbox_server):
    count = 60
    admin.post("/_admin/faults", json={"platforms": {"lazada": {"p_5xx": 1.0}}}
               ).raise_for_status()
    spec = _spec("catalog-sync-down", count=count)
    spec["inputs"]["platforms"] = ["website", "lazada"]
    spec["inputs"]["sync_options"]["sync_images"] = False
    skus = _last_changed(count)
    before = admin.get("/_admin/counters").json()["requests"]
    try:
        run_id = start_job(spec)
        assert execute_run(run_id) == "succeeded"
    finally:
        admin.post("/_admin/faults", json={"platforms": {"lazada": None}}).raise_for_status()
    result = run_detail(run_id).run.result
    calls = admin.get("/_admin/counters").json()["requests"]["lazada"] - before.get("lazada", 0)
    # Without the breaker every listing waits out 5 tries in each of two rounds: 600 calls.
    assert calls < count * 5, calls
    # The report is honest: every product named once for Lazada, none for the website.
    assert sorted(f["sku"] for f in result["failures"]) == sorted(skus)
    assert {f["platform"] for f in result["failures"]} == {"lazada"}
    assert any("platform unavailable" in f["reason"] for f in result["failures"])
    writes = _writes(admin)
    assert set(writes["website"]) == set(skus) and not writes.get("lazada")
    logs = " ".join(render_message(line.message, "en") for line in run_detail(run_id).logs)
    assert "lazada: platform unavailable" in logs

    # Lazada is back: the next sync takes the same products again (the watermark stayed
    # before them) and writes Lazada only; the website's listings are unchanged.
    again = queue_run(spec["job_id"])
    assert execute_run(again) == "succeeded"
    second = run_detail(again).run.result
    assert second["products"] == count and second["failures"] == []
    assert second["writes"] == count and second["unchanged"] == count
    writes = _writes(admin)
    assert writes["lazada"] == dict.fromkeys(skus, 1)
    assert all(n == 1 for n in writes["website"].values())


@pytest.mark.slow  # ~10-20 s loaded: two syncs of two products with their photos
def test_a_photo_that_cannot_be_had_is_reported_and_taken_again(wf_env, admin,
                                                                 sandbox_server):
    spec = _spec("catalog-sync-photo", count=2)
    broken = _last_changed(2)[0]
    good = pim_product(sandbox_server.state, broken, base="")["images"]
    missing = f"/img/{broken}/99.jpg"  # the shop's image server answers 404
    admin.patch(f"/pim/api/v1/products/{broken}", json={"images": [*good, missing]},
                headers={"X-API-Key": "sandbox-website-api-key"}).raise_for_status()
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded"
    result = run_detail(run_id).run.result
    assert result["images"]["failed"] == 1 and result["writes"] == 2 * 10
    assert [(f["platform"], f["sku"], f["stage"]) for f in result["failures"]] == [
        ("images", broken, "image")]
    assert missing in result["failures"][0]["reason"] and "404" in result["failures"][0]["reason"]
    # Listed with the photos it has.
    assert len(listing(sandbox_server.state, "website", broken)["images"]) == len(good)

    # The next sync takes that product again (only it): nothing to write, photos reused,
    # the missing one named again.
    again = queue_run(spec["job_id"])
    assert execute_run(again) == "succeeded"
    second = run_detail(again).run.result
    assert second["products"] == 1 and second["writes"] == 0
    assert second["images"]["processed"] == 0 and second["images"]["failed"] == 1
    assert [f["sku"] for f in second["failures"]] == [broken]
