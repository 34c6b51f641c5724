"""FLUSHALL on the ``scripts/up`` stack's Redis in the middle of a campaign whose
recipients are opening, clicking and buying (issue 19, point 3), with a price review
queue and an open crisis incident beside it. What a seller would read afterwards is
measured against what the sandbox (the platforms) saw.

Used by tests/system/test_redis_flush.py.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

from backend.core.config import PROJECT_ROOT
from tests.reliability.servers import OwnRedis
from tests.system.stack import UpStack
from tests.system.stack_kills import campaign_spec

__all__ = ["FlushOutcome", "run_flush", "FUNNEL"]

FUNNEL = ("delivered", "opened", "clicked", "converted", "failed")
CAMPAIGN_JOB = "black-friday-flush"


@dataclass
class FlushOutcome:
    planned: int = 0
    sent_at_flush: int = 0
    keys_flushed: int = 0
    recipients: int = 0
    duplicates: int = 0  # recipients who got the campaign twice
    replayed: int = 0  # sends the platform answered from a key it had seen
    missing: int = 0
    run_status: str = ""
    webhooks_refused: int = 0
    # What the app counted after the flush against what the platforms reported.
    funnel: dict[str, int] = field(default_factory=dict)
    platform_funnel: dict[str, int] = field(default_factory=dict)
    revenue: float = 0.0  # the campaign's funnel counter
    attributed: float = 0.0  # revenue_orders: the campaign report's figure
    platform_revenue: float = 0.0
    dropped_at_flush: dict[str, Any] = field(default_factory=dict)  # counters that went down
    reviews: tuple[int, int] = (0, 0)  # before, after
    incidents: tuple[int, int] = (0, 0)
    dashboard_ticks: tuple[int, int] = (0, 0)


def _seed(name: str) -> dict[str, Any]:
    return json.loads((PROJECT_ROOT / "examples" / "jobs" / f"{name}.json").read_text())


def _run_now(api: httpx.Client, job_id: str, *, timeout: float = 180) -> dict[str, Any]:
    run = api.post(f"/jobs/{job_id}/run")
    assert run.status_code < 300, run.text
    run_id = run.json()["id"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        detail = api.get(f"/runs/{run_id}").json()
        status = detail.get("status") or detail.get("run", {}).get("status")
        if status in ("succeeded", "failed", "cancelled", "timed_out"):
            assert status == "succeeded", detail
            return detail
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} of {job_id} not done in {timeout} s")


def _records(api: httpx.Client) -> tuple[list[Any], list[Any], int]:
    reviews = api.get("/price-reviews").json()["items"]
    incidents = api.get("/monitor-incidents").json()["items"]
    ticks = len(api.get("/monitor-dashboard/crisis-flush").json()["series"])
    return reviews, incidents, ticks


def _stats(api: httpx.Client, run_id: int) -> dict[str, Any]:
    resp = api.get(f"/campaign-runs/{run_id}/stats")
    return resp.json()["counters"] if resp.status_code == 200 else {}


def _settled(api: httpx.Client, sandbox: str, run_id: int) -> list[dict[str, Any]]:
    """The sandbox's tracking events once the funnel has played out: no new event, no
    webhook still on its way to the app and no counter of the app still moving, over
    three polls in a row (on a loaded machine the webhooks lag the events)."""
    seen: list[Any] = []
    for _ in range(300):
        events = httpx.get(f"{sandbox}/_admin/tracking", params={"limit": 200_000},
                           timeout=10).json()["events"]  # fmt: skip
        hooks = httpx.get(f"{sandbox}/_admin/counters", timeout=10).json()["webhooks"]
        seen.append((len(events), sum(hooks.values()), _stats(api, run_id)))
        if len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]:
            return events
        time.sleep(3)
    raise AssertionError(f"the funnel kept moving: {seen[-3:]}")


def _prepare_records(api: httpx.Client, sandbox: str) -> None:
    """A price review queue (a new repricing rule's first run proposes its changes) and
    an open crisis incident (a calm tick, a replayed crisis, a hot tick)."""
    price = _seed("ecommerce-price-intelligence")
    price.pop("schedule")
    price["job_id"] = "price-flush"
    assert api.post("/jobs", json=price).status_code == 201
    _run_now(api, "price-flush")
    crisis = _seed("social-media-crisis-monitor")
    crisis.pop("schedule")
    crisis["job_id"] = "crisis-flush"
    crisis["inputs"]["rate_limits"] = {"social": 400}
    crisis["inputs"]["first_tick_lookback_sec"] = 300
    httpx.post(f"{sandbox}/_admin/limits", timeout=10,
               json={"social.api": {"limit": 500, "window_sec": 1.0}})
    assert api.post("/jobs", json=crisis).status_code == 201
    _run_now(api, "crisis-flush")
    httpx.post(f"{sandbox}/_admin/crisis/replay", json={"count": 120, "over_sec": 1.5},
               timeout=10)
    time.sleep(1.8)
    _run_now(api, "crisis-flush")


def run_flush(directory: Path, *, audience: int = 600, per_minute: int = 600) -> FlushOutcome:
    """Start the stack, prepare the records, flush Redis mid-campaign, measure."""
    out = FlushOutcome()
    own = OwnRedis(directory=directory / "redis")
    own.start()
    try:
        # Recipients 300x faster than life: a day's funnel in a couple of minutes.
        with UpStack.start(directory / "up", redis_url=own.url, PUBLIC_URL=None,
                           SANDBOX_TRACKING_SPEED="300") as stack:
            stack.wait_healthy()
            sandbox = f"http://127.0.0.1:{stack.env['SANDBOX_PORT']}"
            api = httpx.Client(base_url=stack.url, timeout=20)
            _prepare_records(api, sandbox)
            reviews, incidents, ticks = _records(api)
            assert reviews and any(i["status"] == "open" for i in incidents), (reviews, incidents)

            replayed_before = sum(httpx.get(f"{sandbox}/_admin/counters", timeout=10)
                                  .json().get("duplicates", {}).values())
            spec = campaign_spec(audience=audience, per_minute=per_minute)
            spec["job_id"] = CAMPAIGN_JOB
            assert api.post("/jobs", json=spec).status_code == 201
            run_id = api.post(f"/jobs/{CAMPAIGN_JOB}/run").json()["id"]
            deadline = time.monotonic() + 300
            before: dict[str, Any] = {}
            while time.monotonic() < deadline:
                before = _stats(api, run_id)
                if before.get("sent", 0) >= audience // 4 and before.get("opened", 0) > 0 \
                        and before.get("clicked", 0) > 0:
                    break
                time.sleep(0.5)
            out.sent_at_flush = int(before.get("sent", 0))
            assert 0 < out.sent_at_flush < audience, before

            client = redis.Redis.from_url(own.url)
            out.keys_flushed = int(client.dbsize())
            client.flushall()
            client.close()

            after = _stats(api, run_id)
            out.dropped_at_flush = {k: (v, after.get(k)) for k, v in before.items()
                                    if isinstance(v, int | float) and after.get(k, 0) < v}
            reviews_after, incidents_after, ticks_after = _records(api)
            out.reviews = (len(reviews), len(reviews_after))
            out.incidents = (len(incidents), len(incidents_after))
            out.dashboard_ticks = (ticks, ticks_after)
            assert reviews_after == reviews and incidents_after == incidents

            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                detail = api.get(f"/runs/{run_id}").json()
                out.run_status = detail.get("status") or detail.get("run", {}).get("status", "")
                if out.run_status in ("succeeded", "failed", "cancelled", "timed_out"):
                    break
                time.sleep(1)
            events = _settled(api, sandbox, run_id)
            counters = httpx.get(f"{sandbox}/_admin/counters", timeout=10).json()
            out.webhooks_refused = int(counters["webhooks"].get("failed", 0))
            final = _stats(api, run_id)
            sent = httpx.get(f"{sandbox}/_admin/sent", params={"limit": 200_000},
                             timeout=10).json()["items"]  # fmt: skip
            _measure(out, final=final, events=events, counters=counters, sent=sent,
                     replayed_before=replayed_before, db=Path(stack.env["DATA_DIR"]) / "spio.db")
            stack.interrupt()
            stack.proc.wait(90)
    finally:
        own.stop()
    return out


def _measure(out: FlushOutcome, *, final: dict[str, Any], events: list[dict[str, Any]],
             counters: dict[str, Any], sent: list[dict[str, Any]], replayed_before: int,
             db: Path) -> None:  # fmt: skip
    with sqlite3.connect(db, timeout=10) as conn:
        ours = {(channel, pid) for channel, pid in conn.execute(
            "SELECT channel, provider_id FROM sent_messages WHERE state = 'sent' "
            f"AND key LIKE 'campaign:{CAMPAIGN_JOB}:%'")}  # fmt: skip
        out.attributed = float(conn.execute(
            "SELECT coalesce(sum(amount), 0) FROM revenue_orders WHERE job_id = ?",
            (CAMPAIGN_JOB,)).fetchone()[0])
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    revenue: dict[tuple[str, str], float] = {}
    for e in events:
        message = (str(e.get("channel")), str(e.get("message_id")))
        if message in ours and e["type"] in FUNNEL:
            seen[e["type"]].add(message)
            if e["type"] == "converted" and e.get("revenue") is not None:
                revenue.setdefault(message, float(e["revenue"]))
    out.platform_funnel = {k: len(seen[k]) for k in FUNNEL}
    out.funnel = {k: int(final.get(k, 0)) for k in FUNNEL}
    out.platform_revenue = sum(revenue.values())
    out.revenue = float(final.get("revenue", 0))
    out.planned = int(final.get("planned", 0))
    # The campaign's customers as the platforms name them (the crisis monitor's alerts
    # went to the seller's own numbers).
    customers = {(m["channel"], m["recipient"]) for m in sent
                 if (m["channel"], m["message_id"]) in ours}  # fmt: skip
    per_recipient = [n for channel, by_to in counters.get("messages", {}).items()
                     for to, n in by_to.items() if (channel, to) in customers]  # fmt: skip
    out.recipients = len(per_recipient)
    out.duplicates = sum(n - 1 for n in per_recipient if n > 1)
    out.replayed = sum(counters.get("duplicates", {}).values()) - replayed_before
    out.missing = max(0, out.planned - out.recipients)
