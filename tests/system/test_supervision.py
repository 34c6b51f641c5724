"""``scripts/up`` supervises what it starts (issue 19, point 2): every long-running
process (sandbox, scheduler, worker, web) that dies is started again within 5 s, and
Ctrl-C still stops everything, the Redis it started for itself included.

The real script, its supervisord config and its defaults, on free ports, with a Redis
URL nothing answers at (so it starts its own, as for a user without one)."""

from __future__ import annotations

import configparser
import os
import signal
import time
from pathlib import Path

import psutil
import pytest

from backend.core.config import PROJECT_ROOT
from tests.reliability.servers import free_port
from tests.reliability.support import wait_for
from tests.system.stack import PROGRAMS, UpStack


def _read(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


def test_servers_run_the_same_processes_with_restart_policies():
    """deploy/systemd has one unit per process kind scripts/up supervises (the sandbox
    aside), running the same command, restarted whenever it dies, never given up on."""
    supervised = _read(PROJECT_ROOT / "deploy" / "supervisord.conf")
    commands = {name.removeprefix("program:"): supervised[name]["command"].split("bin/", 1)[1]
                for name in supervised.sections() if name.startswith("program:")}
    assert set(commands) == set(PROGRAMS)
    for name in PROGRAMS:
        assert supervised[f"program:{name}"]["autorestart"] == "true"
        assert supervised[f"program:{name}"]["startsecs"] == "0"
    # The worker's parent passes SIGTERM on; a second one would skip the hand-back.
    assert supervised["program:worker"]["stopasgroup"] == "false"
    units = PROJECT_ROOT / "deploy" / "systemd"
    for name in ("web", "scheduler", "worker"):
        unit = _read(units / f"spio-{name}.service")
        assert unit["Service"]["ExecStart"].split("bin/", 1)[1] == commands[name]
        assert unit["Service"]["Restart"] == "always"
        assert float(unit["Service"]["RestartSec"]) <= 2
        assert unit["Unit"]["StartLimitIntervalSec"] == "0"
        assert unit["Install"]["WantedBy"] == "spio.target"
    assert _read(units / "spio-worker.service")["Service"]["KillMode"] == "mixed"


@pytest.mark.e2e
@pytest.mark.timeout(900)  # scripts/up starts in 40-120 s on a loaded machine
def test_up_restarts_whatever_dies_and_ctrl_c_stops_everything(tmp_path: Path):
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    with UpStack.start(tmp_path / "up", redis_url=redis_url) as stack:
        ready = stack.wait_healthy()
        assert set(stack.pids()) == set(PROGRAMS), stack.supervisorctl("status")
        own_redis = [p for p in stack.processes() if p.name().startswith("redis-server")]
        assert len(own_redis) == 1, "scripts/up should have started its own Redis"

        restarted_in: dict[str, float] = {}
        for name in PROGRAMS:
            old = stack.pids()[name]
            os.kill(old, signal.SIGKILL)
            killed_at = time.monotonic()
            wait_for(lambda old=old, name=name: stack.pids().get(name, old) != old,
                     timeout=10, interval=0.1)
            restarted_in[name] = time.monotonic() - killed_at
        back_in = stack.wait_healthy(timeout=120)
        print(f"ready after {ready:.1f} s; restarted in (s): "
              + ", ".join(f"{k} {v:.1f}" for k, v in restarted_in.items())
              + f"; healthy again {back_in:.1f} s after the last restart")
        assert all(seconds < 5 for seconds in restarted_in.values()), restarted_in

        everything = stack.processes()
        stack.interrupt()
        stopping_at = time.monotonic()
        stack.proc.wait(90)

        def all_gone() -> bool:
            return not any(_alive(p) for p in everything)

        wait_for(all_gone, timeout=30, interval=0.2)
        stopped_in = time.monotonic() - stopping_at
        print(f"Ctrl-C: {len(everything)} processes gone in {stopped_in:.1f} s")
        assert not _alive(own_redis[0])
        assert stack.health(timeout=1)[0] == 0


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
