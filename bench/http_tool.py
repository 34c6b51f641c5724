"""Requests/s of the http tool at 100 concurrent, beside plain httpx and aiohttp.

Every client fetches the sandbox's ``/ping`` (the sandbox runs in its own process) with
100 requests in flight, after a warm-up; each client gets the same number of rounds,
interleaved, and its best round counts (the machine is shared). Clients:

* plain ``httpx.AsyncClient`` (its own pool: the baseline of the target),
* ``httpx.AsyncClient`` on httpx-aiohttp's transport (the published alternative),
* the http tool (``HttpTool.get``: httpx API, our aiohttp transport, SSRF guard, retries),
* a bare ``aiohttp.ClientSession`` (the ceiling).

Usage: python bench/http_tool.py [--requests N] [--rounds R]

(Not ``bench/http.py``: run as a script, a file of that name would shadow the standard
library's ``http`` package for every script in this folder.)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import httpx  # noqa: E402
from httpx_aiohttp import AiohttpTransport as PublishedTransport  # noqa: E402

from backend.core.config import Settings  # noqa: E402
from backend.tools.http import HttpTool  # noqa: E402
from bench._common import Report, peak_rss_mb, print_table, sandbox_process  # noqa: E402

CONCURRENCY = 100
GOAL_VS_HTTPX = 8.0

Fetch = Callable[[], Awaitable[object]]


async def drive(fetch: Fetch, total: int) -> float:
    """Requests/s of ``total`` fetches by CONCURRENCY workers."""
    per_worker = total // CONCURRENCY

    async def worker() -> None:
        for _ in range(per_worker):
            await fetch()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return per_worker * CONCURRENCY / (time.perf_counter() - start)


async def measure(base: str, requests: int, rounds: int) -> dict[str, float]:
    url = f"{base}/ping"
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    plain = httpx.AsyncClient(limits=limits, timeout=30)
    published = httpx.AsyncClient(transport=PublishedTransport(limits=limits), timeout=30)
    tool = HttpTool(settings=Settings(http_max_connections=CONCURRENCY,
                                      http_allow_hosts="127.0.0.1"))  # loopback server
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY))

    async def f_plain() -> object:
        return (await plain.get(url)).content

    async def f_published() -> object:
        return (await published.get(url)).content

    async def f_tool() -> object:
        return (await tool.get(url)).content

    async def f_aiohttp() -> object:
        async with session.get(url) as resp:
            return await resp.read()

    clients: dict[str, tuple[Fetch, int]] = {
        # Plain httpx is ~20x slower; fewer requests keep the run short, same concurrency.
        "httpx AsyncClient (plain)": (f_plain, max(CONCURRENCY * 5, requests // 6)),
        "httpx + httpx-aiohttp transport": (f_published, requests),
        "http tool (HttpTool.get)": (f_tool, requests),
        "aiohttp ClientSession": (f_aiohttp, requests),
    }
    best = dict.fromkeys(clients, 0.0)
    try:
        for fetch, _ in clients.values():
            await drive(fetch, CONCURRENCY * 3)  # open the pools, warm the code paths
        for _ in range(rounds):
            for name, (fetch, total) in clients.items():
                best[name] = max(best[name], await drive(fetch, total))
    finally:
        await plain.aclose()
        await published.aclose()
        await tool.aclose()
        await session.close()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with sandbox_process() as base:
        best = asyncio.run(measure(base, args.requests, args.rounds))
    baseline = best["httpx AsyncClient (plain)"]
    tool = best["http tool (HttpTool.get)"]
    rows = [(name, rps, rps / baseline) for name, rps in best.items()]
    print(f"GET {CONCURRENCY} concurrent against the sandbox's /ping, best of {args.rounds}")
    print_table(["client", "req/s", "x plain httpx"], rows)
    print(f"client process peak RSS: {peak_rss_mb():.0f} MB")
    report = Report()
    report.target("http_tool_vs_httpx", tool / baseline, goal=GOAL_VS_HTTPX)
    report.figure("http_tool_rps", tool)
    report.figure("httpx_rps", baseline)
    report.figure("httpx_aiohttp_transport_rps", best["httpx + httpx-aiohttp transport"])
    report.figure("aiohttp_rps", best["aiohttp ClientSession"])
    report.figure("http_tool_vs_aiohttp", tool / best["aiohttp ClientSession"])
    report.emit()


if __name__ == "__main__":
    main()
