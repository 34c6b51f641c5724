"""Price intelligence: the seed job over 100 catalog products × 5 marketplaces × 3
competitor accounts, against the sandbox in its own process.

Seed figure to beat: 600+ API calls in 5-10 minutes, ~50 MB. The physical bound here is
the busiest marketplace's requests ÷ its rate. The job runs at its default rates, 80% of
each platform's limit (at 100%, load jitter bunches requests into the platforms' token
buckets and costs 429s and Retry-After waits); the bound at the platforms' own limits is
printed beside it. "Wall" is the whole run as a worker executes it (steps, checkpoints,
report). Targets: wall ≤ 1.3 × the bound at the job's rates, 0 requests refused with
429, peak RSS ≤ 150 MB (the worker process, imports included).

Usage: python bench/price_intel.py [--products 100]
"""

from __future__ import annotations

import argparse
import json
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
    parser.add_argument("--products", type=int, default=100)
    args = parser.parse_args()
    with workflow_install() as base:
        import httpx

        run(httpx.Client(base_url=base, timeout=60), args.products)


def run(admin, products: int) -> None:  # type: ignore[no-untyped-def]
    from backend.connectors.door import DEFAULT_CALL_RATES
    from backend.core.db import session_scope
    from backend.jobs import runs as run_service
    from backend.jobs import service
    from backend.jobs.validation import parse_spec
    from backend.worker.lifecycle import execute_run

    spec = json.loads((ROOT / "examples/jobs/ecommerce-price-intelligence.json").read_text())
    spec["inputs"]["products"] = {"source": "catalog", "limit": products}
    spec["inputs"]["report_channels"] = ["telegram", "email"]
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="bench")
        run_id = service.run_now(session=session, job_id=spec["job_id"]).id
    sampler = RssSampler().start()
    started = time.perf_counter()
    status = execute_run(run_id)
    wall = time.perf_counter() - started
    peak = sampler.stop()
    with session_scope() as session:
        detail = run_service.get_run_detail(session=session, run_id=run_id)
        result, error = detail.run.result or {}, detail.run.error
        steps = [[f"step {s.name}", (s.finished_at - s.started_at).total_seconds()]
                 for s in detail.steps if s.finished_at and s.started_at]  # fmt: skip
    if status != "succeeded":
        raise SystemExit(f"run {status}: {error}")
    counters = admin.get("/_admin/counters").json()
    requests = counters["requests"]
    per_platform = {p: requests.get(p, 0) for p in PLATFORM_RATES}
    searches = sum(v for k, v in requests.items() if k.startswith("market.search."))
    total = sum(per_platform.values()) + requests.get("market", 0) + requests.get("inventory", 0)
    platform_bound = max(n / PLATFORM_RATES[p] for p, n in per_platform.items())
    bound = max(n / DEFAULT_CALL_RATES[_JOB_NAMES.get(p, p)] for p, n in per_platform.items())
    refused = sum(v for k, v in counters["rate_limited"].items() if "." not in k)
    rows = [[p, n, PLATFORM_RATES[p], n / PLATFORM_RATES[p]] for p, n in per_platform.items()]
    rows.append(["market search", searches, 200, searches / 200])
    print_table(["platform", "requests", "limit/s", "bound s"], rows)
    print()
    print_table(["measure", "value"], [
        ["products x marketplaces", products * 5], ["API calls", total],
        ["prices changed", result.get("changed")], ["flagged for review", result.get("flagged")],
        ["bound at the job's rates s", bound], ["bound at the platforms' limits s",
        platform_bound], ["wall s", wall], ["calls/s", total / wall],
        ["429 refused", refused], ["peak RSS MB", peak], *steps,
    ])  # fmt: skip
    report = Report()
    report.target("price_intel_wall_vs_bound", wall / bound, goal=1.3, higher_is_better=False)
    report.target("price_intel_429", refused, goal=0, higher_is_better=False)
    report.target("price_intel_peak_rss_mb", peak, goal=150, higher_is_better=False)
    report.figure("price_intel_api_calls", total)
    report.figure("price_intel_calls_per_sec", total / wall)
    report.figure("price_intel_wall_sec", wall)
    report.figure("price_intel_wall_vs_platform_bound", wall / platform_bound)
    report.emit()


if __name__ == "__main__":
    main()
