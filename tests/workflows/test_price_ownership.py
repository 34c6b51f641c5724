"""One owner per price: the seed's repricer and an hourly catalog sync over 24 hours of
the sandbox's clock. The products change every hour (stock), so the sync writes their
listings every hour; it keeps the repricer's prices ("managed by repricing") and takes
a listing back only when the decision ends: at hour 12 PROD002's base price changes in
the PIM, at hour 18 the repricing rule is switched off. No price goes back and forth,
and every price write on the platforms carries a key naming the job (and run) that made
it, the same key the run's ledger holds."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlmodel import select

from backend.core.db import session_scope
from backend.core.messages import render_message
from backend.jobs import service
from backend.jobs.validation import parse_spec
from backend.models import IdempotencyRecord
from backend.sandbox.credentials import CREDENTIALS
from backend.sandbox.pim import pim_product
from backend.sandbox.shop import listing
from backend.services import price_owners, price_reviews
from backend.worker.lifecycle import execute_run
from backend.workflows.catalog.rules import parse_sync_inputs, platform_price
from tests.workflows.conftest import (
    queue_run,
    run_detail,
    seed_spec,
    start_job,
)

PRICING, CATALOG = "ecommerce-price-intelligence", "catalog-hourly"
SKUS = ("PROD001", "PROD002")
SHOPS = ("shopee", "tokopedia", "lazada", "tiktok_shop", "blibli")  # the repricer's 5
BASE_CHANGE_HOUR, RULE_OFF_HOUR = 12, 18
START = 1_795_132_800 + 2  # 2026-11-20 00:00:02 UTC, just past a price step


def _pim(admin, sku: str, **fields) -> dict:
    resp = admin.patch(f"/pim/api/v1/products/{sku}", json=fields,
                       headers={"X-API-Key": CREDENTIALS["website"]["api_key"]})
    resp.raise_for_status()
    return resp.json()["data"]


def _run(job_id: str) -> dict:
    run_id = queue_run(job_id)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    return {**run_detail(run_id).run.result, "run_id": run_id}


def _catalog_spec(now: float) -> dict:
    spec = seed_spec("product-catalog-sync")
    spec["job_id"] = CATALOG
    spec["inputs"]["products"]["changed_since"] = int(now) - 1  # what changes from now on
    spec["inputs"]["platforms"] = [*SHOPS, "website"]
    spec["inputs"]["sync_options"].update(sync_images=False, ai_enhance=False)
    return spec


def _listing_price(sandbox, platform: str, sku: str) -> int:
    found = listing(sandbox.state, platform, sku)
    assert found is not None, (platform, sku)
    return int(found["price"])


@pytest.mark.slow  # ~40 s: 48 repricing runs and 24 catalog syncs
def _start_at(admin, moment: float) -> float:
    """Set the platforms' clock to ``moment`` (a 5-minute price step's start, plus 2 s):
    the same market every time the test runs."""
    now = admin.post("/_admin/clock", json={"advance_sec": 0}).json()["now"]
    return float(admin.post("/_admin/clock", json={"advance_sec": moment - now}).json()["now"])


def test_repricer_and_catalog_sync_over_a_day_never_fight(wf_env, admin, sandbox_server):
    start = _start_at(admin, START)
    catalog = _catalog_spec(start)
    inputs = parse_sync_inputs(catalog["inputs"])
    pricing = seed_spec("ecommerce-price-intelligence")  # as written
    for h, sku in enumerate(SKUS):
        _pim(admin, sku, stock=200 + h)
    assert execute_run(start_job(catalog)) == "succeeded"
    assert execute_run(start_job(pricing)) == "succeeded"  # the rule's preview
    price_reviews.approve_all(job_id=PRICING, actor="test")

    managed_seen: dict[int, int] = {}
    catalog_runs: dict[int, int] = {}
    released_at: dict[str, float] = {}
    for hour in range(24):
        for half in (0, 1):
            if hour or half:
                admin.post("/_admin/clock", json={"advance_sec": 1800})
            _run(PRICING)
        now = admin.post("/_admin/clock", json={"advance_sec": 0}).json()["now"]
        for sku in SKUS:  # orders arrive: the PIM's stock moves, so the sync takes them
            _pim(admin, sku, stock=300 - hour)
        if hour == BASE_CHANGE_HOUR:
            _pim(admin, "PROD002", price=275_000)
            released_at["PROD002"] = now
        if hour == RULE_OFF_HOUR:
            off = dict(pricing, inputs={**pricing["inputs"], "auto_update": False})
            with session_scope() as session:
                service.update_job(session=session, job_id=PRICING, parsed=parse_spec(off),
                                   actor="test")
            released_at.setdefault("PROD001", now)
            released_at["rule_off"] = now
        if hour == RULE_OFF_HOUR - 1:
            # Before the rule is off: every decision stands on the platforms as set.
            owners = price_owners.active_owners(SHOPS)
            assert owners, "the repricer owns some prices"
            for (platform, sku), owner in owners.items():
                assert _listing_price(sandbox_server, platform, sku) == owner["price"], (
                    platform, sku)
        synced = _run(CATALOG)
        assert synced["products"] == 2 and not synced["failures"], synced["failures"]
        managed_seen[hour] = len(synced["managed_by_repricing"])
        catalog_runs[hour] = synced["run_id"]

    # The sync left the repricer's prices alone while its decisions stood...
    assert all(managed_seen[h] > 0 for h in range(RULE_OFF_HOUR))
    assert managed_seen[RULE_OFF_HOUR] == 0  # ...and took them back once it was off.

    history = [h for h in admin.get("/_admin/price_history").json()["items"]
               if h["sku"] in SKUS and h["platform"] in SHOPS]  # fmt: skip
    # Every write names its job, and is in that job's ledger under the same key.
    with session_scope() as session:
        ledger = {r.key: r.job_id for r in session.exec(select(IdempotencyRecord))}
    for h in history:
        key = h["key"] or ""
        job = PRICING if key.startswith(f"price:{PRICING}:") else (
            CATALOG if key.startswith(f"catalog:{CATALOG}:") else None)
        assert job is not None, h
        assert ledger.get(key) == job, h

    # No back and forth: the catalog overrides a repricer's price only when the decision
    # ended (PROD002's base price at hour 12; the rule switched off at hour 18).
    by_listing: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for h in history:
        by_listing[(h["platform"], h["sku"])].append(h)
    overrides = []
    for (platform, sku), writes in by_listing.items():
        for before, after in zip(writes, writes[1:], strict=False):
            if before["key"].startswith("price:") and after["key"].startswith("catalog:"):
                overrides.append((platform, sku, after["at"]))
    assert overrides, "the rule switched off hands prices back to the catalog"
    for platform, sku, at in overrides:
        allowed = [released_at["rule_off"]] + ([released_at[sku]] if sku in released_at else [])
        assert any(0 <= at - t < 3600 for t in allowed), (platform, sku, at)
    per_listing = defaultdict(int)
    for platform, sku, _ in overrides:
        per_listing[(platform, sku)] += 1
    assert all(n <= (2 if sku == "PROD002" else 1) for (_, sku), n in per_listing.items())
    repriced = {k for k, w in by_listing.items() if any(x["key"].startswith("price:") for x in w)}
    assert len(repriced) >= 5

    # Each decision that ended says why (the run's log, the owner's record); the
    # listings show the catalog's price again.
    lines = [render_message(entry.message, "en")
             for entry in run_detail(catalog_runs[BASE_CHANGE_HOUR]).logs]
    assert any("PROD002: repricing no longer sets its price (catalog base price changed "
               "from 250000 to 275000)" in line for line in lines), lines  # fmt: skip
    assert not any("PROD001: repricing no longer" in line for line in lines)
    ended = price_owners.list_owners(job_id=PRICING, status="released")
    assert {o["sku"] for o in ended} == set(SKUS)
    rule_off = f"repricing job {PRICING} no longer changes prices (auto_update/strategy)"
    base = "catalog base price changed from 250000 to 275000"
    for owner in ended:  # a PROD002 listing the repricer did not take again keeps the base
        assert owner["released_reason"] in ((rule_off, base) if owner["sku"] == "PROD002"
                                            else (rule_off,)), owner  # fmt: skip
    for platform, sku in repriced:
        product = pim_product(sandbox_server.state, sku, base="")
        want = platform_price(product, platform, fees=inputs.fees,
                              min_margin_pct=inputs.min_margin_pct)
        assert _listing_price(sandbox_server, platform, sku) == want, (platform, sku)
