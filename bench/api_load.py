"""REST API under a steady mixed load: POST /jobs and GET /runs from this process against
the web process as ``scripts/up`` runs it (``python -m spio_ui.serve``: Granian, the
Reflex app with the API mounted in it, ``WEB_WORKERS`` processes: scripts/up's default,
read from it, unless the environment sets one), started on a free loopback port, on
SQLite and on PostgreSQL. The one difference: it is started with ``--no-frontend``, so
the compiled pages (which no request here asks for) are not built. ``--server uvicorn``
measures the API alone under uvicorn (``spio api``) instead. Rates step up until p99
passes 200 ms or a request fails.

Beside latency it reports what a request costs the server in CPU (all its processes,
from /proc): unlike the rates, that figure hardly moves with what else the machine runs,
so it compares runs made under different loads.

Open loop: request i is due at t0 + i/rate and its latency is counted from when it was
due, so a server that falls behind is charged for the queue it builds (no coordinated
omission).

    .venv/bin/python bench/api_load.py [--db sqlite|postgres|both] [--step-sec 8]
                                       [--rates 100,200,300,400,500,600]
                                       [--server up|uvicorn]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from bench._common import (  # noqa: E402
    ROOT,
    Report,
    free_port,
    fresh_postgres,
    print_table,
    rss_mb,
)
from bench._install import isolated_install  # noqa: E402

P99_GOAL_MS = 200.0
RATE_GOAL = 400.0  # requests/s with p99 < 200 ms and no error (issue 19), on each database



def up_default(name: str) -> str:
    """The default ``scripts/up`` gives ``name`` (``export NAME="${NAME:-value}"``)."""
    text = (ROOT / "scripts" / "up").read_text()
    found = re.search(rf'^export {name}="\$\{{{name}:-([^}}]*)\}}"', text, re.MULTILINE)
    if found is None:
        raise SystemExit(f"scripts/up sets no default for {name}")
    return found.group(1)


def _group_pids(leader: int) -> list[int]:
    """The processes of the server's process group (its own session: Granian's workers)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == leader:  # field 5 of stat: the process group
                pids.append(int(entry))
    return pids


def _group_cpu_sec(leader: int) -> float:
    total = 0
    for pid in _group_pids(leader):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime of the process
    return total / os.sysconf("SC_CLK_TCK")


class _GroupRss:
    """Highest summed RSS of the server's processes (sampled every 0.2 s)."""

    def __init__(self, leader: int) -> None:
        import threading

        self.leader, self.peak_mb = leader, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0.0
            for pid in _group_pids(self.leader):
                try:
                    total += rss_mb(pid)
                except OSError:
                    pass
            self.peak_mb = max(self.peak_mb, total)
            self._stop.wait(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mb


def _seed(*, runs: int) -> str:
    """An admin token, and history for GET /runs to page through."""
    from datetime import timedelta

    from backend.auth.tokens import create_token
    from backend.core.db import session_scope
    from backend.jobs import service
    from backend.jobs.validation import parse_spec
    from backend.models import Run
    from backend.models.types import utcnow

    with session_scope() as session:
        _, token = create_token(session=session, name="bench", role="admin")
        for i in range(20):
            service.create_job(session=session, parsed=parse_spec(
                {"job_id": f"seed-{i}", "workflow": "noop",
                 "schedule": {"interval_sec": 60}}), actor="bench")
    now = utcnow()
    with session_scope() as session:
        session.add_all([
            Run(job_id=f"seed-{i % 20}", workflow="noop", status="succeeded",
                scheduled_for=now - timedelta(seconds=i), started_at=now, finished_at=now,
                attempt=1, trigger="schedule")
            for i in range(runs)
        ])
    return token


def _serve(port: int, *, server: str = "up", web_workers: str = "1") -> subprocess.Popen[bytes]:
    if server == "uvicorn":
        command = ["-m", "uvicorn", "backend.api.app:create_app", "--factory",
                   "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    else:
        command = ["-m", "spio_ui.serve", "--no-frontend"]
    return subprocess.Popen(
        [sys.executable, *command], cwd=ROOT,
        env={**os.environ, "API_HOST": "127.0.0.1", "API_PORT": str(port),
             "WEB_WORKERS": web_workers},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )


async def _step(base: str, token: str, *, rate: float, seconds: float) -> dict[str, float]:
    import aiohttp

    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {"post": [], "get": []}
    errors: dict[str, int] = {}
    count = int(rate * seconds)
    run_tag = uuid.uuid4().hex[:6]
    connector = aiohttp.TCPConnector(limit=256)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     headers=headers) as http:
        async def one(i: int, due: float) -> None:
            try:
                if i % 2 == 0:
                    spec = {"job_id": f"load-{run_tag}-{i}", "workflow": "noop",
                            "schedule": {"interval_sec": 3600}}
                    async with http.post(f"{base}/jobs", json=spec) as response:
                        await response.read()
                        ok = response.status == 201
                else:
                    async with http.get(f"{base}/runs?limit=50&offset={i % 200}") as response:
                        await response.read()
                        ok = response.status == 200
                if not ok:
                    errors[str(response.status)] = errors.get(str(response.status), 0) + 1
            except Exception as exc:  # timeouts, resets: all errors
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            latencies.append(time.perf_counter() - due)
            by_kind["post" if i % 2 == 0 else "get"].append(latencies[-1])

        t0 = time.perf_counter() + 0.05
        tasks = []
        for i in range(count):
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, due)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - t0

    def pct(values: list[float], q: float) -> float:
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    return {"rate": rate, "achieved": count / elapsed, "p50_ms": pct(latencies, 0.50),
            "p99_ms": pct(latencies, 0.99), "max_ms": max(latencies) * 1000,
            "post_p50_ms": pct(by_kind["post"], 0.5), "get_p50_ms": pct(by_kind["get"], 0.5),
            "errors": sum(errors.values()), "error_kinds": errors}


