"""Two machines' worth: the campaign and catalog workloads on one worker group, then on
two, as two hosts would run them (separate ``python -m backend.worker`` processes, one
scheduler, one shared PostgreSQL database and one shared Redis).

Workload, the same for both configurations, all queued at once:
* campaigns: four campaign jobs, one per CRM segment (vip, new, regular, dormant; so
  every consenting customer gets exactly one message), each on its own flow group, at
  ``--rate`` messages/s per channel (email ``--email-rate``): the platforms' limits,
  shared by every worker on every host (Redis rate slots);
* catalog: two catalog-sync jobs, ``--products`` products each to five platforms (the
  ten split in two), with their images.

The bound is the platforms' limits, not the workers: the campaigns' bound is the slowest
channel's messages ÷ its rate, whichever host sends them. A group runs ``--processes`` ×
``--threads`` jobs at once (1 × 2 by default: half the campaigns), so one group sends
them in two waves and two groups send all four at once, which the platforms' limits
then bound: the second group helps until the limits, and no further. What it shows:
the send phase of two groups against one, two groups against the bound, the runs on
both groups, and still 0 duplicates and 0 over-limit across the hosts. The catalog
syncs (their photos rendered by the sandbox before either configuration) are bound by
the image work, which two groups on this one machine share (the same two cores): their
ratio is printed beside.

TARGETS: ``campaign_two_groups_vs_bound`` ≤ 1.05, 0 duplicates and 0 over-limit, runs on
both groups; the ratio two groups / one is printed (a figure).

Usage: python bench/scale_out.py [--rate 20] [--email-rate 24] [--per-segment 300]
                                 [--products 20] [--processes 1] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
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

from bench._common import Report, fresh_postgres, print_table  # noqa: E402

SEGMENTS = ("vip", "new", "regular", "dormant")
CATALOG_PLATFORMS = (("shopee", "tokopedia", "lazada", "tiktok_shop", "instagram_shop"),
                     ("facebook_shop", "website", "google_shopping", "priceza", "idealo"))



def _start(args: list[str], *, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=dict(os.environ),
                            stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip


def _stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    except ProcessLookupError:
        pass


def _campaign_spec(segment: str, *, rate: int, email_rate: int, limit: int) -> dict[str, Any]:
    spec = json.loads((ROOT / "examples/jobs/black-friday-campaign-2026.json").read_text())
    now = datetime.now(UTC)
    send = (now + timedelta(hours=2)).astimezone(ZoneInfo("Asia/Jakarta"))
    spec["job_id"] = f"scaleout-campaign-{segment}"
    spec["schedule"]["cron"] = f"{send.minute} {send.hour} {send.day} {send.month} *"
    inputs = spec["inputs"]
    inputs["campaign"].update(name=f"Black Friday {segment}",
                              start_date=(now - timedelta(hours=1)).isoformat(),
                              end_date=(now + timedelta(days=1)).isoformat())  # fmt: skip
    inputs.update(flow_group=f"scaleout-{segment}", rate_limit_per_minute=rate,
                  rate_window_sec=1, channel_rate_limits={"email": email_rate},
                  audience={"segment": segment, "limit": limit})  # fmt: skip
    return spec


def _catalog_spec(half: int, *, products: int) -> dict[str, Any]:
    from backend.sandbox.data.catalog import products as catalog

    spec = json.loads((ROOT / "examples/jobs/product-catalog-sync.json").read_text())
    ordered = sorted(catalog(42), key=lambda p: (p.updated_at, p.sku))
    spec["job_id"] = f"scaleout-catalog-{half}"
    spec["inputs"].update(flow_group=f"scaleout-catalog-{half}",
                          platforms=list(CATALOG_PLATFORMS[half]))
    spec["inputs"]["products"].update(limit=products,
                                      changed_since=ordered[-products - 1].updated_at)
    return spec


def run_config(groups: int, workload: str, args: argparse.Namespace, admin: Any, logs: Path
               ) -> dict[str, Any]:  # fmt: skip
    """A workload's jobs queued at once on ``groups`` worker groups; what they took."""
    from bench._install import isolated_install

    with fresh_postgres(prefix="spio_bench_scaleout") as url, isolated_install(database_url=url):
        from sqlmodel import select

        from backend.core.db import session_scope
        from backend.jobs import service
        from backend.jobs.validation import parse_spec
        from backend.models import Run

        admin.post("/_admin/reset").raise_for_status()
        rule = {"limit": args.rate, "window_sec": 1.0}
        admin.post("/_admin/limits", json={"whatsapp.messages": rule, "telegram.bot": rule})
        if workload == "campaign":
            specs = [_campaign_spec(s, rate=args.rate, email_rate=args.email_rate,
                                    limit=args.per_segment) for s in SEGMENTS]  # fmt: skip
        else:
            specs = [_catalog_spec(h, products=args.products) for h in (0, 1)]
        name = f"{workload}-g{groups}"
        workers = [_start(["-m", "backend.worker", "--processes", str(args.processes),
                           "--threads", str(args.threads)], log=logs / f"{name}-w{g}.log")
                   for g in range(groups)]  # fmt: skip
        scheduler = _start(["-m", "backend.scheduler"], log=logs / f"{name}-sched.log")
        try:
            time.sleep(4)  # workers polling, a scheduler leading
            queued_at = time.time()
            with session_scope() as session:
                for spec in specs:
                    service.create_job(session=session, parsed=parse_spec(spec), actor="bench")
                    service.run_now(session=session, job_id=spec["job_id"])
            deadline = time.monotonic() + args.timeout
            while True:
                with session_scope() as session:
                    # The runs queued here (a spec's own schedule may fire and be
                    # skipped while they run: overlap is off).
                    runs = session.exec(select(Run).where(Run.trigger == "manual")).all()
                    ended = [r for r in runs if r.status in ("succeeded", "failed", "cancelled",
                                                              "timed_out")]  # fmt: skip
                    rows = [(r.job_id, r.status, r.worker_id or "", r.started_at,
                             r.finished_at) for r in runs]  # fmt: skip
                if len(ended) == len(specs):
                    members = _members({proc.pid for proc in workers})
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"{groups} group(s): runs still going after {args.timeout} s")
                time.sleep(0.5)
        finally:
            _stop(scheduler)
            for proc in workers:
                _stop(proc)
        return _measure(rows, admin=admin, args=args, queued_at=queued_at, groups=groups,
                        members=members)  # fmt: skip


