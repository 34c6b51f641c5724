"""Campaign: the seed's 10,000 CRM customers and ten times that, over WhatsApp, Telegram
and email at scaled limits; and planning a CRM of 1,000,000 customers.

TARGETS, each size its own rows (``campaign_<size>_...``): wall ≤ 1.02 × the physical
bound (the slowest channel's message count ÷ its rate), 0 over-limit (the sandbox's own
limits are set to the campaign's rates, so going over is a 429 it counts), 0 duplicates,
peak RSS ≤ 150 MB (seed) / 200 MB (10×) and flat: the RSS of the send phase's last
quarter no more than 10 MB over its second quarter (no per-recipient state held).
``campaign_plan_1m_sec`` ≤ 10 s: segmenting and planning 1,000,000 customers into the
recipients table (the customers are built before the clock starts: what is timed is
the workflow's planning, not a CRM's paging).

Rates: the seed's per-minute rates scaled to per-second (``rate_window_sec: 1``): 20/s
on WhatsApp and Telegram, email 24/s (its own override, as the seed design has), so
10,000 customers take ~3 min; the 10× size runs at ``--scale-rate`` times those
(default 10: the same ~3 min for 100,000).

Each size runs in a child process of its own (a fresh RSS), executing the run exactly
as a worker does (``execute_run``) against the sandbox in its own process. "Wall" is
the send phase: from the first to the last message the sandbox received (the bound
covers sending); the whole run (customers loaded, plan, report) is printed beside it.
"limiter floor" is about the earliest the last message can leave with the limiter's
guard (messages are paced: one every ``(per + guard) / count``).

Usage: python bench/campaign.py [--rate 20] [--email-rate 24] [--scale-rate 10]
                                [--sizes 10000,100000] [--plan 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import Report, print_table, rss_mb  # noqa: E402

_CHILD_MARK = "CAMPAIGN-CHILD "
SEED_SIZE = 10_000


def _spec(job_id: str, rate: int, email_rate: int) -> dict[str, Any]:
    spec = json.loads((ROOT / "examples/jobs/black-friday-campaign-2026.json").read_text())
    now = datetime.now(UTC)
    # The seed's cron is invalid; send inside the moved window (else refused as unrunnable).
    send = (now + timedelta(hours=2)).astimezone(ZoneInfo("Asia/Jakarta"))
    spec["job_id"] = job_id
    spec["schedule"]["cron"] = f"{send.minute} {send.hour} {send.day} {send.month} *"
    spec["inputs"]["campaign"]["start_date"] = (now - timedelta(hours=1)).isoformat()
    spec["inputs"]["campaign"]["end_date"] = (now + timedelta(days=1)).isoformat()
    spec["inputs"].update(rate_limit_per_minute=rate, rate_window_sec=1,
                          channel_rate_limits={"email": email_rate})
    return spec


class _RssSeries:
    """This process's RSS every 0.1 s, with the time it was read."""

    def __init__(self) -> None:
        import threading

        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), rss_mb()))
            self._stop.wait(0.1)

    def __enter__(self) -> _RssSeries:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self) -> float:
        return max(v for _, v in self.samples)

    def growth(self, start: float, end: float) -> float:
        """Mean RSS of the last quarter of ``start..end`` minus that of its second."""
        span = end - start

        def mean(a: float, b: float) -> float:
            vals = [v for t, v in self.samples if start + a * span <= t <= start + b * span]
            return sum(vals) / len(vals) if vals else 0.0

        return mean(0.75, 1.0) - mean(0.25, 0.5)


