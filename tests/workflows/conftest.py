"""Workflows end to end: an isolated install (``env``) talking to one sandbox per session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from backend.core.config import PROJECT_ROOT, Settings, get_settings
from tests.sandbox_fixture import SandboxHandle, start_sandbox

SEED_JOBS = PROJECT_ROOT / "examples" / "jobs"


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    handle = start_sandbox(seed=42, data_dir=tmp_path_factory.mktemp("sandbox-data"))
    yield handle
    handle.stop()


@pytest.fixture
def wf_env(
    env: Settings, sandbox_server: SandboxHandle, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """``env`` pointed at a freshly reset sandbox (HTTP and SMTP)."""
    port = sandbox_server.base_url.rsplit(":", 1)[1]
    monkeypatch.setenv("SANDBOX_HOST", "127.0.0.1")
    monkeypatch.setenv("SANDBOX_PORT", port)
    monkeypatch.setenv("SMTP_PORT", str(sandbox_server.smtp_port))
    get_settings.cache_clear()
    httpx.post(f"{sandbox_server.base_url}/_admin/reset").raise_for_status()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def admin(sandbox_server: SandboxHandle) -> Iterator[httpx.Client]:
    """The sandbox's admin API."""
    with httpx.Client(base_url=sandbox_server.base_url, timeout=30) as client:
        yield client


def seed_spec(name: str) -> dict[str, Any]:
    return json.loads((SEED_JOBS / f"{name}.json").read_text())


def start_job(spec: dict[str, Any], *, runnable: bool = True) -> int:
    """Create the job from ``spec`` (validated like the API does; ``runnable=False`` skips
    the "can this schedule ever work" check, to model a job stored before it) and queue a
    run."""
    from backend.core.db import session_scope
    from backend.jobs import service
    from backend.jobs.validation import parse_spec

    with session_scope() as session:
        service.create_job(session=session, parsed=parse_spec(spec, runnable=runnable),
                           actor="test")
        return service.run_now(session=session, job_id=spec["job_id"]).id


def queue_run(job_id: str) -> int:
    from backend.core.db import session_scope
    from backend.jobs import service

    with session_scope() as session:
        return service.run_now(session=session, job_id=job_id).id


def run_detail(run_id: int) -> Any:
    from backend.core.db import session_scope
    from backend.jobs import runs as run_service

    with session_scope() as session:
        return run_service.get_run_detail(session=session, run_id=run_id)


def at_start_of_price_step(admin: httpx.Client, margin_sec: float = 2.0) -> float:
    """Move the sandbox clock just past a 5-minute price step, so competitor prices stay
    put for the whole test; returns the sandbox's now."""
    now = admin.post("/_admin/clock", json={"advance_sec": 0}).json()["now"]
    advance = (300 - now % 300) + margin_sec
    return float(admin.post("/_admin/clock", json={"advance_sec": advance}).json()["now"])


