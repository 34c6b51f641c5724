"""Price intelligence: the seed job over 100 catalog products × 5 marketplaces × 3
competitor accounts, then at ten times a seller's size (``--products`` 10,000, the
sandbox's shop grown to it), against the sandbox in its own process. At 10×: wall ≤
1.10 × the bound, peak RSS ≤ 200 MB, every decision recorded (the run's decisions in the
job's state, which the report is made of, one per listing decided).

Seed figure to beat: 600+ API calls in 5-10 minutes, ~50 MB. The physical bound here is
the busiest marketplace's requests ÷ its rate. The job runs at its default rates, 80% of
each platform's limit (at 100%, load jitter bunches requests into the platforms' token
buckets and costs 429s and Retry-After waits); the bound at the platforms' own limits is
printed beside it. "Wall" is the whole run as a worker executes it (steps, checkpoints,
report). Targets: wall ≤ 1.3 × the bound at the job's rates, 0 requests refused with
429, peak RSS ≤ 150 MB (the worker process, imports included).

Usage: python bench/price_intel.py [--products 10000] [--seed-products 100]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import Report, RssSampler, print_table  # noqa: E402
from bench._workflow_env import workflow_install  # noqa: E402

# The sandbox's own per-second limits (backend/sandbox/limits.py), used as the job's.
PLATFORM_RATES = {"shopee": 50, "tokopedia": 50, "tiktok_shop": 50, "lazada": 40, "blibli": 30}
_JOB_NAMES = {"tiktok_shop": "tiktok"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--seed-products", type=int, default=100)
    args = parser.parse_args()
    from backend.core.malloc import limit_malloc_arenas

    limit_malloc_arenas()  # as `python -m backend.worker` does for its processes
    # The sandbox's shop grows to the size asked for (the first 1,200 are the seed's).
    os.environ["SANDBOX_PRODUCTS"] = str(max(1200, args.products))
    with workflow_install() as base:
        import httpx

        admin = httpx.Client(base_url=base, timeout=120)
        seed = _one_run(admin, args.seed_products, job_id="price-seed")
        admin.post("/_admin/reset").raise_for_status()
        big = _one_run(admin, args.products, job_id="price-10x")
        report(seed, big)


def _one_run(admin, products: int, *, job_id: str) -> dict:  # type: ignore[no-untyped-def]
    from backend.connectors.door import DEFAULT_CALL_RATES
    from backend.core.db import session_scope
    from backend.jobs import runs as run_service
    from backend.jobs import service
    from backend.jobs.validation import parse_spec
    from backend.tools.state import StateTool
    from backend.worker.lifecycle import execute_run

    spec = json.loads((ROOT / "examples/jobs/ecommerce-price-intelligence.json").read_text())
    spec["job_id"] = job_id
    spec["timeout_ms"] = 3_600_000  # the seed's 10 minutes is under 10,000 SKUs' bound
    spec["inputs"]["products"] = {"source": "catalog", "limit": products}
    spec["inputs"]["report_channels"] = ["telegram", "email"]
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="bench")
        run_id = service.run_now(session=session, job_id=spec["job_id"]).id
    sampler = RssSampler().start()
    before = sampler.peak_mb
    started, cpu_started = time.perf_counter(), time.process_time()
    status = execute_run(run_id)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = sampler.stop()
    with session_scope() as session:
        detail = run_service.get_run_detail(session=session, run_id=run_id)
        result, error = detail.run.result or {}, detail.run.error
        steps = [[f"step {s.name}", (s.finished_at - s.started_at).total_seconds()]
                 for s in detail.steps if s.finished_at and s.started_at]  # fmt: skip
    if status != "succeeded":
        raise SystemExit(f"run {status}: {error}")
    state = StateTool(job_id=job_id)
    # What the report is made of: the run's decisions, slice by slice in its state.
    recorded = sum(len(v["decisions"]) for v in state._items(f"run:{run_id}:done:").values())
    counters = admin.get("/_admin/counters").json()
    requests = counters["requests"]
    per_platform = {p: requests.get(p, 0) for p in PLATFORM_RATES}
    searches = sum(v for k, v in requests.items() if k.startswith("market.search."))
    total = sum(per_platform.values()) + requests.get("market", 0) + requests.get("inventory", 0)
    return {
        "products": products, "wall": wall, "cpu": cpu, "peak": peak, "steps": steps,
        "rss_before": before,
        "total": total,
        "searches": searches, "per_platform": per_platform, "result": result,
        "recorded": recorded, "listings": result.get("decisions", 0),
        "bound": max(n / DEFAULT_CALL_RATES[_JOB_NAMES.get(p, p)]
                     for p, n in per_platform.items()),
        "platform_bound": max(n / PLATFORM_RATES[p] for p, n in per_platform.items()),
        "refused": sum(v for k, v in counters["rate_limited"].items() if "." not in k),
        "refused_by": {k: v for k, v in counters["rate_limited"].items() if "." in k},
    }  # fmt: skip


def report(seed: dict, big: dict) -> None:
    rows = [[p, seed["per_platform"][p], big["per_platform"][p], PLATFORM_RATES[p],
             big["per_platform"][p] / PLATFORM_RATES[p]] for p in PLATFORM_RATES]  # fmt: skip
    rows.append(["market search", seed["searches"], big["searches"], 200, big["searches"] / 200])
    print_table(["platform", "requests (seed)", "requests (10x)", "limit/s", "10x bound s"], rows)
    print()
    names = [("products x marketplaces", lambda r: r["products"] * 5),
             ("API calls", lambda r: r["total"]),
             ("decisions made", lambda r: r["listings"]),
             ("decisions recorded", lambda r: r["recorded"]),
             ("flagged for review", lambda r: r["result"].get("flagged")),
             ("bound at the job's rates s", lambda r: r["bound"]),
             ("bound at the platforms' limits s", lambda r: r["platform_bound"]),
             ("wall s", lambda r: r["wall"]), ("wall / bound", lambda r: r["wall"] / r["bound"]),
             ("calls/s", lambda r: r["total"] / r["wall"]),
             ("worker CPU s", lambda r: r["cpu"]),
             ("worker CPU / bound (cores needed)", lambda r: r["cpu"] / r["bound"]),
             ("429 refused", lambda r: r["refused"]),
             ("RSS before the run MB", lambda r: r["rss_before"]),
             ("peak RSS MB", lambda r: r["peak"])]  # fmt: skip
    print(f"429s by rule: seed {seed['refused_by']}, 10x {big['refused_by']}")
    steps = dict(big["steps"])
    print_table(["measure", f"seed ({seed['products']:,})", f"10x ({big['products']:,})"],
                [[n, f(seed), f(big)] for n, f in names]
                + [[s, v, steps.get(s, "")] for s, v in seed["steps"]])  # fmt: skip
    out = Report()
    out.target("price_intel_wall_vs_bound", seed["wall"] / seed["bound"], goal=1.3,
               higher_is_better=False)
    out.target("price_intel_429", seed["refused"], goal=0, higher_is_better=False)
    out.target("price_intel_peak_rss_mb", seed["peak"], goal=150, higher_is_better=False)
    out.target("price_intel_10x_wall_vs_bound", big["wall"] / big["bound"], goal=1.10,
               higher_is_better=False)
    out.target("price_intel_10x_peak_rss_mb", big["peak"], goal=200, higher_is_better=False)
    out.data["price_intel_10x_decisions_recorded"] = {
        "value": big["recorded"], "goal": big["listings"],
        "met": big["recorded"] == big["listings"] > 0}  # fmt: skip
    out.target("price_intel_10x_429", big["refused"], goal=0, higher_is_better=False)
    out.figure("price_intel_10x_products", big["products"])
    out.figure("price_intel_10x_api_calls", big["total"])
    out.figure("price_intel_10x_wall_sec", big["wall"])
    out.figure("price_intel_10x_cpu_sec", big["cpu"])
    out.figure("price_intel_10x_cpu_vs_bound", big["cpu"] / big["bound"])
    out.figure("price_intel_api_calls", seed["total"])
    out.figure("price_intel_wall_sec", seed["wall"])
    out.figure("load_avg_1m", os.getloadavg()[0])
    out.emit()


if __name__ == "__main__":
    main()
