"""Catalog sync over a seller's two Shopee shops, through the worker's run lifecycle
against the sandbox: each shop gets every product once at the catalog's price and
stock, its figures are its own, and a price the repricer owns in one shop is kept there
while the other shop's listing of the same SKU takes the catalog's price."""

from __future__ import annotations

from backend.sandbox.data.catalog import products
from backend.sandbox.pim import pim_product
from backend.sandbox.shop import listing
from backend.services import price_owners
from backend.worker.lifecycle import execute_run
from backend.workflows.catalog.rules import parse_sync_inputs, platform_price
from tests.workflows.conftest import run_detail, seed_spec, start_job

LIMIT = 4


def _spec() -> dict:
    """The seed job on Shopee only, both shops, the most recently changed products."""
    spec = seed_spec("product-catalog-sync")
    spec["job_id"] = "katalog-dua-toko"
    changed = sorted(products(42), key=lambda p: (p.updated_at, p.sku))
    spec["inputs"]["products"]["changed_since"] = changed[-LIMIT - 1].updated_at
    spec["inputs"]["platforms"] = ["shopee"]
    spec["inputs"]["accounts"] = {"shopee": ["default", "toko-b"]}
    return spec, [p.sku for p in changed[-LIMIT:]]


def _repricing_job(job_id: str) -> None:
    """A price-intelligence job that changes prices (its decisions stand while it does)."""
    from backend.core.db import session_scope
    from backend.jobs import service
    from backend.jobs.validation import parse_spec

    spec = seed_spec("ecommerce-price-intelligence")
    spec["job_id"] = job_id
    spec["inputs"]["accounts"] = {"shopee": ["toko-b"]}
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="test")


def test_a_catalog_sync_writes_each_shop_on_its_own(wf_env, admin, sandbox_server):
    spec, skus = _spec()
    # The repricer already priced the first product in toko-b: that price stays there.
    _repricing_job("harga")
    price_owners.take(platform="shopee", account="toko-b", sku=skus[0], job_id="harga",
                      run_id=1, price=111_900)  # fmt: skip
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    result = run_detail(run_id).run.result

    writes = admin.get("/_admin/counters").json()["listing_writes"]
    assert set(writes) == {"shopee", "shopee@toko-b"}
    assert writes["shopee"] == dict.fromkeys(skus, 1)
    assert writes["shopee@toko-b"] == dict.fromkeys(skus, 1)
    assert result["platforms"] == ["shopee", "shopee@toko-b"]
    inputs = parse_sync_inputs(spec["inputs"])
    state = sandbox_server.state
    for sku in skus:
        catalog_price = platform_price(pim_product(state, sku, base=""), "shopee",
                                       fees=inputs.fees, min_margin_pct=inputs.min_margin_pct)
        assert listing(state, "shopee", sku)["price"] == catalog_price
        in_b = listing(state, "shopee@toko-b", sku)["price"]
        assert in_b == (111_900 if sku == skus[0] else catalog_price), sku
    assert result["managed_by_repricing"] == [
        {"platform": "shopee@toko-b", "sku": skus[0], "job_id": "harga", "price": 111_900}]
