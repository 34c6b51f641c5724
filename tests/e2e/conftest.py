"""Browser tests: the real web process (prod build, UI + API on one port) and Debian's
chromium driven by Playwright.

One install per session (own data dir, SQLite database, Redis key prefix); the frontend
is built once per session into ``.web-e2e/`` (and reused across sessions while its
inputs and the port are unchanged), so a running ``scripts/up`` is never disturbed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from playwright.sync_api import Browser, Page, sync_playwright

from backend.core.config import PROJECT_ROOT, get_settings
from tests.conftest import TEST_REDIS_URL, _reset_caches, migrate
from tests.system.cluster import Cluster

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
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
# A stable port lets later sessions reuse the cached build (the port is baked into it).
PREFERRED_PORT = int(os.environ.get("E2E_PORT", "18731"))


def _free_port(preferred: int) -> int:
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


@dataclass
class WebServer:
    url: str
    env: dict[str, str]
    log: Path


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Environment of the install under test, applied to this process too."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium missing: apt-get install -y chromium")
    root = tmp_path_factory.mktemp("e2e")
    prefix = f"e2e{uuid.uuid4().hex[:8]}"
    values = {
        "DATA_DIR": str(root / "var"),
        "DATABASE_URL": f"sqlite:///{root / 'var' / 'spio.db'}",
        "REDIS_URL": TEST_REDIS_URL,
        "REDIS_PREFIX": prefix,
        "ENVIRONMENT": "test",
        "LOCAL_ANONYMOUS_ROLE": "",
        "API_HOST": "127.0.0.1",
        "API_PORT": str(_free_port(PREFERRED_PORT)),
        "REFLEX_WEB_WORKDIR": ".web-e2e",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    bun = PROJECT_ROOT / ".tools" / "node_modules" / ".bin" / "bun"
    if bun.exists():
        values["REFLEX_BUN_PATH"] = str(bun)
    patch = pytest.MonkeyPatch()
    for name, value in values.items():
        patch.setenv(name, value)
    _reset_caches()
    migrate(get_settings().resolved_database_url)
    try:
        yield values
    finally:
        client = redis.Redis.from_url(TEST_REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
        patch.undo()
        _reset_caches()


@pytest.fixture(scope="session")
def web_server(
    e2e_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebServer]:
    """``python -m spio_ui.serve`` on a free port, as the Procfile runs it."""
    env = {**os.environ, **e2e_env}
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "spio_ui.serve", "--build-only"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    build_sec = time.monotonic() - started
    log = tmp_path_factory.mktemp("web") / "web.log"
    url = f"http://127.0.0.1:{e2e_env['API_PORT']}"
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
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"web process exited: {log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"web process not ready: {log.read_text()[-3000:]}")
            time.sleep(0.1)
        ready_sec = time.monotonic() - started - build_sec
        print(f"\ne2e web: build {build_sec:.1f}s, ready {ready_sec:.1f}s after start")
        yield WebServer(url=url, env=env, log=log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


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


@pytest.fixture
def admin_page(browser: Browser, web_server: WebServer) -> Iterator[Page]:
    """A browser tab signed in as admin (Indonesian, the default language)."""
    yield from _signed_in(browser, web_server, "admin")


@pytest.fixture
def viewer_page(browser: Browser, web_server: WebServer) -> Iterator[Page]:
    yield from _signed_in(browser, web_server, "viewer")


def _signed_in(browser: Browser, web_server: WebServer, role: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, web_server.url, make_token(role))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def cluster(web_server: WebServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A scheduler and one worker process for this install (runs really execute)."""
    procs = Cluster.from_environment(log_dir=tmp_path_factory.mktemp("cluster"))
    procs.start_scheduler()
    procs.start_worker("worker", threads=4)
    try:
        procs.wait_ready(workers=1)
        yield procs
    finally:
        procs.stop()


def create_job(spec: dict[str, object], *, run: bool = False) -> int:
    """Store a job through the job service (as the API would); returns the run id if run."""
    from backend.core.db import session_scope
    from backend.jobs.service import create_job as store
    from backend.jobs.service import run_now
    from backend.jobs.validation import parse_spec

    with session_scope() as session:
        job = store(session=session, parsed=parse_spec(spec), actor="e2e")
        return int(run_now(session=session, job_id=job.job_id).id or 0) if run else 0


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot for reviewers under test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
