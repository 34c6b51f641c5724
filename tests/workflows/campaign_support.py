"""The campaign rule computed independently from the sandbox's CRM data, and helpers to
read what the sandbox received."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backend.sandbox.data.customers import customers
from tests.workflows.conftest import seed_spec

SEGMENT_CHANNEL = {"vip": "whatsapp", "new": "email"}  # everyone else: telegram


def campaign_spec(*, limit: int, rate: int, job_id: str | None = None) -> dict[str, Any]:
    """The seed campaign with its cron fixed, its dates moved around today, the audience
    cut to ``limit`` and the per-minute rate scaled to per-second."""
    spec = seed_spec("black-friday-campaign-2026")
    if job_id:
        spec["job_id"] = job_id
    now = datetime.now(UTC)
    # The seed's "0 9 * * 11-24" is invalid; its send goes inside the moved window (a send
    # outside it is refused: backend.jobs.runnable).
    send = (now + timedelta(hours=2)).astimezone(ZoneInfo("Asia/Jakarta"))
    spec["schedule"]["cron"] = f"{send.minute} {send.hour} {send.day} {send.month} *"
    spec["inputs"]["campaign"]["start_date"] = (now - timedelta(hours=1)).isoformat()
    spec["inputs"]["campaign"]["end_date"] = (now + timedelta(days=1)).isoformat()
    spec["inputs"]["audience"] = {"limit": limit}
    spec["inputs"]["rate_limit_per_minute"] = rate
    spec["inputs"]["rate_window_sec"] = 1
    return spec


def _address(c: dict[str, Any], channel: str) -> str:
    if channel == "whatsapp":
        return "".join(ch for ch in c["phone"] if ch.isdigit())
    if channel == "telegram":
        return str(c["telegram_chat_id"])
    return c["email"]


def expected_recipients(
    limit: int, channels: tuple[str, ...] = ("whatsapp", "telegram", "email")
) -> tuple[dict[str, set[str]], set[str]]:
    """``({channel: addresses}, addresses of customers who consented to nothing)`` for the
    first ``limit`` customers who get a message."""
    out: dict[str, set[str]] = defaultdict(set)
    refused: set[str] = set()
    planned = 0
    for c in customers(42):
        wanted = SEGMENT_CHANNEL.get(c["segment_hint"], "telegram")
        order = [wanted, c["preferred_channel"], *channels]
        channel = next((ch for ch in order if ch in channels and c["consent"].get(ch)), None)
        if channel is None:
            refused.update(_address(c, ch) for ch in channels)
            continue
        out[channel].add(_address(c, channel))
        planned += 1
        if planned == limit:
            break
    return dict(out), refused


def received(admin: Any) -> tuple[dict[str, Counter[str]], list[dict[str, Any]]]:
    """Messages per channel and recipient as the sandbox counted them, and its sent log."""
    counters = admin.get("/_admin/counters").json()["messages"]
    sent = admin.get("/_admin/sent", params={"limit": 200_000}).json()["items"]
    return {ch: Counter(per) for ch, per in counters.items()}, sent




def run_until_sent(api: Any, run_id: int, *, at_least: int,
                   timeout: float = 30) -> tuple[threading.Thread, dict[str, str]]:
    """Execute the run in a thread (as a worker would) until its campaign has sent
    ``at_least`` messages; returns the thread and where its outcome will be."""
    from backend.worker.lifecycle import execute_run

    outcome: dict[str, str] = {}
    worker = threading.Thread(target=lambda: outcome.update(status=execute_run(run_id)))
    worker.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats = api.get(f"/campaign-runs/{run_id}/stats")
        if stats.status_code == 200 and stats.json()["counters"].get("sent", 0) >= at_least:
            break
        time.sleep(0.05)
    return worker, outcome


def sending_worker_pid(admin: Any, run_id: int, *, at_least: int, timeout: float) -> int:
    """The pid of the worker holding the running campaign once the platforms have
    received ``at_least`` of its messages (worker ids are ``host:pid:...``)."""
    from backend.core.db import session_scope
    from backend.models import Run
    from tests.system.cluster import wait_for

    def holder() -> str | None:
        total = len(received(admin)[1])
        with session_scope() as session:
            run = session.get(Run, run_id)
            return run.worker_id if run.status == "running" and total >= at_least else None

    return int(wait_for(holder, timeout=timeout, interval=0.05).split(":")[1])


def wait_until_ended(run_id: int, *, timeout: float, interval: float) -> Any:
    """The run once it is succeeded, failed or cancelled."""
    from backend.core.db import session_scope
    from backend.models import Run
    from tests.system.cluster import wait_for

    def ended() -> Run | None:
        with session_scope() as session:
            run = session.get(Run, run_id)
            return run if run.status in ("succeeded", "failed", "cancelled") else None

    return wait_for(ended, timeout=timeout, interval=interval)
