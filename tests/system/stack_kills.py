"""Kill every part of the ``scripts/up`` stack in turn while a seed campaign sends
(issue 19, point 5), and measure what a seller would notice.

The stack is ``scripts/up`` itself (its supervisord config, two worker processes in one
group, SQLite, defaults) on free ports, against a Redis of this driver's own. The seed
campaign (examples/jobs/black-friday-campaign-2026.json) runs with a smaller audience,
a faster rate and a short retry backoff, so that it outlasts the kills and retries in
seconds rather than the seed's five minutes. In turn: SIGKILL of a worker process, of
the worker group's parent, of the scheduler, of the web process, and a Redis crash
restarted with its data directory wiped. For each: how long /health said degraded (or
did not answer), and how long until the stack was back (healthy and sending again).
At the end: every run finished, and the sandbox saw each planned message once.

Used by tests/system/test_stack_kills.py (short) and bench/stack_kills.py (full).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil

from backend.core.config import PROJECT_ROOT
from tests.reliability.servers import OwnRedis
from tests.system.stack import UpStack

__all__ = ["KILLS", "Outage", "Outcome", "run_kills"]

KILLS = ("worker-process", "worker-parent", "scheduler", "web", "redis")


@dataclass
class Outage:
    victim: str
    degraded_sec: float = 0.0  # /health 503 or no answer, in total
    first_degraded_sec: float | None = None  # after the kill
    back_sec: float | None = None  # healthy and the campaign sending again
    sent_before: int = 0
    problems: Any = None  # what /health said first


@dataclass
class Outcome:
    planned: int = 0
    delivered: int = 0
    duplicates: int = 0  # a recipient who got the same campaign message twice
    replayed: int = 0  # a send the platform answered from its Idempotency-Key record
    missing: int = 0
    runs: dict[str, int] = field(default_factory=dict)
    outages: list[Outage] = field(default_factory=list)
    ready_sec: float = 0.0
    campaign_sec: float = 0.0
    stopped_sec: float | None = None  # Ctrl-C until everything ended (None: not in 90 s)
    left_running: list[str] = field(default_factory=list)  # what Ctrl-C left, if anything


def campaign_spec(*, audience: int, per_minute: int) -> dict[str, Any]:
    spec = json.loads((PROJECT_ROOT / "examples" / "jobs" /
                       "black-friday-campaign-2026.json").read_text())
    spec.pop("schedule")  # its cron is refused (see the README); run it now instead
    spec["job_id"] = "black-friday-kills"
    spec["retry_policy"] = {"max_retry": 30, "backoff_sec": [1, 2]}
    spec["inputs"]["audience"] = {"limit": audience}
    spec["inputs"]["rate_limit_per_minute"] = per_minute
    spec["inputs"]["personalization"]["use_ai"] = False
    # The seed's Black Friday is over by now: the same campaign, open today.
    now = datetime.now(UTC)
    spec["inputs"]["campaign"]["start_date"] = (now - timedelta(hours=1)).isoformat()
    spec["inputs"]["campaign"]["end_date"] = (now + timedelta(days=1)).isoformat()
    return spec


class _Driver:
    def __init__(self, stack: UpStack, redis: OwnRedis, sandbox_url: str) -> None:
        self.stack, self.redis, self.sandbox = stack, redis, sandbox_url
        self.api = httpx.Client(base_url=stack.url, timeout=10)
        self.db = Path(stack.env["DATA_DIR"]) / "spio.db"

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        for _ in range(50):
            try:
                with sqlite3.connect(self.db, timeout=10) as conn:
                    return conn.execute(query).fetchall()
            except sqlite3.OperationalError:
                time.sleep(0.1)
        raise RuntimeError(f"database locked: {query}")

    def sent(self) -> int:
        return int(self.sql("SELECT count(*) FROM sent_messages WHERE state = 'sent' "
                            "AND key LIKE 'campaign:black-friday-kills:%'")[0][0])

    def counters(self) -> dict[str, Any]:
        return httpx.get(f"{self.sandbox}/_admin/counters", timeout=10).json()

    def unfinished(self) -> int:
        return int(self.sql("SELECT count(*) FROM runs WHERE status IN ('queued', 'running')"
                            )[0][0])

    def kill(self, victim: str) -> int | None:
        """Kill ``victim``; returns the pid supervisord had for its program."""
        pids = self.stack.pids()
        if victim == "worker-process":
            os.kill(psutil.Process(pids["worker"]).children()[0].pid, signal.SIGKILL)
            return pids["worker"]
        if victim == "worker-parent":
            os.kill(pids["worker"], signal.SIGKILL)
            return pids["worker"]
        if victim == "redis":
            self.redis.crash()
            shutil.rmtree(self.redis.dir)
            self.redis.dir.mkdir(parents=True)
            return None
        os.kill(pids[victim], signal.SIGKILL)
        return pids[victim]

    def replaced(self, victim: str, old_pid: int | None, *, since: float) -> bool:
        """Whether the victim is back: restarted by supervisord (a worker process: its
        group, which stops when one of its processes dies), or Redis started again."""
        if victim == "redis":
            if time.monotonic() - since < 3:
                return False  # away for a while, then back empty (FLUSHALL and more)
            if self.redis.proc is None:
                self.redis.start()
            return True
        program = "worker" if victim.startswith("worker") else victim
        if self.stack.pids().get(program, old_pid) == old_pid:
            return False
        if victim == "scheduler":  # back once a scheduler leads again: a tick since the kill
            return self.ticked_since(time.time() - (time.monotonic() - since))
        return True

    def ticked_since(self, wall: float) -> bool:
        import redis

        client = redis.Redis.from_url(self.redis.url, socket_timeout=2)
        try:
            raw = client.get("spio:scheduler:last_tick")  # scripts/up's default prefix
        except redis.RedisError:
            return False
        finally:
            client.close()
        return raw is not None and float(raw) > wall

    def ride_out(self, outage: Outage, victim: str, old_pid: int | None, *, killed: float,
                 timeout: float) -> None:
        """Watch /health and the sends until the victim is back, /health says ok and the
        campaign sends again (or has ended)."""
        last = killed
        back_from: tuple[float, int] | None = None
        while time.monotonic() - killed < timeout:
            code, body = self.stack.health(timeout=2)
            now = time.monotonic()
            if code != 200:
                outage.degraded_sec += now - last
                if outage.first_degraded_sec is None:
                    outage.first_degraded_sec = now - killed
                    outage.problems = body.get("problems", "no answer") if body else "no answer"
            last = now
            if back_from is None:
                if self.replaced(victim, old_pid, since=killed):
                    back_from = (now, self.sent())
            elif code == 200 and (self.sent() > back_from[1] or not self.unfinished()):
                outage.back_sec = now - killed
                return
            time.sleep(0.2)


def _wait(predicate: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not in {timeout} s")


def run_kills(directory: Path, *, audience: int, per_minute: int, kills: tuple[str, ...] = KILLS,
              between_sec: float = 4.0, back_timeout: float = 90.0) -> Outcome:
    """Start the stack, run the campaign through the kills, return the figures."""
    outcome = Outcome()
    redis = OwnRedis(directory=directory / "redis")
    redis.start()
    try:
        with UpStack.start(directory / "up", redis_url=redis.url) as stack:
            outcome.ready_sec = stack.wait_healthy()
            sandbox = f"http://127.0.0.1:{stack.env['SANDBOX_PORT']}"
            driver = _Driver(stack, redis, sandbox)
            created = driver.api.post("/jobs", json=campaign_spec(audience=audience,
                                                                    per_minute=per_minute))
            assert created.status_code == 201, created.text
            started = time.monotonic()
            run = driver.api.post("/jobs/black-friday-kills/run")
            assert run.status_code < 300, run.text
            for victim in kills:
                outage = Outage(victim=victim)
                _wait(lambda o=outage: driver.sent() > o.sent_before + 20, timeout=120,
                      what=f"sending before killing the {victim}")
                time.sleep(between_sec)
                outage.sent_before = driver.sent()
                killed = time.monotonic()
                old_pid = driver.kill(victim)
                driver.ride_out(outage, victim, old_pid, killed=killed, timeout=back_timeout)
                outcome.outages.append(outage)
            _wait(lambda: not driver.unfinished(), timeout=900, what="every run finished")
            outcome.campaign_sec = time.monotonic() - started
            outcome.runs = dict(driver.sql("SELECT status, count(*) FROM runs GROUP BY status"))
            result = driver.sql("SELECT result FROM runs WHERE job_id = 'black-friday-kills' "
                                "AND status = 'succeeded'")
            outcome.planned = int(json.loads(result[0][0])["planned"]) if result else -1
            counters = driver.counters()
            per_recipient = [n for by_to in counters.get("messages", {}).values()
                             for n in by_to.values()]
            outcome.delivered = len(per_recipient)  # recipients reached (one channel each)
            outcome.duplicates = sum(n - 1 for n in per_recipient if n > 1)
            outcome.replayed = sum(counters.get("duplicates", {}).values())
            outcome.missing = max(0, outcome.planned - outcome.delivered)
            _stop(stack, outcome)
    finally:
        redis.stop()
    return outcome


def _stop(stack: UpStack, outcome: Outcome) -> None:
    """Ctrl-C, timed; what is still running after 90 s is named (the figures are kept
    either way, and the stack's cleanup kills it)."""
    asked = time.monotonic()
    stack.interrupt()
    try:
        stack.proc.wait(90)
        outcome.stopped_sec = time.monotonic() - asked
    except subprocess.TimeoutExpired:
        outcome.left_running = [" ".join(p.cmdline()[:4]) for p in stack.processes()]


def table(outcome: Outcome) -> list[list[Any]]:
    return [[o.victim, round(o.first_degraded_sec, 1) if o.first_degraded_sec is not None
             else "-", round(o.degraded_sec, 1),
             round(o.back_sec, 1) if o.back_sec is not None else "never",
             _said(o.problems)]
            for o in outcome.outages]


def _said(problems: Any) -> str:
    if not problems:
        return "-"
    if isinstance(problems, str):
        return problems
    return ", ".join(f"{p.get('part')} {p.get('code')}" for p in problems)