def _members(group_pids: set[int]) -> dict[int, int]:
    """Each worker process's group (its ``python -m backend.worker`` parent's pid)."""
    import psutil

    out = {}
    for parent in group_pids:
        out[parent] = parent
        for child in psutil.Process(parent).children(recursive=True):
            out[child.pid] = parent
    return out


def _measure(rows: list[tuple[Any, ...]], *, admin: Any, args: argparse.Namespace,
             queued_at: float, groups: int, members: dict[int, int]) -> dict[str, Any]:
    failed = [(job, status) for job, status, *_ in rows if status != "succeeded"]
    if failed:
        raise SystemExit(f"{groups} group(s): runs did not succeed: {failed}")
    counters = admin.get("/_admin/counters").json()
    sent = admin.get("/_admin/sent", params={"limit": 1_000_000}).json()["items"]
    times = sorted(m["at"] for m in sent) or [queued_at, queued_at]
    rates = {"whatsapp": args.rate, "telegram": args.rate, "email": args.email_rate}
    per_channel = {c: sum(counters["messages"].get(c, {}).values()) for c in rates}
    # 429s of the messaging platforms (a catalog's marketplaces answer 429 too, and wait)
    over = sum(n for name, n in counters["rate_limited"].items()
               if name.split(".")[0] in rates)  # fmt: skip
    duplicates = sum(n - 1 for per in counters["messages"].values()
                     for n in per.values() if n > 1)  # fmt: skip
    catalog = [r for r in rows if r[0].startswith("scaleout-catalog")]
    catalog_wall = (max(r[4] for r in catalog) - min(r[3] for r in catalog)).total_seconds() \
        if catalog else 0.0  # fmt: skip
    # Runs per group: the worker id is host:pid:thread; a group is its parent's children.
    by_group: dict[int, int] = {}
    for _, _, worker, *_ in rows:
        group = members.get(int(worker.split(":")[1]), 0)
        by_group[group] = by_group.get(group, 0) + 1
    return {"groups": groups, "messages": len(sent), "send_wall": times[-1] - times[0],
            "first_message_after": times[0] - queued_at,
            "bound": max(per_channel[c] / rates[c] for c in rates) or 1.0,
            "duplicates": duplicates, "replays": sum(counters["duplicates"].values()),
            "over": over, "catalog_wall": catalog_wall,
            "runs_by_group": sorted(by_group.values(), reverse=True)}  # fmt: skip


