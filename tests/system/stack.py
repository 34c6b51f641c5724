"""``scripts/up`` itself, run by a test or a bench: the same script, supervisor config
and defaults a user gets, on free ports, in a data directory of its own and against the
Redis it is given (or one it starts itself, as it does for a user with none).

    with UpStack.start(tmp_path, redis_url=...) as stack:
        stack.wait_healthy()
        pid = stack.pid("worker")
        ...
        stack.interrupt()     # Ctrl-C
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

from backend.core.config import PROJECT_ROOT
from tests.reliability.servers import free_port

__all__ = ["UpStack", "PROGRAMS"]

PROGRAMS = ("sandbox", "scheduler", "worker", "web")

# What the test process's own settings put in the environment, which the stack must not
# inherit: it runs with scripts/up's defaults.
_NOT_INHERITED = ("DATABASE_URL", "REDIS_PREFIX", "ENVIRONMENT", "LOCAL_ANONYMOUS_ROLE",
                  "DATA_DIR", "API_PORT", "SANDBOX_PORT", "SANDBOX_SMTP_PORT", "SMTP_PORT",
                  "WORKER_HEARTBEAT_SEC", "WORKER_STALE_AFTER_SEC", "SCHEDULER_TICK_MAX_SEC")


def _web_port() -> int:
    """The browser tests' port when free: the UI is built for one port (Reflex bakes it
    into the bundle), and that build is cached in .web-e2e/ for them already."""
    import socket

    preferred = int(os.environ.get("E2E_PORT", "18731"))
    with socket.socket() as probe:
        # A server listening with SO_REUSEPORT lets a bind succeed: ask it instead.
        if probe.connect_ex(("127.0.0.1", preferred)) == 0:
            return free_port()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            return free_port()


@dataclass
class UpStack:
    root: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes]
    url: str
    log: Path

    @classmethod
    @contextmanager
    def start(cls, directory: Path, *, redis_url: str, **extra: str | None
              ) -> Iterator[UpStack]:  # fmt: skip
        """``extra``: more environment; a None value leaves that variable unset (the
        stack's default applies, e.g. ``PUBLIC_URL=None``)."""
        directory.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
        port = _web_port()
        sandbox_port, smtp_port = free_port(), free_port()
        env.update({
            "PYTHONUNBUFFERED": "1",
            "DATA_DIR": str(directory / "var"),
            "REDIS_URL": redis_url,
            "API_HOST": "127.0.0.1",
            "API_PORT": str(port),
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            "REFLEX_WEB_WORKDIR": ".web-e2e",
            "SANDBOX_PORT": str(sandbox_port),
            "SANDBOX_SMTP_PORT": str(smtp_port),
            "SMTP_PORT": str(smtp_port),
            "SPIO_RUN_DIR": str(directory / "run"),
            **{k: v for k, v in extra.items() if v is not None},
        })
        for name in [k for k, v in extra.items() if v is None]:
            env.pop(name, None)
        log = directory / "up.log"
        with log.open("ab") as out:
            proc = subprocess.Popen(["bash", str(PROJECT_ROOT / "scripts" / "up")],
                                    cwd=PROJECT_ROOT, env=env, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True,
                                    preexec_fn=_sigint_as_in_a_terminal)
        stack = cls(root=directory, env=env, proc=proc, url=f"http://127.0.0.1:{port}",
                    log=log)
        try:
            yield stack
        finally:
            stack.kill_everything()

    # --- looking ----------------------------------------------------------------------
    def supervisorctl(self, *args: str) -> str:
        out = subprocess.run(
            [str(PROJECT_ROOT / ".venv" / "bin" / "supervisorctl"), "-c",
             str(PROJECT_ROOT / "deploy" / "supervisord.conf"), *args],
            env=self.env, capture_output=True, text=True, timeout=30)
        return out.stdout

    def pids(self) -> dict[str, int]:
        """``{program: pid}`` of the programs supervisord has running now."""
        found: dict[str, int] = {}
        for line in self.supervisorctl("status").splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[1] == "RUNNING" and parts[2] == "pid":
                found[parts[0]] = int(parts[3].rstrip(","))
        return found

    def health(self, timeout: float = 5.0) -> tuple[int, dict[str, Any]]:
        """``(status code, body)`` of GET /health; ``(0, {})`` when nothing answers."""
        try:
            response = httpx.get(f"{self.url}/health", timeout=timeout)
        except httpx.HTTPError:
            return 0, {}
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {}

    def wait_healthy(self, *, timeout: float = 600.0) -> float:
        """Seconds until /health says ok (the first start may build the UI)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise AssertionError(f"scripts/up exited {self.proc.returncode}:\n{self.tail()}")
            code, body = self.health()
            # ... from this stack's web process (not another server on the port).
            if code == 200 and body.get("status") == "ok" and "web" in self.pids():
                return time.monotonic() - started
            time.sleep(0.5)
        raise AssertionError(f"not healthy in {timeout} s: {self.health()}\n{self.tail()}")

    def processes(self) -> list[psutil.Process]:
        """scripts/up and everything below it (supervisord runs in a session of its own,
        so it is found through its pid file too)."""
        found: dict[int, psutil.Process] = {}
        roots = [self.proc.pid]
        pidfile = Path(self.env["SPIO_RUN_DIR"]) / "supervisord.pid"
        if pidfile.exists():
            try:
                roots.append(int(pidfile.read_text().strip()))
            except ValueError:
                pass
        for pid in roots:
            try:
                root = psutil.Process(pid)
                found[pid] = root
                for child in root.children(recursive=True):
                    found[child.pid] = child
            except psutil.NoSuchProcess:
                continue
        return [p for p in found.values() if _alive(p)]

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    # --- acting -----------------------------------------------------------------------
    def interrupt(self) -> None:
        """Ctrl-C in the terminal: SIGINT to scripts/up's foreground process group."""
        os.killpg(self.proc.pid, signal.SIGINT)

    def kill_everything(self) -> None:
        """Cleanup after a test, whatever state it left (SIGKILL to every process)."""
        for process in self.processes():
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass


def _sigint_as_in_a_terminal() -> None:
    """A driver started in the background (``cmd &``) passes SIGINT on ignored, and bash
    cannot trap a signal ignored when it starts: Ctrl-C (:meth:`UpStack.interrupt`) must
    reach scripts/up as it does in a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