# --- one size, in a child process ------------------------------------------------------
def child_size(size: int, rate: int, email_rate: int) -> dict[str, Any]:
    import httpx

    from backend.core.db import session_scope
    from backend.core.ratelimit import RateLimit
    from backend.jobs import runs as run_service
    from backend.jobs import service
    from backend.jobs.validation import parse_spec
    from backend.worker.lifecycle import execute_run

    admin = httpx.Client(base_url=os.environ["BENCH_SANDBOX"], timeout=120)
    admin.post("/_admin/reset").raise_for_status()
    admin.post("/_admin/crm", json={"customers": size}).raise_for_status()
    rules = {"whatsapp.messages": {"limit": rate, "window_sec": 1.0},
             "telegram.bot": {"limit": rate, "window_sec": 1.0}}  # fmt: skip
    admin.post("/_admin/limits", json=rules).raise_for_status()
    spec = _spec(f"bench-campaign-{size}", rate, email_rate)
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="bench")
        run_id = service.run_now(session=session, job_id=spec["job_id"]).id
    with _RssSeries() as series:
        started, cpu_start = time.perf_counter(), time.process_time()
        status = execute_run(run_id)
        run_wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_start
    with session_scope() as session:
        detail = run_service.get_run_detail(session=session, run_id=run_id)
        result, error = detail.run.result or {}, detail.run.error
    if status != "succeeded":
        raise SystemExit(f"run {status}: {error}")
    counters = admin.get("/_admin/counters").json()
    sent = admin.get("/_admin/sent", params={"limit": 10 * size}).json()["items"]
    times = sorted(m["at"] for m in sent)
    rates = {"whatsapp": rate, "telegram": rate, "email": email_rate}
    per_channel = {c: sum(counters["messages"].get(c, {}).values()) for c in rates}
    spans = {c: [m["at"] for m in sent if m["channel"] == c] for c in rates}
    floors = {c: (per_channel[c] - 1) / rates[c]  # paced: one slot every window / count
                 * RateLimit(key=c, count=rates[c], per=1.0).window_ms / 1000 for c in rates}
    return {
        "size": size, "planned": result.get("planned"), "received": len(sent),
        "send_wall": times[-1] - times[0], "run_wall": run_wall, "cpu": cpu,
        "bound": max(per_channel[c] / rates[c] for c in rates),
        "dupes": sum(n - 1 for per in counters["messages"].values()
                     for n in per.values() if n > 1),
        "over": sum(counters["rate_limited"].values()),
        "peak": series.peak(), "growth": series.growth(times[0], times[-1]),
        "channels": [[c, per_channel[c], rates[c], per_channel[c] / rates[c], floors[c],
                      max(spans[c]) - min(spans[c]) if spans[c] else 0.0] for c in rates],
        "floor": max(floors.values()),
    }  # fmt: skip


# --- planning a million customers, in a child process ----------------------------------
def child_plan(count: int) -> dict[str, Any]:
    import asyncio
    import dataclasses
    import gc

    from backend.connectors.crm import _customer
    from backend.sandbox.data.customers import customers
    from backend.services.campaign_recipients import CampaignRecipients
    from backend.workflows.campaign.plan import plan_recipients, segment_rules

    channels = ["whatsapp", "telegram", "email"]
    seed = [_customer(c) for c in customers(42)]
    # A million customers like the seed's, each with its own id (built before the clock).
    pages = [[dataclasses.replace(seed[n % len(seed)], customer_id=f"C{n:07d}")
              for n in range(start, min(count, start + 1000))]
             for start in range(0, count, 1000)]  # fmt: skip
    # Out of the garbage collector's sight: a worker never holds the CRM (it reads a page
    # at a time), so collections walking a million pre-built customers are the bench's
    # own cost, not the workflow's.
    gc.freeze()

    async def feed() -> Any:
        for page in pages:
            yield page

    store = CampaignRecipients(campaign_id="bench:plan-1m")
    started, cpu = time.perf_counter(), time.process_time()
    summary = asyncio.run(plan_recipients(feed(), store=store, rules=segment_rules({}, channels),
                                          channels=channels))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    stored = asyncio.run(store.count())
    return {"customers": summary["customers"], "planned": summary["planned"],
            "stored": stored, "sec": elapsed, "cpu": cpu}