def measure(kind: str, *, rates: list[float], step_sec: float, seed_runs: int,
            server_kind: str = "up", web_workers: str = "1") -> dict:
    """Step through ``rates`` on one database; returns the rows and the verdict."""
    import urllib.error
    import urllib.request

    @contextmanager
    def database() -> Iterator[str | None]:
        if kind == "postgres":
            with fresh_postgres() as url:
                yield url
        else:
            yield None

    rows: list[dict] = []
    with database() as url, isolated_install(database_url=url):
        token = _seed(runs=seed_runs)
        port = free_port()
        server = _serve(port, server=server_kind, web_workers=web_workers)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90  # the Reflex app imports every page
            while True:
                try:
                    urllib.request.urlopen(f"{base}/health", timeout=1)
                    break
                except urllib.error.HTTPError:
                    break  # it answers (503: no scheduler or worker runs beside it)
                except Exception as exc:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("api did not start: "
                                           + (server.stderr.read().decode()[-2000:]
                                              if server.poll() is not None else "timeout")
                                           ) from exc
                    time.sleep(0.2)
            sampler = _GroupRss(server.pid)  # the server and its workers
            asyncio.run(_step(base, token, rate=10, seconds=2))  # warm up
            for rate in rates:
                cpu_before = _group_cpu_sec(server.pid)
                row = asyncio.run(_step(base, token, rate=rate, seconds=step_sec))
                row["cpu_sec"] = _group_cpu_sec(server.pid) - cpu_before
                row["cpu_ms"] = row["cpu_sec"] * 1000 / max(1, int(rate * step_sec))
                row["load"] = os.getloadavg()[0]
                rows.append(row)
                print(f"  {kind} {rate:>6.0f}/s  p50 {row['p50_ms']:7.1f} ms  "
                      f"p99 {row['p99_ms']:7.1f} ms  (p50 POST {row['post_p50_ms']:.1f}, "
                      f"GET {row['get_p50_ms']:.1f})  {row['cpu_ms']:.2f} ms CPU/request  "
                      f"load {row['load']:.1f}  errors {row['errors']} "
                      f"{row['error_kinds'] or ''}", flush=True)
                if row["p99_ms"] >= P99_GOAL_MS * 2 or row["errors"] > row["rate"]:
                    break  # well past degradation: no need to push further
            peak_rss = sampler.stop()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    good = [r["rate"] for r in rows if r["p99_ms"] < P99_GOAL_MS and r["errors"] == 0]
    bad = [r["rate"] for r in rows if not (r["p99_ms"] < P99_GOAL_MS and r["errors"] == 0)]
    best = max((r for r in good if all(b > r for b in bad)), default=0.0)
    return {"rows": rows, "best": best, "degrades_at": min(bad) if bad else None,
            "peak_rss_mb": peak_rss,
            "cpu_ms": (sum(r["cpu_sec"] for r in rows) * 1000
                       / max(1, sum(int(r["rate"] * step_sec) for r in rows)))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--step-sec", type=float, default=8.0)
    parser.add_argument("--rates", default="100,200,300,400,500,600")
    parser.add_argument("--seed-runs", type=int, default=5000)
    parser.add_argument("--server", choices=["up", "uvicorn"], default="up")
    args = parser.parse_args()
    web_workers = os.environ.get("WEB_WORKERS") or up_default("WEB_WORKERS")
    rates = [float(r) for r in args.rates.split(",")]
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    report = Report()
    table = []
    for kind in kinds:
        result = measure(kind, rates=rates, step_sec=args.step_sec, seed_runs=args.seed_runs,
                         server_kind=args.server, web_workers=web_workers)
        for r in result["rows"]:
            table.append([kind, f"{r['rate']:.0f}", f"{r['achieved']:.0f}",
                          f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}", f"{r['max_ms']:.0f}",
                          r["errors"], f"{r['cpu_ms']:.2f}", f"{r['load']:.1f}"])
        report.target(f"{kind}_max_rate_p99_under_200ms", result["best"], goal=RATE_GOAL)
        report.figure(f"{kind}_degrades_at_rate", result["degrades_at"])
        report.figure(f"{kind}_api_peak_rss_mb", round(result["peak_rss_mb"], 1))
        report.figure(f"{kind}_server_cpu_ms_per_request", round(result["cpu_ms"], 2))
    report.figure("server", args.server)
    report.figure("web_workers", int(web_workers) if args.server == "up" else 1)
    report.figure("load_average_1m", round(os.getloadavg()[0], 2))
    print()
    print(f"mixed load: half POST /jobs, half GET /runs?limit=50 (seeded history); "
          f"latency from when each request was due; server: {args.server} "
          f"({web_workers} web workers); load average {os.getloadavg()[0]:.1f}")
    print_table(["db", "rate/s", "achieved/s", "p50 ms", "p99 ms", "max ms", "errors",
                 "CPU ms/req", "load 1m"], table)
    report.emit()
    return 0 if report.all_met else 1


if __name__ == "__main__":
    raise SystemExit(main())
