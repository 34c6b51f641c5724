"""Browser tests: the real web process (prod build, UI + API on one port) and Debian's
chromium driven by Playwright.

One install per session (own data dir, SQLite database, Redis key prefix); the frontend
is built once per session into ``.web-e2e/`` (and reused across sessions while its
inputs and the port are unchanged).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, Page, expect

from backend.core.config import PROJECT_ROOT, get_settings
from tests.conftest import TEST_REDIS_URL, _reset_caches, migrate
from tests.e2e.harness import (
    CHROMIUM,
    WebServer,
    free_port,
    launch_browser,
    login,
    make_token,
    seed_demo_day,
    start_web,
    web_env,
)
from tests.sandbox_fixture import SandboxHandle, start_sandbox
from tests.system.cluster import Cluster

__all__ = ["WebServer", "Cluster", "SandboxHandle", "create_job", "run_and_wait", "screenshot"]

SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
# Machines running these are shared: wait up to 10 s for what a user would see (tests
# about latency set their own, tighter timeouts; bench/ui.py measures the real figures).
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    """The platform sandbox (HTTP + SMTP) every process of the install talks to."""
    handle = start_sandbox(seed=42, data_dir=tmp_path_factory.mktemp("sandbox-data"))
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture(scope="session")
def e2e_env(
    tmp_path_factory: pytest.TempPathFactory, sandbox: SandboxHandle
) -> Iterator[dict[str, str]]:
    """Environment of the install under test, applied to this process too."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium missing: apt-get install -y chromium")
    root = tmp_path_factory.mktemp("e2e")
    prefix = f"e2e{uuid.uuid4().hex[:8]}"
    values = {
        "SANDBOX_HOST": "127.0.0.1",
        "SANDBOX_PORT": sandbox.base_url.rsplit(":", 1)[1],
        "SMTP_PORT": str(sandbox.smtp_port),
        "DATA_DIR": str(root / "var"),
        "DATABASE_URL": f"sqlite:///{root / 'var' / 'spio.db'}",
        "REDIS_URL": TEST_REDIS_URL,
        "REDIS_PREFIX": prefix,
        "ENVIRONMENT": "test",
        "LOCAL_ANONYMOUS_ROLE": "",
        **web_env(port=free_port(int(os.environ.get("E2E_PORT", "18731")))),
    }
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
def web_server(e2e_env: dict[str, str]) -> Iterator[WebServer]:
    """``python -m spio_ui.serve`` on a free port, as deploy/supervisord.conf runs it."""
    # The web log stays in test-output/e2e/ for a look after a failure.
    log_dir = PROJECT_ROOT / "test-output" / "e2e"
    log_dir.mkdir(parents=True, exist_ok=True)
    with start_web(log_dir=log_dir) as server:
        print(
            f"\ne2e web: build {server.build_sec:.1f}s, ready {server.ready_sec:.1f}s after start"
        )
        yield server


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


@pytest.fixture(scope="session")
def demo_day(e2e_env: dict[str, str]) -> dict[str, int]:
    """The five seed jobs with a day of runs; {job_id: its running run id, or 0}."""
    return seed_demo_day()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with launch_browser() as instance:
        yield instance


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


def create_job(spec: dict[str, object], *, run: bool = False) -> int:
    """Store a job through the job service (as the API would); returns the run id if run."""
    from backend.core.db import session_scope
    from backend.jobs.service import create_job as store
    from backend.jobs.service import run_now
    from backend.jobs.validation import parse_spec

    with session_scope() as session:
        job = store(session=session, parsed=parse_spec(spec), actor="e2e")
        return int(run_now(session=session, job_id=job.job_id).id or 0) if run else 0


def run_and_wait(job_id: str, *, timeout: float = 90.0) -> int:
    """Run-now a stored job and wait (the real scheduler and worker) until it ends
    successfully; returns the run id."""
    from backend.core.db import session_scope
    from backend.jobs.runs import get_run
    from backend.jobs.service import run_now
    from tests.system.cluster import wait_for

    with session_scope() as session:
        run_id = int(run_now(session=session, job_id=job_id).id or 0)

    def ended() -> tuple[str, str] | None:
        with session_scope() as session:
            run = get_run(session=session, run_id=run_id)
            return None if run.status in ("queued", "running") else (run.status, run.error or "")

    status, error = wait_for(ended, timeout=timeout, interval=0.3)
    assert status == "succeeded", f"run {run_id} of {job_id}: {status} {error}"
    return run_id


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot for reviewers under test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
