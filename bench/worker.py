"""No-op runs end to end (scheduler -> Redis -> worker -> run recorded) against a bare
Dramatiq no-op actor, both on one worker process with 4 threads, in the same run.

Two ratios: throughput (runs/s over messages/s, the target), and CPU (the bare actor's
worker CPU a message over the CPU a run took in the worker group plus this process,
which runs the scheduler; a figure: the run path also writes the database twice). On a
shared machine the throughput of either side is whatever CPU share it got while it ran
(at load ~17 the same code gave 0.51, 1.27 and 0.61); the load average is printed.

    .venv/bin/python bench/worker.py [--runs 3000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from bench._common import ROOT, Report, print_table  # noqa: E402
from bench._install import isolated_install  # noqa: E402

THREADS = 4


def _worker(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    import signal

    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _cpu(proc: subprocess.Popen[bytes]) -> float:
    """CPU seconds of a worker group so far (its parent and every child)."""
    import psutil

    parent = psutil.Process(proc.pid)
    total = 0.0
    for p in [parent, *parent.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def bare_rate(count: int) -> tuple[float, float]:
    """Messages per second through a bare no-op actor, and its worker's CPU s a message."""
    import redis

    namespace = f"bare-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "BARE_NAMESPACE": namespace}
    os.environ["BARE_NAMESPACE"] = namespace
    proc = _worker(
        ["-m", "dramatiq", "bench._bare_actor", "--processes", "1", "--threads", str(THREADS)], env
    )
    import importlib

    bare = importlib.import_module("bench._bare_actor")
    client = redis.Redis.from_url(bare.URL)
    try:
        time.sleep(3)  # let the worker start polling
        cpu = _cpu(proc)
        started = time.perf_counter()
        for i in range(count):
            bare.noop.send(i)
        while int(client.get(f"{namespace}:done") or 0) < count:
            time.sleep(0.01)
        rate = count / (time.perf_counter() - started)
        return rate, (_cpu(proc) - cpu) / count
    finally:
        _stop(proc)
        for key in client.scan_iter(f"{namespace}*"):
            client.delete(key)


def spio_rate(count: int) -> tuple[float, float, float]:
    """Runs per second end to end, the seconds it took, and CPU s a run (the worker
    group and this process, where the scheduler runs)."""
    with isolated_install(
        SCHEDULER_MAX_DISPATCH_PER_TICK=str(count), SCHEDULER_PRESSURE_DEPTH_HIGH=str(10 * count)
    ):
        from sqlalchemy import func, insert
        from sqlmodel import col, select

        from backend.core.db import session_scope
        from backend.jobs import service
        from backend.jobs.validation import parse_spec
        from backend.models import Run
        from backend.models.types import utcnow
        from backend.scheduler.service import SchedulerService

        with session_scope() as session:
            job = service.create_job(
                session=session,
                parsed=parse_spec({"job_id": "noop", "workflow": "noop"}),
                actor="bench",
            )
            template = {
                "job_id": "noop",
                "workflow": "noop",
                "trigger": "manual",
                "status": "queued",
                "priority": "normal",
                "attempt": 0,
                "max_attempts": 1,
                "timeout_ms": 60_000,
                "progress": 0.0,
                "cancel_requested": False,
                "spec_version": job.version,
            }
        proc = _worker(
            ["-m", "backend.worker", "--processes", "1", "--threads", str(THREADS)],
            dict(os.environ),
        )
        scheduler = SchedulerService()
        loop = threading.Thread(target=scheduler.run_forever, daemon=True)
        try:
            time.sleep(3)
            now = utcnow()
            with session_scope() as session:
                session.execute(
                    insert(Run),
                    [
                        {
                            **template,
                            "scheduled_for": now.replace(microsecond=i % 1_000_000),
                            "created_at": now,
                        }
                        for i in range(count)
                    ],
                )
            cpu = _cpu(proc) + time.process_time()
            started = time.perf_counter()
            loop.start()
            done = 0
            while done < count:
                time.sleep(0.05)
                with session_scope() as session:
                    done = session.exec(
                        select(func.count())
                        .select_from(Run)
                        .where(col(Run.status).in_(("succeeded", "failed")))
                    ).one()
            elapsed = time.perf_counter() - started
            cpu = _cpu(proc) + time.process_time() - cpu
            with session_scope() as session:
                failed = session.exec(
                    select(func.count()).select_from(Run).where(Run.status == "failed")
                ).one()
            if failed:
                raise RuntimeError(f"{failed} no-op runs failed")
            return count / elapsed, elapsed, cpu / count
        finally:
            scheduler.stop.set()
            scheduler.wake.set()
            _stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3000)
    args = parser.parse_args()
    bare, bare_cpu = bare_rate(args.runs)
    ours, elapsed, our_cpu = spio_rate(args.runs)
    load = os.getloadavg()
    print(f"worker: {args.runs:,} no-op messages/runs, 1 worker process x {THREADS} threads")
    print_table(
        ["path", "per second", "seconds", "CPU ms each"],
        [
            ["bare Dramatiq no-op actor", bare, args.runs / bare, bare_cpu * 1000],
            ["SPIO no-op run end to end", ours, elapsed, our_cpu * 1000],
        ],
    )
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    report = Report()
    report.target("noop_run_vs_bare_actor", ours / bare, goal=0.7)
    report.figure("noop_run_vs_bare_actor_cpu", bare_cpu / our_cpu)
    report.figure("bare_actor_per_sec", bare)
    report.figure("noop_runs_per_sec", ours)
    report.figure("bare_actor_cpu_ms", bare_cpu * 1000)
    report.figure("noop_run_cpu_ms", our_cpu * 1000)
    report.figure("load_average_1m", load[0])
    report.emit()


if __name__ == "__main__":
    main()
