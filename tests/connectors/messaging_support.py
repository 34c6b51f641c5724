"""Shared by the messaging connector tests: a sandbox per module, reset per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.sandbox_fixture import SandboxHandle, start_sandbox


@pytest.fixture(scope="module")
def sandbox_handle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    handle = start_sandbox(seed=42, data_dir=tmp_path_factory.mktemp("sandbox"))
    yield handle
    handle.stop()


@pytest.fixture
def sandbox(sandbox_handle: SandboxHandle) -> SandboxHandle:
    """The module's sandbox with counters, limits and faults reset."""
    httpx.post(f"{sandbox_handle.base_url}/_admin/reset").raise_for_status()
    return sandbox_handle


@pytest.fixture(params=["httpx", "http-tool"])
async def client(request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    """Connectors run on plain httpx and on the http tool's client (its fast path)."""
    if request.param == "httpx":
        async with httpx.AsyncClient(timeout=5) as plain:
            yield plain
        return
    from backend.core.config import Settings
    from backend.tools.http import HttpTool

    # The sandbox listens on a random loopback port here (not the named one).
    tool = HttpTool(settings=Settings(http_timeout_sec=5, http_allow_hosts="127.0.0.1"))
    yield tool.client
    await tool.aclose()


def admin(sandbox: SandboxHandle, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call the sandbox admin API (GET without body, POST with one)."""
    url = f"{sandbox.base_url}/_admin/{path}"
    response = httpx.post(url, json=body) if body is not None else httpx.get(url)
    response.raise_for_status()
    return response.json()
