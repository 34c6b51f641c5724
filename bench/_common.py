"""Helpers every benchmark shares: memory, timing, a readable table, the final JSON line.

A benchmark prints a table for people and, as its LAST line, one JSON object for
machines, where each target reads ``"name": {"value": v, "goal": g, "met": bool}``::

    from bench._common import Report, peak_rss_mb, print_table

    report = Report()
    report.target("http_tool_vs_httpx", ratio, goal=8, higher_is_better=True)
    report.figure("httpx_rps", 580)
    print_table(["client", "req/s"], rows)
    report.emit()                                # prints the JSON line

Run a bench from the project root: ``python bench/<name>.py`` (``ROOT`` is put on the
import path by :func:`use_project_root`).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ROOT",
    "use_project_root",
    "peak_rss_mb",
    "rss_mb",
    "RssSampler",
    "timed",
    "print_table",
    "Report",
    "free_port",
    "sandbox_process",
    "echo_server",
    "POSTGRES_ADMIN",
    "fresh_postgres",
]

ROOT = Path(__file__).resolve().parents[1]


def use_project_root() -> None:
    """Make ``import backend`` work when the bench is run as a script."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def peak_rss_mb(*, children: bool = False) -> float:
    """Peak resident memory of this process (or of its finished children) in MB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def rss_mb(pid: int | None = None) -> float:
    """Current resident memory of a process (this one by default) in MB."""
    with open(f"/proc/{pid or os.getpid()}/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class RssSampler:
    """Highest RSS of a process seen between ``start()`` and ``stop()`` (sampled)."""

    def __init__(self, pid: int | None = None, *, interval_sec: float = 0.01) -> None:
        import threading

        self._pid = pid
        self._interval = interval_sec
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_mb = 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_mb = max(self.peak_mb, rss_mb(self._pid))
            except OSError:
                return
            self._stop.wait(self._interval)

    def start(self) -> RssSampler:
        self.peak_mb = rss_mb(self._pid)
        self._thread.start()
        return self

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mb


@contextmanager
def timed() -> Iterator[dict[str, float]]:
    """``with timed() as t: ...`` then ``t["sec"]`` is the wall time of the block."""
    box = {"sec": 0.0}
    start = time.perf_counter()
    try:
        yield box
    finally:
        box["sec"] = time.perf_counter() - start


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print rows under headers; the first column left-aligned, numbers right-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = (v.rjust(w) for v, w in zip(values[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    print(line(list(headers)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))


@dataclass
class Report:
    """Targets and figures of one run, printed as the final JSON line."""

    data: dict[str, Any] = field(default_factory=dict)

    def target(
        self, name: str, value: float, *, goal: float, higher_is_better: bool = True
    ) -> bool:
        """Record a target; returns whether it was met."""
        met = value >= goal if higher_is_better else value <= goal
        self.data[name] = {"value": round(value, 3), "goal": goal, "met": bool(met)}
        return met

    def figure(self, name: str, value: Any) -> None:
        """Record a plain measurement (no goal)."""
        self.data[name] = round(value, 3) if isinstance(value, float) else value

    @property
    def all_met(self) -> bool:
        return all(v["met"] for v in self.data.values() if isinstance(v, dict) and "met" in v)

    def emit(self) -> None:
        """Print the JSON line; it must be the last thing the bench prints."""
        sys.stdout.flush()
        print(json.dumps(self.data), flush=True)


def free_port() -> int:
    """A TCP port free on loopback right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sandbox_process(*, seed: int = 42, smtp_port: int | None = None) -> Iterator[str]:
    """Run the platform sandbox in its own process on free ports (SMTP on ``smtp_port``
    when given); yields its base URL.

    A separate process, so the server's CPU is not charged to the client being measured.
    """
    import subprocess
    import urllib.request

    port, smtp_port = free_port(), smtp_port or free_port()
    env = {
        **os.environ,
        "SANDBOX_PORT": str(port),
        "SANDBOX_SMTP_PORT": str(smtp_port),
        "SANDBOX_SEED": str(seed),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.sandbox"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_admin/health", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the sandbox did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def echo_server(*, delay_ms: float) -> Iterator[str]:
    """A lean HTTP server answering every request after ``delay_ms`` (own process).

    For benchmarks of the client side (fan-out): the sandbox spends a fraction of a
    millisecond per request on its platform pipeline, which on two cores would be
    what gets measured. Yields the base URL.
    """
    import socket
    import subprocess

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "_echo_server.py"), str(port), str(delay_ms)]
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the echo server did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


POSTGRES_ADMIN = os.environ.get("TEST_POSTGRES_ADMIN_URL",
                                "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def fresh_postgres(*, prefix: str = "spio_bench") -> Iterator[str]:
    """A fresh PostgreSQL database for one measurement (dropped afterwards); yields its
    SQLAlchemy URL."""
    import uuid

    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        yield f"{base}/{name}"
    finally:
        from backend.core.db import dispose_engines

        dispose_engines()
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
