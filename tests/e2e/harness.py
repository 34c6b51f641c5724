"""The web process and the browser, as plain functions (the e2e fixtures and bench/ui.py
both use them).

``start_web`` runs ``python -m spio_ui.serve`` (as deploy/supervisord.conf does) after a cached
production build into ``.web-e2e/`` so a running ``scripts/up`` is never disturbed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

from backend.core.config import PROJECT_ROOT

__all__ = [
    "CHROMIUM",
    "WebServer",
    "free_port",
    "web_env",
    "start_web",
    "launch_browser",
    "make_token",
    "login",
    "login_with_password",
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A stable port lets later sessions reuse the cached build (the port is baked into it).
PREFERRED_PORT = 18731


@dataclass
class WebServer:
    url: str
    env: dict[str, str]
    log: Path
    build_sec: float
    ready_sec: float


def free_port(preferred: int = PREFERRED_PORT) -> int:
    """``preferred`` when it is free, else any free port."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            # Like the server: a port whose last user is in TIME_WAIT counts as free.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


def web_env(*, port: int) -> dict[str, str]:
    """Variables the web process needs on top of the install's own (DATA_DIR, ...)."""
    values = {
        "API_HOST": "127.0.0.1",
        "API_PORT": str(port),
        "REFLEX_WEB_WORKDIR": ".web-e2e",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    bun = PROJECT_ROOT / ".tools" / "node_modules" / ".bin" / "bun"
    if bun.exists():
        values["REFLEX_BUN_PATH"] = str(bun)
    return values


@contextmanager
def start_web(*, log_dir: Path, overrides: dict[str, str] | None = None,
              log_name: str = "web.log") -> Iterator[WebServer]:  # fmt: skip
    """Build (if stale) and serve UI + API with this process's environment (plus
    ``overrides``, e.g. demo mode on another loopback address)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(overrides or {})}
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "spio_ui.serve", "--build-only"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    build_sec = time.monotonic() - started
    log = log_dir / log_name
    url = f"http://{env.get('API_HOST', '127.0.0.1')}:{env['API_PORT']}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "spio_ui.serve"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_ready(proc, url, log)
        ready_sec = time.monotonic() - started - build_sec
        yield WebServer(url=url, env=env, log=log, build_sec=build_sec, ready_sec=ready_sec)
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group (granian forks workers), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass  # the group is gone already (e.g. it failed to start)
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"web process exited: {log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/ping", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"web process not ready: {log.read_text()[-3000:]}")
        time.sleep(0.1)


@contextmanager
def launch_browser() -> Iterator[Browser]:
    """Debian's chromium under Playwright (never `playwright install`)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def make_token(role: str) -> str:
    """A fresh API token of ``role`` in the install under test."""
    from backend.auth.tokens import create_token
    from backend.core.db import session_scope

    with session_scope() as session:
        _, plaintext = create_token(session=session, name=f"e2e-{role}", role=role)
    return plaintext


def login(page: Page, base_url: str, token: str) -> None:
    """Sign in with an API token through the login form, as a user would."""
    page.goto(f"{base_url}/login")
    page.get_by_test_id("login-token").fill(token)
    page.get_by_test_id("login-token-submit").click()
    page.wait_for_url(f"{base_url}/")
    page.get_by_test_id("role-badge").wait_for()


def login_with_password(page: Page, base_url: str, username: str, password: str) -> None:
    """Fill and send the username / password form (the caller checks the outcome)."""
    page.goto(f"{base_url}/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def _apply_suggestions(spec: dict, exc: Exception) -> None:
    for error in getattr(exc, "errors", []):
        if error.suggestion is None:
            continue
        *parents, leaf = error.path.split(".")
        target = spec
        for key in parents:
            target = target.setdefault(key, {})
        target[leaf] = error.suggestion


def seed_demo_day(*, runs_per_job: int = 24) -> dict[str, int]:
    """The five seed jobs with a day of history: runs in every status, two running with
    progress, one job failing in a row; none due before tomorrow.
    Returns {job_id: id of its running run (or 0)}."""
    import json
    from datetime import timedelta

    from backend.core.db import session_scope
    from backend.core.errors import InvalidInput
    from backend.core.messages import message
    from backend.jobs.service import create_job, get_job
    from backend.jobs.validation import parse_spec
    from backend.models import Run
    from backend.models.types import utcnow

    now = utcnow()
    pattern = ["succeeded"] * 9 + ["failed", "succeeded", "timed_out", "succeeded", "skipped"]
    running: dict[str, int] = {}
    with session_scope() as session:
        for index, path in enumerate(sorted((PROJECT_ROOT / "examples" / "jobs").glob("*.json"))):
            spec = json.loads(path.read_text())
            for _ in range(3):  # the seed's Black Friday cron, then its past window
                try:
                    parsed = parse_spec(spec)
                    break
                except InvalidInput as exc:  # take the suggestions, as a user would
                    _apply_suggestions(spec, exc)
            job = create_job(session=session, parsed=parsed, actor="demo")
            # The tests' worker reaches a real sandbox: left to their schedules, the seed
            # jobs (a 10,000-listing catalog sync among them) would load a shared machine
            # for the whole session. Tests run them on purpose, with run-now.
            job.next_run_at = now + timedelta(days=1)
            for n in range(runs_per_job):
                at = now - timedelta(minutes=50 * n + 7 * index + 5)
                status = pattern[(n + index) % len(pattern)]
                session.add(Run(job_id=job.job_id, workflow=job.workflow, status=status,
                                priority=job.priority, scheduled_for=at, created_at=at,
                                started_at=at, finished_at=at + timedelta(seconds=40 + 9 * n),
                                progress=1.0 if status == "succeeded" else 0.6,
                                error=("shopee: HTTP 503 Service Unavailable"
                                       if status == "failed" else None),
                                error_type="TransientError" if status == "failed" else None))
            if index % 2 == 0:
                live = Run(job_id=job.job_id, workflow=job.workflow, status="running",
                           priority=job.priority, scheduled_for=now, started_at=now,
                           progress=0.2 + 0.1 * index,  # a keyed text, shown per reader
                           progress_message=message("progress.fetched_pages", pages=12))
                session.add(live)
                session.flush()
                running[job.job_id] = int(live.id or 0)
            else:
                running[job.job_id] = 0
        failing = get_job(session=session, job_id="product-catalog-sync")
        failing.consecutive_failures = 3
        session.add(failing)
    return running
