"""The run page's summary: what a run did, in numbers, from its result and the durable
records, per workflow (real runs against the sandbox), worded in each language."""

from __future__ import annotations

import statistics
from types import SimpleNamespace

from backend.services.run_summary import run_figures
from backend.worker.lifecycle import execute_run
from spio_ui.pages.run_detail_state import run_summary
from tests.workflows.campaign_support import campaign_spec, expected_recipients, received
from tests.workflows.conftest import at_start_of_price_step, run_detail, seed_spec, start_job


def _by_key(figures: list[dict]) -> dict[str, dict]:
    return {f["key"] + (f":{f['arg']}" if f["arg"] else ""): f for f in figures}


def test_a_repricing_run_says_how_many_prices_changed_and_by_how_much(wf_env, admin):
    at_start_of_price_step(admin)
    spec = seed_spec("ecommerce-price-intelligence")
    spec["inputs"]["products"] += [{"sku": f"PROD{i:03d}"} for i in range(3, 21)]
    spec["inputs"].update(preview_first_run=False, max_changes_per_run=10_000)
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded"
    detail = run_detail(run_id)
    figures = _by_key(run_figures(run_id=run_id, workflow="price_intelligence",
                                  result=detail.run.result))  # fmt: skip
    history = admin.get("/_admin/price_history").json()["items"]  # what the shops saw
    assert figures["prices_changed"]["value"] == len(history) > 10
    average = statistics.fmean((h["new"] - h["old"]) / h["old"] * 100 for h in history)
    assert abs(figures["average_change"]["value"] - average) < 0.01
    assert figures["proposed_for_review"]["value"] == detail.run.result["flagged"] > 0
    worded = {f["key"]: f for f in run_summary(detail)}
    assert worded["prices_changed"] == {
        "key": "prices_changed", "label": {"id": "harga diubah", "en": "prices changed"},
        "value": {"id": f"{len(history):,}".replace(",", "."), "en": f"{len(history):,}"}}
    change = worded["average_change"]["value"]
    assert change["id"].startswith("\u2212") and change["id"].endswith(" %")  # a minus sign
    assert change["en"] == change["id"].replace(",", ".").replace(" %", "%")


def test_a_campaign_run_counts_messages_per_channel_from_the_ledger(wf_env, admin):
    from tests.workflows.test_campaign import RATE, limit_sandbox

    limit_sandbox(admin, RATE)
    run_id = start_job(campaign_spec(limit=60, rate=RATE))
    assert execute_run(run_id) == "succeeded"
    detail = run_detail(run_id)
    figures = _by_key(run_figures(run_id=run_id, workflow="campaign", result=detail.run.result))
    expected, _ = expected_recipients(60)
    per_recipient, _ = received(admin)
    assert figures["messages_sent"]["value"] == 60
    for channel, addresses in expected.items():
        assert figures[f"sent_on:{channel}"]["value"] == len(addresses) == len(
            per_recipient[channel])
    labels = {f["label"]["id"] for f in run_summary(detail)}
    assert {f"terkirim lewat {name}" for name in ("WhatsApp", "Telegram", "Email")} <= labels


def test_report_catalog_and_crisis_figures_from_their_results():
    bi = _by_key(run_figures(run_id=1, workflow="bi_report", result={
        "rows": {"orders": 1200, "ads": 30}, "files": {"pdf": "a", "excel": "b"},
        "deliveries": {"sent": [{"channel": "email"}, {"channel": "telegram"}], "failed": []},
        "headline": {"sales": 125_500_000}}))
    assert (bi["rows_reported"]["value"], bi["report_files"]["value"],
            bi["reports_sent"]["value"], bi["sales"]["unit"]) == (1230, 2, 2, "rupiah")
    catalog = _by_key(run_figures(run_id=1, workflow="catalog_sync", result={
        "writes": 2400, "products": 240, "platforms": ["shopee", "lazada"],
        "images": {"processed": 700}, "verified": 2400, "verified_ok": 2398, "failures": []}))
    assert catalog["listings_written"]["value"] == 2400
    assert catalog["images_processed"]["value"] == 700
    crisis = _by_key(run_figures(run_id=1, workflow="crisis_monitor", result={
        "posts": 85, "mentions": 31, "alerts_sent": 4}))
    assert [crisis[k]["value"] for k in ("posts_read", "mentions", "alerts_sent")] == [85, 31, 4]
    assert run_figures(run_id=1, workflow="noop", result={"x": 1}) == []
    assert run_figures(run_id=1, workflow="campaign", result=None) == []  # still running
    worded = run_summary(SimpleNamespace(run=SimpleNamespace(
        id=1, workflow="bi_report", result={"rows": {"orders": 1200}, "headline": {"sales": 1e6}})))
    assert {"key": "sales", "label": {"id": "penjualan", "en": "sales"},
            "value": {"id": "Rp 1.000.000", "en": "Rp 1,000,000"}} in worded
    assert {"key": "rows_reported", "label": {"id": "baris data dilaporkan", "en": "rows reported"},
            "value": {"id": "1.200", "en": "1,200"}} in worded