def _warm_photos(base: str, *, products: int) -> None:
    """The sandbox renders a product's photos on first request and keeps them: render
    them before either catalog configuration, so neither pays for it."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from backend.sandbox.data.catalog import products as catalog

    chosen = sorted(catalog(42), key=lambda p: (p.updated_at, p.sku))[-products:]
    urls = [f"{base}/img/{p.sku}/{n}.jpg" for p in chosen for n in range(1, p.image_count + 1)]
    with ThreadPoolExecutor(4) as pool:
        for _ in pool.map(lambda u: httpx.get(u, timeout=300).raise_for_status(), urls):
            pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=20, help="WhatsApp/Telegram per second")
    parser.add_argument("--email-rate", type=int, default=24)
    parser.add_argument("--per-segment", type=int, default=300, help="recipients per campaign")
    parser.add_argument("--products", type=int, default=20, help="per catalog job (0: none)")
    parser.add_argument("--processes", type=int, default=1, help="worker processes a group")
    parser.add_argument("--threads", type=int, default=2,
                        help="threads a worker process: jobs a group runs at once")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    import tempfile

    import httpx

    from bench._common import free_port, sandbox_process

    logs = Path(tempfile.mkdtemp(prefix="spio-scaleout-"))
    smtp = free_port()
    with sandbox_process(seed=42, smtp_port=smtp) as base:
        from urllib.parse import urlsplit

        os.environ.update(SANDBOX_HOST="127.0.0.1", SANDBOX_PORT=str(urlsplit(base).port),
                          SMTP_PORT=str(smtp), SANDBOX_SEED="42")
        admin = httpx.Client(base_url=base, timeout=120)
        campaign = [run_config(groups, "campaign", args, admin, logs) for groups in (1, 2)]
        catalog: list[dict[str, Any]] = []
        if args.products:
            _warm_photos(base, products=args.products)
            catalog = [run_config(groups, "catalog", args, admin, logs) for groups in (1, 2)]
    report(campaign, catalog)


def report(campaign: list[dict[str, Any]], catalog: list[dict[str, Any]]) -> None:
    one, two = campaign
    print_table(["campaigns", "one group", "two groups"], [
        ["messages sent", one["messages"], two["messages"]],
        ["platform bound (slowest channel) s", one["bound"], two["bound"]],
        ["send phase s", one["send_wall"], two["send_wall"]],
        ["send phase / bound", one["send_wall"] / one["bound"],
         two["send_wall"] / two["bound"]],
        ["first message after queueing s", one["first_message_after"],
         two["first_message_after"]],
        ["runs per group", "/".join(map(str, one["runs_by_group"])),
         "/".join(map(str, two["runs_by_group"]))],
        ["duplicates (a recipient messaged twice)", one["duplicates"], two["duplicates"]],
        ["429 from the messaging platforms", one["over"], two["over"]],
    ])  # fmt: skip
    ratio = two["send_wall"] / one["send_wall"]
    out = Report()
    out.figure("campaign_two_vs_one_group", ratio)
    out.target("campaign_two_groups_vs_bound", two["send_wall"] / two["bound"], goal=1.05,
               higher_is_better=False)
    out.figure("campaign_one_group_vs_bound", one["send_wall"] / one["bound"])
    out.target("duplicates", one["duplicates"] + two["duplicates"], goal=0,
               higher_is_better=False)
    out.target("over_limit", one["over"] + two["over"], goal=0, higher_is_better=False)
    out.target("groups_running_runs", len(two["runs_by_group"]), goal=2)
    print(f"\ncampaigns, two groups / one group (send phase): {ratio:.3f}")
    if catalog:
        c1, c2 = catalog
        print()
        print_table(["catalog syncs", "one group", "two groups"], [
            ["wall s", c1["catalog_wall"], c2["catalog_wall"]],
            ["runs per group", "/".join(map(str, c1["runs_by_group"])),
             "/".join(map(str, c2["runs_by_group"]))],
        ])  # fmt: skip
        print(f"\ncatalog, two groups / one group: {c2['catalog_wall'] / c1['catalog_wall']:.3f}")
        out.figure("catalog_two_vs_one_group", c2["catalog_wall"] / c1["catalog_wall"])
        out.figure("catalog_one_group_sec", c1["catalog_wall"])
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    out.figure("load_average_1m", load[0])
    out.emit()


if __name__ == "__main__":
    main()
