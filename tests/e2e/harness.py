"""The web process and the browser, as plain functions (the e2e fixtures and bench/ui.py
both use them).

``start_web`` runs ``python -m spio_ui.serve`` (as the Procfile does) after a cached
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
def start_web(*, log_dir: Path) -> Iterator[WebServer]:
    """Build (if stale) and serve UI + API with this process's environment."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "spio_ui.serve", "--build-only"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    build_sec = time.monotonic() - started
    log = log_dir / "web.log"
    url = f"http://127.0.0.1:{env['API_PORT']}"
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
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


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
    """Sign in through the login form, as a user would."""
    page.goto(f"{base_url}/login")
    page.get_by_test_id("login-token").fill(token)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base_url}/")
    page.get_by_test_id("role-badge").wait_for()
