"""The BI report over a seller's two Shopee shops (inputs.accounts), through the worker's
run lifecycle against the sandbox: each shop's figures are read with its own token and
named by it, the headline is their sum, and every order row names its shop."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from backend.sandbox.data.series import daily_stats, orders_for_day
from backend.worker.lifecycle import execute_run
from tests.workflows.conftest import run_detail, seed_spec, start_job


def test_a_report_over_two_shopee_shops_names_each_shops_figures(wf_env, admin):
    day = (datetime.now(UTC) - timedelta(days=3)).date()
    spec = seed_spec("daily-bi-report")
    spec["job_id"] = "laporan-dua-toko"
    spec["inputs"].update(
        report_date=day.isoformat(), detail_days="compare", output_formats=["excel"],
        data_sources=[{"platform": "shopee", "metrics": ["sales", "orders"]}],
        accounts={"shopee": ["default", "toko-b"]})  # fmt: skip
    run_id = start_job(spec)
    assert execute_run(run_id) == "succeeded", run_detail(run_id).run.error
    detail = run_detail(run_id)
    result = detail.run.result
    assert result["sources_failed"] == []
    # The oracle: each shop's own daily stats (toko-b's are its own, about half).
    a, b = daily_stats(42, "shopee", day), daily_stats(42, "shopee@toko-b", day)
    assert 0 < b["orders"] < a["orders"]
    assert result["headline"]["sales"] == a["sales"] + b["sales"]
    assert result["headline"]["orders"] == a["orders"] + b["orders"]

    found = [x for x in detail.artifacts if x.name.endswith(".xlsx")]
    wb = load_workbook(wf_env.artifacts_dir / found[0].path, read_only=True)
    rows = list(wb["Pesanan"].iter_rows(min_row=1, values_only=True))
    column = rows[0].index(next(h for h in rows[0] if str(h).lower() in ("platform",
                                                                        "marketplace")))
    by_shop = Counter(str(r[column]) for r in rows[1:])
    assert by_shop == {"Shopee": a["orders"], "Shopee (toko-b)": b["orders"]}, by_shop
    ids_b = {o["order_id"] for o in orders_for_day(42, "shopee@toko-b", day)}
    ids_a = {o["order_id"] for o in orders_for_day(42, "shopee", day)}
    assert not ids_a & ids_b  # two shops, two sets of orders
