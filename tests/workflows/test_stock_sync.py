"""Real-time stock: an order on one marketplace lowers that SKU on every platform, a
cancelled order gives its units back, and two orders for the last unit on two
marketplaces at once never both stand: one is filled, the other cancelled on its
marketplace, and every listing shows 0."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from backend.core.db import session_scope
from backend.jobs import service
from backend.jobs.events import ingest_event
from backend.jobs.validation import parse_spec
from backend.tools.stock import StockTool
from backend.worker.lifecycle import execute_run
from tests.workflows.conftest import run_detail

PLATFORMS = ["shopee", "tokopedia", "tiktok_shop", "lazada", "blibli", "website"]
SKU = "PROD010"


def _jobs() -> None:
    for kind in ("order.created", "order.cancelled"):
        spec = {"job_id": f"stock-{kind.split('.')[1]}", "workflow": "catalog_sync",
                "trigger": {"event": kind}, "inputs": {
                    "platforms": PLATFORMS, "inventory": {"safety_stock": 0},
                    "allow_overlap": True}}
        with session_scope() as session:
            service.create_job(session=session, parsed=parse_spec(spec), actor="test")


def _shelf(admin: httpx.Client, stock: int) -> None:
    admin.post("/_admin/listings/stock", json={"sku": SKU, "stock": stock}).raise_for_status()
    asyncio.run(StockTool().seed({SKU: stock}))


def _stock(admin: httpx.Client) -> dict[str, int]:
    shown = admin.get("/_admin/listings/stock", params={"sku": SKU}).json()["stock"]
    return {p: shown[p] for p in PLATFORMS}


def _order(admin: httpx.Client, platform: str, order_id: str, status: str = "UNPAID"):
    return admin.post("/_admin/orders", json={"platform": platform, "order_id": order_id,
                                              "status": status,
                                              "items": [{"sku": SKU, "qty": 1}]})


def _event(platform: str, order_id: str, kind: str = "order.created") -> int:
    [run] = ingest_event(source=f"{platform}:shop", event_id=f"{order_id}:{kind}", kind=kind,
                         data={"platform": platform, "order_id": order_id}).runs
    return run


def _run(run_id: int) -> dict:
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    result = run_detail(run_id).run.result
    assert isinstance(result, dict)
    return result


def test_an_order_lowers_its_sku_everywhere_and_a_cancel_gives_it_back(wf_env, admin):
    _jobs()
    _shelf(admin, 5)
    assert _order(admin, "lazada", "LZ1").status_code == 200
    assert _stock(admin)["lazada"] == 4  # the marketplace took its unit; the others not yet
    done = _run(_event("lazada", "LZ1"))
    assert done["claims"] == [{"sku": SKU, "qty": 1, "outcome": "taken", "available": 4}]
    assert _stock(admin) == dict.fromkeys(PLATFORMS, 4)
    assert done["written"] == len(PLATFORMS) and done["skipped"] == {}
    from backend.services.run_summary import run_figures

    figures = {f["key"]: f["value"] for f in run_figures(run_id=0, workflow="catalog_sync",
                                                         result=done)}  # fmt: skip
    assert figures == {"stock_skus": 1, "listings_written": len(PLATFORMS)}
    # The same order reported again takes nothing more.
    again = ingest_event(source="oms:erp", event_id="LZ1", kind="order.created",
                         data={"platform": "lazada", "order_id": "LZ1"}).runs
    assert _run(again[0])["claims"][0]["outcome"] == "taken"
    assert _stock(admin) == dict.fromkeys(PLATFORMS, 4)
    # Cancelled: its unit is back on every platform, once.
    assert _order(admin, "lazada", "LZ1", "CANCELLED").status_code == 200
    back = _run(_event("lazada", "LZ1", "order.cancelled"))
    assert back["claims"] == [{"sku": SKU, "qty": 1, "outcome": "returned"}]
    assert _stock(admin) == dict.fromkeys(PLATFORMS, 5)


@pytest.mark.parametrize("backend_kind", ["sqlite", "postgres"], indirect=True)
def test_two_orders_for_the_last_unit_on_two_marketplaces_never_oversell(wf_env, admin):
    _jobs()
    _shelf(admin, 1)
    # Both marketplaces still show the last unit: each takes an order for it at once.
    assert _order(admin, "shopee", "SP1").status_code == 200
    assert _order(admin, "tiktok_shop", "TT1").status_code == 200
    runs = [_event("shopee", "SP1"), _event("tiktok_shop", "TT1")]
    results: dict[int, dict] = {}
    failures: list[str] = []

    def run(run_id: int) -> None:
        try:
            results[run_id] = _run(run_id)
        except AssertionError as exc:  # said in the main thread, with the run's error
            failures.append(str(exc))

    threads = [threading.Thread(target=run, args=(r,)) for r in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures and len(results) == 2, failures
    outcomes = sorted(r["claims"][0]["outcome"] for r in results.values())
    assert outcomes == ["short", "taken"]
    loser = next(r for r in results.values() if r["oversold"])
    assert loser["cancelled"] is True
    crm = {"X-API-Key": _crm_key()}
    statuses = {o: admin.get(f"/crm/api/v1/orders/{p}/{o}", headers=crm).json()["data"]["status"]
                for p, o in (("shopee", "SP1"), ("tiktok_shop", "TT1"))}
    assert sorted(statuses.values()) == ["cancelled", "unpaid"]  # exactly one stands
    assert statuses[loser["order_id"]] == "cancelled"
    assert _stock(admin) == dict.fromkeys(PLATFORMS, 0)
    assert asyncio.run(StockTool().level(SKU)).available == 0
    # Every listing at 0: a third marketplace refuses the next order.
    refused = _order(admin, "lazada", "LZ9")
    assert refused.status_code == 409 and refused.json()["error"] == "out_of_stock"


def _crm_key() -> str:
    from backend.sandbox.credentials import CREDENTIALS

    return str(CREDENTIALS["crm"]["api_key"])


def test_every_shop_of_a_platform_follows_with_accounts_all(wf_env, admin):
    spec = {"job_id": "stock-all-shops", "workflow": "catalog_sync",
            "trigger": {"event": "order.created"},
            "inputs": {"platforms": ["shopee", "tiktok_shop", "lazada"],
                       "accounts": {"shopee": "all", "tiktok_shop": "all"},
                       "inventory": {"safety_stock": 0}}}
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="test")
    _shelf(admin, 7)
    assert _order(admin, "lazada", "LZ50").status_code == 200
    done = _run(_event("lazada", "LZ50"))
    shown = admin.get("/_admin/listings/stock", params={"sku": SKU}).json()["stock"]
    stores = ["shopee", "shopee@toko-b", "tiktok_shop", "tiktok_shop@toko-b", "lazada"]
    assert {s: shown[s] for s in stores} == dict.fromkeys(stores, 6)
    assert done["written"] == len(stores)