# --- the parent: one install, one sandbox, a child per measure -------------------------
def _child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, env=dict(os.environ),
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    line = next(x for x in reversed(out.splitlines()) if x.startswith(_CHILD_MARK))
    return json.loads(line[len(_CHILD_MARK):])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=20, help="WhatsApp/Telegram per second")
    parser.add_argument("--email-rate", type=int, default=24, help="email per second")
    parser.add_argument("--scale-rate", type=float, default=10.0,
                        help="rates of the sizes above the seed's, times the seed's")
    parser.add_argument("--sizes", default=f"{SEED_SIZE},{10 * SEED_SIZE}")
    parser.add_argument("--plan", type=int, default=1_000_000, help="customers to plan (0: skip)")
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-plan", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_size:
        found = child_size(args.child_size, args.rate, args.email_rate)
        print(_CHILD_MARK + json.dumps(found), flush=True)
        return
    if args.child_plan:
        print(_CHILD_MARK + json.dumps(child_plan(args.child_plan)), flush=True)
        return
    from bench._workflow_env import workflow_install

    with workflow_install() as base:
        os.environ["BENCH_SANDBOX"] = base
        sizes = [int(s) for s in args.sizes.split(",") if s]
        found = []
        for size in sizes:
            scale = 1.0 if size <= SEED_SIZE else args.scale_rate
            rate, email = round(args.rate * scale), round(args.email_rate * scale)
            found.append(_child(["--child-size", str(size), "--rate", str(rate),
                                 "--email-rate", str(email)]))  # fmt: skip
        plan = _child(["--child-plan", str(args.plan)]) if args.plan else None
    report(found, plan)


def report(found: list[dict[str, Any]], plan: dict[str, Any] | None) -> None:
    out = Report()
    for f in found:
        print(f"\n{f['size']:,} customers")
        print_table(["channel", "messages", "limit/s", "count/rate s", "limiter floor s",
                     "sent over s"], f["channels"])  # fmt: skip
    print()
    print_table(["measure", *(f"{f['size']:,}" for f in found)], [
        ["planned (consenting customers)", *(f["planned"] for f in found)],
        ["messages received by the sandbox", *(f["received"] for f in found)],
        ["bound (slowest channel) s", *(f["bound"] for f in found)],
        ["send phase wall s", *(f["send_wall"] for f in found)],
        ["wall / bound", *(f["send_wall"] / f["bound"] for f in found)],
        ["whole run wall s", *(f["run_wall"] for f in found)],
        ["messages/s", *(f["received"] / f["send_wall"] for f in found)],
        ["worker CPU ms per message", *(f["cpu"] * 1000 / max(1, f["received"]) for f in found)],
        ["duplicates", *(f["dupes"] for f in found)],
        ["429 from the platforms", *(f["over"] for f in found)],
        ["peak RSS MB", *(f["peak"] for f in found)],
        ["RSS growth, send's last vs second quarter MB", *(f["growth"] for f in found)],
    ])  # fmt: skip
    for f in found:
        name = "campaign" if f["size"] <= SEED_SIZE else f"campaign_{f['size'] // 1000}k"
        out.target(f"{name}_wall_vs_bound", f["send_wall"] / f["bound"], goal=1.02,
                   higher_is_better=False)
        out.target(f"{name}_over_limit", f["over"], goal=0, higher_is_better=False)
        out.target(f"{name}_duplicates", f["dupes"], goal=0, higher_is_better=False)
        out.target(f"{name}_peak_rss_mb", f["peak"], goal=150 if f["size"] <= SEED_SIZE else 200,
                   higher_is_better=False)
        out.target(f"{name}_rss_growth_mb", f["growth"], goal=10, higher_is_better=False)
        out.figure(f"{name}_messages", f["received"])
        out.figure(f"{name}_messages_per_sec", f["received"] / f["send_wall"])
        out.figure(f"{name}_run_wall_vs_bound", f["run_wall"] / f["bound"])
        out.figure(f"{name}_limiter_floor_vs_bound", f["floor"] / f["bound"])
        out.figure(f"{name}_cpu_ms_per_message", f["cpu"] * 1000 / max(1, f["received"]))
    if plan is not None:
        print(f"\nplanning {plan['customers']:,} customers: {plan['planned']:,} planned, "
              f"{plan['stored']:,} stored, {plan['sec']:.2f} s ({plan['cpu']:.2f} s CPU)")
        out.target("campaign_plan_1m_sec", plan["sec"], goal=10, higher_is_better=False)
        out.figure("campaign_plan_1m_cpu_sec", plan["cpu"])
        out.figure("campaign_plan_1m_planned", plan["planned"])
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    out.figure("load_average_1m", load[0])
    out.emit()


if __name__ == "__main__":
    main()
