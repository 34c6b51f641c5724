"""Price-intelligence fan-out: N calls, 50 in flight, a server that answers in 20 ms.

TARGETS rows 1-2: 600 calls within 1.3x the bound of 600 / 50 x 20 ms = 0.24 s, 6,000
calls within 1.3x 2.4 s, under 100 MB RSS. Each measurement runs in a fresh process (a
new run starts with a cold connection pool, and RSS is per process) against a lean
20 ms HTTP server in a process of its own (``--server sandbox`` uses the sandbox's
``/echo?delay_ms=20`` instead; its per-request pipeline then dominates on 2 cores).
The http tool is measured beside a bare aiohttp loop and plain httpx (600 calls only).
The wall time of the calls is the median of the repeats; process start is not counted.

Usage: python bench/fanout.py [--repeats 5] [--server echo|sandbox]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    Report,
    echo_server,
    peak_rss_mb,
    print_table,
    sandbox_process,
)

IN_FLIGHT = 50
DELAY_MS = 20
GOAL_FACTOR = 1.3
GOAL_RSS_MB = 100.0


async def _calls(client: str, url: str, calls: int) -> tuple[float, float]:
    """Wall and CPU seconds for ``calls`` GETs with IN_FLIGHT at a time, cold pool."""
    gate = asyncio.Semaphore(IN_FLIGHT)
    if client == "tool":
        from backend.core.config import Settings
        from backend.tools.http import HttpTool

        tool = HttpTool(settings=Settings(http_max_connections=IN_FLIGHT,
                                          http_allow_hosts="127.0.0.1"))  # loopback server

        async def one() -> None:
            async with gate:
                (await tool.get(url)).json()

        close = tool.aclose
    elif client == "aiohttp":
        import aiohttp

        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=IN_FLIGHT))

        async def one() -> None:
            async with gate, session.get(url) as resp:
                await resp.json()

        close = session.close
    else:
        import httpx

        plain = httpx.AsyncClient(limits=httpx.Limits(max_connections=IN_FLIGHT), timeout=60)

        async def one() -> None:
            async with gate:
                (await plain.get(url)).json()

        close = plain.aclose
    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one() for _ in range(calls)))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    await close()
    return elapsed, cpu


def child(client: str, url: str, calls: int) -> None:
    """One measurement; prints a JSON line for the parent."""
    seconds, cpu = asyncio.run(_calls(client, url, calls))
    print(json.dumps({"sec": seconds, "cpu_sec": cpu, "rss_mb": peak_rss_mb()}))


def run_child(client: str, url: str, calls: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", client, "--url", url, "--calls", str(calls)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", choices=["tool", "aiohttp", "httpx"])
    parser.add_argument("--url", default="")
    parser.add_argument("--calls", type=int, default=600)
    parser.add_argument(
        "--server",
        choices=["echo", "sandbox"],
        default="echo",
        help="echo: a lean 20 ms server (measures the client); sandbox: /echo of the sandbox",
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.calls)
        return

    plan = [("tool", 600), ("aiohttp", 600), ("httpx", 600), ("tool", 6000), ("aiohttp", 6000)]
    results: dict[tuple[str, int], list[dict[str, float]]] = {key: [] for key in plan}
    server = sandbox_process() if args.server == "sandbox" else echo_server(delay_ms=DELAY_MS)
    with server as base:
        url = f"{base}/echo?delay_ms={DELAY_MS}"
        run_child("aiohttp", url, 200)  # the sandbox's first requests warm its code paths
        for _ in range(args.repeats):
            for client, calls in plan:
                if client == "httpx" and results[(client, calls)]:
                    continue  # one run is enough to show it; it takes seconds
                results[(client, calls)].append(run_child(client, url, calls))

    rows = []
    medians: dict[tuple[str, int], float] = {}
    for (client, calls), runs in results.items():
        bound = calls / IN_FLIGHT * DELAY_MS / 1000
        med = statistics.median(r["sec"] for r in runs)
        medians[(client, calls)] = med
        rss = max(r["rss_mb"] for r in runs)
        cpu_us = statistics.median(r["cpu_sec"] for r in runs) / calls * 1e6
        rows.append((client, calls, bound, med, med / bound, cpu_us, rss, len(runs)))
    print(
        f"{IN_FLIGHT} in flight, {args.server} server, delay {DELAY_MS} ms, fresh process per run"
    )
    headers = ["client", "calls", "bound s", "median s", "x bound", "CPU µs/call", "RSS MB", "runs"]
    print_table(headers, rows)

    report = Report()
    for calls in (600, 6000):
        bound = calls / IN_FLIGHT * DELAY_MS / 1000
        report.target(
            f"fanout_{calls}_sec",
            medians[("tool", calls)],
            goal=round(bound * GOAL_FACTOR, 3),
            higher_is_better=False,
        )
        report.figure(f"fanout_{calls}_aiohttp_sec", medians[("aiohttp", calls)])
    report.figure("fanout_600_httpx_sec", medians[("httpx", 600)])
    report.figure("load_average_1min", os.getloadavg()[0])
    tool_rss = max(r["rss_mb"] for (c, _), runs in results.items() if c == "tool" for r in runs)
    report.target("fanout_rss_mb", tool_rss, goal=GOAL_RSS_MB, higher_is_better=False)
    report.emit()


if __name__ == "__main__":
    main()
