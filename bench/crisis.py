"""Crisis monitor: alert latency and posts analysed per second, against the sandbox in
its own process.

Latency: the seed job ticks every 30 s; here every ``--tick`` seconds (2 s), each tick a
run executed as a worker executes it. A crisis is replayed (120 negative posts per
platform over 5 s, one viral, one influencer); latency is from a post's creation in the
sandbox to its alert arriving there (the sandbox's own clock on both ends). Target: every
alert within tick interval + 2 s; exactly one crisis alert.

Throughput: one tick over a backlog of 4 × 2,000 posts (auto-responses off): posts per
second through fetch, brand filter, sentiment, rules and bookkeeping.

Usage: python bench/crisis.py [--tick 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import Report, RssSampler, print_table  # noqa: E402
from bench._workflow_env import workflow_install  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tick", type=float, default=2.0)
    args = parser.parse_args()
    with workflow_install() as base:
        import httpx

        run(httpx.Client(base_url=base, timeout=60), args.tick)


def _job(job_id: str, **extra: object) -> int:
    from backend.core.db import session_scope
    from backend.jobs import service
    from backend.jobs.validation import parse_spec

    spec = json.loads((ROOT / "examples/jobs/social-media-crisis-monitor.json").read_text())
    spec["job_id"] = job_id
    spec["inputs"]["rate_limits"] = {"social": 400}
    spec["inputs"].update(extra)
    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec), actor="bench")
    return 0


def _tick(job_id: str) -> tuple[str, dict]:
    from backend.core.db import session_scope
    from backend.jobs import runs as run_service
    from backend.jobs import service
    from backend.worker.lifecycle import execute_run

    with session_scope() as session:
        run_id = service.run_now(session=session, job_id=job_id).id
    status = execute_run(run_id)
    with session_scope() as session:
        detail = run_service.get_run_detail(session=session, run_id=run_id)
    return status, detail.run.result or {"error": detail.run.error}


def run(admin, tick: float) -> None:  # type: ignore[no-untyped-def]
    admin.post("/_admin/limits", json={"social.api": {"limit": 500, "window_sec": 1.0}})
    sampler = RssSampler().start()
    _job("crisis-latency", first_tick_lookback_sec=300)
    _tick("crisis-latency")  # the first tick reads the feeds' last 5 minutes: the baseline
    stop = threading.Event()
    ticks: list[float] = []

    def ticker() -> None:  # what the scheduler does: a run every `tick` seconds
        nxt = time.monotonic()
        while not stop.is_set():
            started = time.monotonic()
            _tick("crisis-latency")
            ticks.append(time.monotonic() - started)
            nxt += tick
            stop.wait(max(0.0, nxt - time.monotonic()))

    thread = threading.Thread(target=ticker, daemon=True)
    thread.start()
    time.sleep(tick * 1.3)
    replay = admin.post("/_admin/crisis/replay", json={"count": 120, "over_sec": 5}).json()
    time.sleep(5 + 3 * tick)
    stop.set()
    thread.join(60)
    injected = replay["injected"]
    created = {}  # post id -> created (s); ids are created_ms * 1000 + k
    for info in injected.values():
        for pid in (info["viral_id"], info["influencer_id"]):
            created[pid] = int(pid) // 1000 / 1000
    first_post = min(int(i["first_id"]) // 1000 / 1000 for i in injected.values())
    sent = admin.get("/_admin/sent").json()["items"]
    crisis = [m for m in sent if m["channel"] == "whatsapp"]
    post_alerts = [m for m in sent if m["channel"] in ("sms", "telegram")]
    # Each post alert arrives after its post; match alerts to the nearest earlier post.
    latencies = []
    for m in post_alerts:
        before = [c for c in created.values() if c <= m["at"]]
        if before:
            latencies.append(m["at"] - max(before))
    crisis_latency = crisis[0]["at"] - first_post if crisis else float("inf")
    worst = max([*latencies, crisis_latency])

    _job("crisis-throughput", auto_response={"enabled": False})
    _tick("crisis-throughput")
    admin.post("/_admin/crisis/replay", json={"count": 2000, "over_sec": 0})
    time.sleep(0.2)
    started = time.perf_counter()
    status, result = _tick("crisis-throughput")
    wall = time.perf_counter() - started
    peak = sampler.stop()
    posts = result.get("posts", 0)
    print_table(["measure", "value"], [
        ["tick interval s", tick], ["tick run wall, median s", sorted(ticks)[len(ticks) // 2]],
        ["crisis alerts", len(crisis)], ["crisis alert latency s", crisis_latency],
        ["post alerts", len(post_alerts)], ["worst post alert latency s", max(latencies or [0])],
        ["backlog tick: posts", posts], ["backlog tick: wall s", wall],
        ["posts/s", posts / wall], ["peak RSS MB", peak],
    ])  # fmt: skip
    report = Report()
    report.target("crisis_alert_latency_sec", worst, goal=tick + 2, higher_is_better=False)
    report.target("crisis_alerts_per_incident", len(crisis), goal=1, higher_is_better=False)
    report.figure("crisis_post_alerts", len(post_alerts))
    report.figure("crisis_posts_per_sec", posts / wall)
    report.figure("crisis_peak_rss_mb", peak)
    report.emit()


if __name__ == "__main__":
    main()
