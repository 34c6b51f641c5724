"""Real processes for system tests and benchmarks: schedulers and Dramatiq workers
sharing one database and one Redis namespace, started and stopped on demand."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.core.config import PROJECT_ROOT

__all__ = ["Cluster", "FAST_TAKEOVER", "wait_for"]

# Heartbeats and staleness short enough that a killed worker's run moves on in seconds.
FAST_TAKEOVER = {"WORKER_HEARTBEAT_SEC": "0.3", "WORKER_STALE_AFTER_SEC": "2.5",
                 "SCHEDULER_TICK_MAX_SEC": "0.5"}


def wait_for(predicate: Any, *, timeout: float, interval: float = 0.1) -> Any:
    """Poll ``predicate`` until it returns something truthy (returned), or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


@dataclass
class Cluster:
    env: dict[str, str]
    log_dir: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @classmethod
    def from_environment(cls, *, log_dir: Path, **overrides: str) -> Cluster:
        """Processes see this process's environment (the test's settings) plus overrides."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **overrides}
        log_dir.mkdir(parents=True, exist_ok=True)
        return cls(env=env, log_dir=log_dir)

    def _start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            [sys.executable, *args], cwd=PROJECT_ROOT, env=self.env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def start_scheduler(self, name: str = "scheduler") -> subprocess.Popen[bytes]:
        return self._start(name, ["-m", "backend.scheduler"])

    def start_worker(self, name: str, *, threads: int = 4,
                     processes: int = 1) -> subprocess.Popen[bytes]:
        return self._start(name, ["-m", "backend.worker", "--processes", str(processes),
                                  "--threads", str(threads)])

    def children(self, pid: int) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def worker_pids(self, name: str) -> list[int]:
        """The pids of a worker group (Dramatiq forks its worker processes)."""
        parent = self.procs[name].pid
        out = subprocess.run(["pgrep", "-g", str(parent)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def kill_group(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name)
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(timeout=15)

    def stop(self) -> None:
        for name in list(self.procs):
            proc = self.procs[name]
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        deadline = time.monotonic() + 15
        for name in list(self.procs):
            proc = self.procs.pop(name)
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)

    def wait_ready(self, *, workers: int, timeout: float = 30.0) -> None:
        """Until a scheduler has ticked and ``workers`` worker processes poll the broker."""
        from backend.core.redis import get_redis, key
        from backend.services.queues import dramatiq_namespace

        client = get_redis()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ticked = client.exists(key("scheduler", "last_tick"))
            polling = client.zcount(f"{dramatiq_namespace()}:__heartbeats__",
                                    (time.time() - 2) * 1000, "+inf")
            if ticked and polling >= workers:
                return
            time.sleep(0.1)
        raise TimeoutError(f"cluster not ready in {timeout} s:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.log_dir.glob("*.log"))
        )
